package dev.vouch.archive.profile;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.VerificationState;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What an archive holds, read without a profile or a relay ({@code vouch archive show}): one pass
 * over the contents, keeping counts per conversation and handing the messages of one chosen
 * conversation to the caller as they stream by.
 */
public record ArchiveSummary(ArchiveItem.Header header, boolean carriesIdentity, int settings, List<ContactSummary> contacts,
                             List<ConversationSummary> conversations, long messages) {
    public record ContactSummary(String handle, String displayName, VerificationState verification,
                                 Optional<byte[]> accountKey, int keyEvents, int devices) {
    }

    public record ConversationSummary(String peer, long messages, Optional<Instant> first, Optional<Instant> last) {
    }

    /** One message of the chosen conversation, decoded. */
    public record ShownMessage(String peer, dev.vouch.store.model.MessageStatus status, MessageBody body) {
    }

    /**
     * Reads the whole archive. Messages whose peer is {@code peer} go to {@code messages} in archive
     * (store) order; pass an empty peer to see none.
     */
    public static ArchiveSummary read(ContentsReader reader, Optional<String> peer, Consumer<ShownMessage> messages,
                                      TransferMonitor monitor) throws IOException {
        ArchiveItem.Header header = reader.header();
        boolean identity = false;
        int settings = 0;
        Map<String, ContactTally> contacts = new LinkedHashMap<>();
        Map<String, ConversationTally> conversations = new LinkedHashMap<>();
        Optional<ArchiveItem> next;
        while ((next = reader.next()).isPresent()) {
            if (monitor.cancelled()) {
                throw new TransferCancelledException("cancelled");
            }
            ArchiveItem item = next.get();
            if (item instanceof ArchiveItem.Identity) {
                identity = true;
            } else if (item instanceof ArchiveItem.Setting) {
                settings++;
            } else if (item instanceof ArchiveItem.Contact c) {
                contacts.put(c.handle(), new ContactTally(c));
            } else if (item instanceof ArchiveItem.KeyHistory k) {
                tally(contacts, k.handle()).events++;
            } else if (item instanceof ArchiveItem.Device d) {
                tally(contacts, d.handle()).devices++;
            } else if (item instanceof ArchiveItem.Conversation c) {
                conversations.putIfAbsent(c.peer(), new ConversationTally());
            } else if (item instanceof ArchiveItem.Message m) {
                MessageBody body;
                try {
                    body = MessageBody.decode(m.body());
                } catch (MalformedDataException e) {
                    throw new MalformedContentsException("a message body does not decode: " + e.getMessage());
                }
                ConversationTally t = conversations.computeIfAbsent(m.peer(), p -> new ConversationTally());
                t.count++;
                t.first = t.first == null || body.sentAt().isBefore(t.first) ? body.sentAt() : t.first;
                t.last = t.last == null || body.sentAt().isAfter(t.last) ? body.sentAt() : t.last;
                if (peer.isPresent() && peer.get().equals(m.peer())) {
                    messages.accept(new ShownMessage(m.peer(), m.status(), body));
                }
            }
        }
        List<ContactSummary> contactList = new ArrayList<>();
        for (ContactTally t : contacts.values()) {
            contactList.add(new ContactSummary(t.contact.handle(), t.contact.displayName(), t.contact.verification(),
                    t.contact.accountKey(), t.events, t.devices));
        }
        List<ConversationSummary> conversationList = new ArrayList<>();
        conversations.forEach((p, t) -> conversationList.add(new ConversationSummary(p, t.count,
                Optional.ofNullable(t.first), Optional.ofNullable(t.last))));
        return new ArchiveSummary(header, identity, settings, List.copyOf(contactList), List.copyOf(conversationList),
                reader.messages());
    }

    private static ContactTally tally(Map<String, ContactTally> contacts, String handle) throws MalformedContentsException {
        ContactTally t = contacts.get(handle);
        if (t == null) {
            throw new MalformedContentsException("a record about " + handle + " before the contact");
        }
        return t;
    }

    private static final class ContactTally {
        final ArchiveItem.Contact contact;
        int events;
        int devices;

        ContactTally(ArchiveItem.Contact contact) {
            this.contact = contact;
        }
    }

    private static final class ConversationTally {
        long count;
        Instant first;
        Instant last;
    }
}
