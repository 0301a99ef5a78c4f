package dev.vouch.archive.profile;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.state.SessionRecord;
import dev.vouch.protocol.state.StateUnavailableException;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.dao.MessageDao;
import dev.vouch.store.dao.ProtocolStateDao;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.ProfileKey;
import dev.vouch.store.model.VerificationState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies an archive's contents to a profile in one store transaction: the whole archive is read
 * and checked (to its end record and the container's last chunk) before anything commits, so a
 * damaged, truncated or cancelled import changes nothing.
 *
 * <p>Into a profile without an account, a full archive restores the account: its identity, prekeys
 * and sessions, each session marked retired so it only decrypts (see
 * {@link ProtocolStateDao#retireSession}). Into a profile of the same account, the archive merges:
 * messages already present (by uid) are skipped, contacts and settings already present keep their
 * state, and private keys in the archive are ignored.
 */
public final class ProfileImporter {
    private static final int BATCH = 2_000;

    /** What an import did. */
    public record Result(ArchiveItem.Header header, boolean accountRestored, long messagesImported,
                         long messagesAlreadyPresent, int contactsAdded, int keyEventsAdded) {
    }

    private final ProfileStore store;

    public ProfileImporter(ProfileStore store) {
        this.store = store;
    }

    public Result importFrom(ContentsReader reader, TransferMonitor monitor) throws StoreException, IOException {
        ArchiveItem.Header header = reader.header();
        return StoreTransaction.run(store, () -> new Run(header).apply(reader, monitor));
    }

    /** The state of one import. */
    private final class Run {
        private final ArchiveItem.Header header;
        private final boolean restoreAccount;
        private final Map<String, Long> conversations = new HashMap<>();
        private final Map<String, Set<List<Object>>> knownEvents = new HashMap<>();
        private final List<MessageDao.NewMessage> batch = new ArrayList<>(BATCH);
        private long messagesSeen;
        private long messagesImported;
        private int contactsAdded;
        private int eventsAdded;
        private boolean identitySeen;

        Run(ArchiveItem.Header header) throws StoreException, ImportRefusedException {
            this.header = header;
            Optional<Account> existing = store.accounts().load();
            if (existing.isPresent() && !existing.get().handle().equals(header.handle())) {
                throw new ImportRefusedException("this archive holds the profile of " + header.handle()
                        + ", but this profile belongs to " + existing.get().handle());
            }
            if (existing.isEmpty() && header.scope() != ArchiveItem.Scope.FULL) {
                throw new ImportRefusedException("a history-only archive carries no account, so it cannot make a"
                        + " profile: import it into a profile of " + header.handle()
                        + ", or read it with vouch archive show");
            }
            this.restoreAccount = existing.isEmpty();
        }

        Result apply(ContentsReader reader, TransferMonitor monitor)
                throws IOException, StoreException, StateUnavailableException {
            Optional<ArchiveItem> next;
            while ((next = reader.next()).isPresent()) {
                if (monitor.cancelled()) {
                    throw new TransferCancelledException("import cancelled; nothing was imported");
                }
                apply(next.get());
            }
            flushMessages();
            if (restoreAccount && !identitySeen) {
                throw new MalformedContentsException("a full archive without the account's identity");
            }
            return new Result(header, restoreAccount, messagesImported, messagesSeen - messagesImported,
                    contactsAdded, eventsAdded);
        }

        private void apply(ArchiveItem item) throws IOException, StoreException, StateUnavailableException {
            if (item instanceof ArchiveItem.Setting s) {
                setting(s);
            } else if (item instanceof ArchiveItem.Identity i) {
                identity(i);
            } else if (item instanceof ArchiveItem.Contact c) {
                contact(c);
            } else if (item instanceof ArchiveItem.KeyHistory k) {
                keyHistory(k);
            } else if (item instanceof ArchiveItem.Device d) {
                device(d);
            } else if (item instanceof ArchiveItem.Session s) {
                if (restoreAccount) {
                    ProtocolAddress address = new ProtocolAddress(s.handle(), s.deviceId());
                    ProtocolStateDao protocol = protocol();
                    protocol.storeSession(address, decode(() -> SessionRecord.decode(s.record()), "session"));
                    protocol.retireSession(address);
                }
            } else if (item instanceof ArchiveItem.PreKey p) {
                if (restoreAccount) {
                    ProtocolStateDao.PreKeyKind kind = ProtocolStateDao.PreKeyKind.ofCode(p.kind()).orElseThrow(
                            () -> new MalformedContentsException("unknown prekey kind " + p.kind()));
                    try {
                        protocol().restorePreKey(new ProtocolStateDao.StoredPreKey(kind, p.keyId(), p.record()));
                    } catch (MalformedDataException e) {
                        throw new MalformedContentsException("a prekey does not decode: " + e.getMessage());
                    }
                }
            } else if (item instanceof ArchiveItem.Conversation c) {
                conversation(c.peer());
            } else if (item instanceof ArchiveItem.Message m) {
                message(m);
            } else {
                throw new MalformedContentsException("unexpected record " + item);
            }
        }

        private void setting(ArchiveItem.Setting s) throws StoreException {
            if (restoreAccount) {
                store.settings().put(s.name(), s.value());
            } else if (!ArchiveItem.Setting.identityBound(s.name()) && store.settings().get(s.name()).isEmpty()) {
                store.settings().put(s.name(), s.value());
            }
        }

        private void identity(ArchiveItem.Identity i) throws IOException, StoreException {
            if (!restoreAccount) {
                return; // the profile keeps its own keys
            }
            AccountIdentity account = decode(() -> AccountIdentity.decodePrivate(i.accountIdentity()), "account identity");
            DeviceIdentity device = decode(() -> DeviceIdentity.decodePrivate(i.deviceIdentity()), "device identity");
            store.accounts().save(new Account(header.handle(), header.deviceId(), account, device));
            identitySeen = true;
        }

        private void contact(ArchiveItem.Contact c) throws IOException, StoreException {
            Optional<AccountIdentityKey> key = c.accountKey().isPresent()
                    ? Optional.of(decode(() -> AccountIdentityKey.decode(c.accountKey().get()), "contact key"))
                    : Optional.empty();
            Optional<Contact> existing = store.contacts().find(c.handle());
            if (existing.isEmpty()) {
                Contact added = store.contacts().add(c.handle(), c.displayName(), c.addedAt());
                Contact restored = new Contact(added.id(), c.handle(), c.displayName(), c.verification(), key,
                        c.addedAt(), c.profileKey().map(ProfileKey::new));
                store.contacts().update(restored);
                contactsAdded++;
                return;
            }
            // Merging: the profile's own view wins, except that a verification of the very key it
            // holds, made on the other installation, is taken over.
            Contact merged = existing.get();
            if (merged.accountKey().isEmpty() && key.isPresent()) {
                merged = merged.withAccountKey(key.get());
            }
            if (merged.verification() == VerificationState.UNVERIFIED && c.verification() == VerificationState.VERIFIED
                    && key.isPresent() && merged.accountKey().equals(key)) {
                merged = merged.withVerification(VerificationState.VERIFIED);
            }
            if (!merged.equals(existing.get())) {
                store.contacts().update(merged);
            }
        }

        private void keyHistory(ArchiveItem.KeyHistory k) throws IOException, StoreException {
            Contact contact = store.contacts().find(k.handle()).orElseThrow(
                    () -> new MalformedContentsException("key history of " + k.handle() + " before the contact"));
            Set<List<Object>> known = knownEvents.get(k.handle());
            if (known == null) {
                known = new HashSet<>();
                for (KeyEvent e : store.contacts().events(contact.id())) {
                    known.add(List.of(e.at(), e.type(), e.detail()));
                }
                knownEvents.put(k.handle(), known);
            }
            if (known.add(List.of(k.at(), k.type(), k.detail()))) {
                store.contacts().addEvent(contact.id(), k.at(), k.type(), k.detail());
                eventsAdded++;
            }
        }

        private void device(ArchiveItem.Device d) throws IOException, StoreException, StateUnavailableException {
            ProtocolAddress address = new ProtocolAddress(d.handle(), d.deviceId());
            DeviceIdentityKey key = decode(() -> DeviceIdentityKey.decode(d.identityKey()), "device key");
            ProtocolStateDao protocol = protocol();
            if (protocol.identity(address).isEmpty()) {
                protocol.saveIdentity(address, key);
            }
        }

        private long conversation(String peer) throws StoreException {
            Long id = conversations.get(peer);
            if (id == null) {
                id = store.conversations().open(peer);
                conversations.put(peer, id);
            }
            return id;
        }

        private void message(ArchiveItem.Message m) throws IOException, StoreException {
            MessageBody body = decode(() -> MessageBody.decode(m.body()), "message body");
            batch.add(new MessageDao.NewMessage(conversation(m.peer()), m.uid(), m.status(), body));
            messagesSeen++;
            if (batch.size() == BATCH) {
                flushMessages();
            }
        }

        private void flushMessages() throws StoreException {
            if (!batch.isEmpty()) {
                messagesImported += store.messages().importAll(batch);
                batch.clear();
            }
        }

        private ProtocolStateDao protocol() throws StoreException {
            return store.protocolState();
        }
    }

    private interface Decoder<T> {
        T decode() throws MalformedDataException;
    }

    private static <T> T decode(Decoder<T> decoder, String what) throws MalformedContentsException {
        try {
            return decoder.decode();
        } catch (MalformedDataException | IllegalArgumentException e) {
            throw new MalformedContentsException(what + " does not decode: " + e.getMessage());
        }
    }
}
