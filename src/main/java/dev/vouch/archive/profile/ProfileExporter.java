package dev.vouch.archive.profile;

import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.state.SessionRecord;
import dev.vouch.protocol.state.StateUnavailableException;
import dev.vouch.service.MessageUids;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.dao.ProtocolStateDao;
import dev.vouch.store.dao.SettingsDao;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.ConversationSummary;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.ProfileKey;
import dev.vouch.store.model.StoredMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a profile's contents as archive records (docs/archive-format.md, "Contents"), reading the
 * store inside one transaction so the archive is a consistent snapshot even while messages arrive.
 * Memory stays constant: messages stream a page at a time.
 */
public final class ProfileExporter {
    private static final int PAGE = 1_000;

    /**
     * What an export wrote.
     *
     * @param damagedMessages message rows that failed the store's authentication and were left out
     * @param unnamedSettings settings from before schema 3 that could not be listed and were left out
     */
    public record Result(ArchiveItem.Header header, ArchiveItem.End end, long damagedMessages, int unnamedSettings) {
    }

    private final ProfileStore store;
    private final Clock clock;

    public ProfileExporter(ProfileStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /**
     * Writes the contents in {@code scope} to {@code out} (the plaintext side of an archive stream;
     * not closed here).
     *
     * @throws StoreException when the profile is locked, has no account yet, or cannot be read
     */
    public Result export(ArchiveItem.Scope scope, OutputStream out, TransferMonitor monitor)
            throws StoreException, IOException {
        return export(scope, Integer.MAX_VALUE, out, monitor);
    }

    /**
     * Writes the contents in {@code scope} with at most the newest {@code perConversation} messages
     * of each conversation ({@link ArchiveItem.Scope#LINK} uses it to stay within a provisioning
     * message).
     */
    public Result export(ArchiveItem.Scope scope, int perConversation, OutputStream out, TransferMonitor monitor)
            throws StoreException, IOException {
        try {
            return StoreTransaction.run(store, () -> write(scope, perConversation, new ContentsWriter(out), monitor));
        } catch (CancelledInside e) {
            throw new TransferCancelledException("export cancelled");
        }
    }

    /** Names the program that wrote an archive, for whoever reads it later. */
    static String producer() {
        String version = ProfileExporter.class.getPackage().getImplementationVersion();
        return "Vouch " + (version == null ? "development build" : version);
    }

    private Result write(ArchiveItem.Scope scope, int perConversation, ContentsWriter w, TransferMonitor monitor)
            throws StoreException, IOException, StateUnavailableException {
        boolean full = scope == ArchiveItem.Scope.FULL;
        boolean link = scope == ArchiveItem.Scope.LINK;
        Account account = store.accounts().load().orElseThrow(
                () -> new StoreException("this profile has no account yet: run vouch init first"));
        ArchiveItem.Header header = new ArchiveItem.Header(ContentsFormat.VERSION, scope, clock.instant(),
                account.handle(), account.deviceId(), producer());
        w.write(header);

        SettingsDao.Listing settings = store.settings().all();
        for (SettingsDao.Setting setting : settings.settings()) {
            if (full || !link && !ArchiveItem.Setting.identityBound(setting.name())) {
                w.write(new ArchiveItem.Setting(setting.name(), setting.value()));
            }
        }
        ProtocolStateDao protocol = store.protocolState();
        if (full) {
            w.write(new ArchiveItem.Identity(account.accountIdentity().serializePrivate(),
                    account.deviceIdentity().serializePrivate()));
        }

        List<ProtocolAddress> devices = protocol.knownDevices();
        for (Contact contact : store.contacts().list()) {
            w.write(new ArchiveItem.Contact(contact.handle(), contact.displayName(), contact.verification(),
                    contact.accountKey().map(k -> k.serialize()), contact.addedAt(),
                    full || link ? contact.profileKey().map(ProfileKey::bytes) : Optional.empty()));
            for (KeyEvent event : store.contacts().events(contact.id())) {
                w.write(new ArchiveItem.KeyHistory(contact.handle(), event.at(), event.type(), event.detail()));
            }
            for (ProtocolAddress address : devices) {
                if (address.name().equals(contact.handle())) {
                    writeDevice(w, protocol, address, full);
                }
            }
        }
        if (full) {
            for (ProtocolStateDao.StoredPreKey key : protocol.preKeys()) {
                w.write(new ArchiveItem.PreKey(key.kind().code(), key.keyId(), key.serialized()));
            }
        }

        Map<Long, String> peers = new HashMap<>();
        long total = 0;
        for (ConversationSummary conversation : store.conversations().list()) {
            if (conversation.peer() == null) {
                continue; // a damaged row: its messages cannot be placed either
            }
            peers.put(conversation.id(), conversation.peer());
            total += conversation.messageCount();
            w.write(new ArchiveItem.Conversation(conversation.peer()));
        }
        long[] done = {0, 0};
        long totalMessages = total;
        monitor.progress(0, totalMessages);
        if (perConversation < Integer.MAX_VALUE) {
            for (Map.Entry<Long, String> conversation : peers.entrySet()) {
                List<StoredMessage> newest = new java.util.ArrayList<>(
                        store.messages().newest(conversation.getKey(), perConversation));
                java.util.Collections.reverse(newest);
                for (StoredMessage message : newest) {
                    if (message.isDamaged()) {
                        done[1]++;
                    } else {
                        writeMessage(w, conversation.getValue(), message);
                    }
                    done[0]++;
                }
            }
            ArchiveItem.End end = w.end();
            monitor.progress(done[0], done[0]);
            return new Result(header, end, done[1], settings.unnamed());
        }
        store.messages().forEach(0, PAGE, message -> {
            if (monitor.cancelled()) {
                throw new CancelledInside();
            }
            String peer = peers.get(message.conversationId());
            if (message.isDamaged() || peer == null) {
                done[1]++;
            } else {
                writeMessage(w, peer, message);
            }
            if (++done[0] % PAGE == 0) {
                monitor.progress(done[0], totalMessages);
            }
        });
        ArchiveItem.End end = w.end();
        monitor.progress(done[0], totalMessages);
        return new Result(header, end, done[1], settings.unnamed());
    }

    private static void writeDevice(ContentsWriter w, ProtocolStateDao protocol, ProtocolAddress address, boolean full)
            throws IOException, StateUnavailableException {
        Optional<DeviceIdentityKey> key = protocol.identity(address);
        if (key.isPresent()) {
            w.write(new ArchiveItem.Device(address.name(), address.deviceId(), key.get().serialize()));
        }
        if (full) {
            Optional<SessionRecord> session = protocol.loadSession(address);
            if (session.isPresent()) {
                w.write(new ArchiveItem.Session(address.name(), address.deviceId(), session.get().serialize()));
            }
        }
    }

    private static void writeMessage(ContentsWriter w, String peer, StoredMessage message) {
        try {
            w.write(new ArchiveItem.Message(peer, MessageUids.of(message.body()), message.status(),
                    message.body().encode()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Carries a cancellation out of the store's visitor. */
    private static final class CancelledInside extends RuntimeException {
        CancelledInside() {
            super(null, null, false, false);
        }
    }
}
