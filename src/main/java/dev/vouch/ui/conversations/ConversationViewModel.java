package dev.vouch.ui.conversations;

import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.store.model.VerificationState;
import dev.vouch.ui.common.Problems;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import java.util.ArrayList;
import java.util.List;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One open conversation: its messages, loaded a page at a time from the newest back as the user
 * scrolls up (a conversation of any length opens at once), and the composer.
 */
public final class ConversationViewModel {
    public static final int PAGE = 100;

    private final Session session;
    private final UiExecutors executors;
    private final long conversationId;
    private final String peer;
    private final ObservableList<MessageRow> messages = FXCollections.observableArrayList();
    private final StringProperty draft = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final BooleanProperty loading = new SimpleBooleanProperty(false);
    private final BooleanProperty keyChanged = new SimpleBooleanProperty(false);
    private boolean exhausted;
    /** The message the "waits on this computer" notice is about; the notice goes when it is sent. */
    private long waiting = -1;
    private boolean opened;

    ConversationViewModel(Session session, UiExecutors executors, long conversationId, String peer) {
        this.session = session;
        this.executors = executors;
        this.conversationId = conversationId;
        this.peer = peer;
    }

    public long conversationId() {
        return conversationId;
    }

    public String peer() {
        return peer;
    }

    /** Loaded messages, oldest first. */
    public ObservableList<MessageRow> messages() {
        return messages;
    }

    public StringProperty draftProperty() {
        return draft;
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    public ReadOnlyBooleanProperty loadingProperty() {
        return loading;
    }

    /**
     * The contact's key changed after we verified them: messages to them are held until the
     * change is reviewed (the banner shows while this is true).
     */
    public ReadOnlyBooleanProperty keyChangedProperty() {
        return keyChanged;
    }

    /** Reads the contact's verification state again (after a key event or a review). */
    public void refreshKeyState() {
        executors.run(() -> session.messenger().keys().find(peer)
                .map(c -> c.verification() == VerificationState.CHANGED_AFTER_VERIFIED).orElse(false),
                keyChanged::set, failure -> { });
    }

    /** Whether every message back to the first is loaded. */
    public boolean exhausted() {
        return exhausted;
    }

    /** Loads the newest page and marks what it shows read. */
    void open() {
        if (opened) {
            return;
        }
        opened = true;
        loadPage(Long.MAX_VALUE);
        refreshKeyState();
    }

    /** Loads the page before the oldest loaded message; does nothing while loading or at the start. */
    public void loadOlder() {
        if (exhausted || loading.get() || !opened) {
            return;
        }
        long before = messages.isEmpty() ? Long.MAX_VALUE : messages.get(0).id();
        loadPage(before);
    }

    private void loadPage(long before) {
        loading.set(true);
        executors.run(() -> {
            List<StoredMessage> page = session.store().messages().page(conversationId, before, PAGE);
            List<StoredMessage> unread = new ArrayList<>();
            List<MessageRow> rows = new ArrayList<>(page.size());
            for (int i = page.size() - 1; i >= 0; i--) {
                StoredMessage m = page.get(i);
                MessageRow row = MessageRow.of(m);
                if (m.status() == MessageStatus.UNREAD) {
                    unread.add(m);
                    row = row.withStatus(MessageStatus.READ); // marked read below, before the rows show
                }
                rows.add(row);
            }
            if (!unread.isEmpty()) {
                session.messenger().markRead(unread);
            }
            return rows;
        }, rows -> {
            loading.set(false);
            if (rows.size() < PAGE) {
                exhausted = true;
            }
            // Messages that arrived while the page loaded are already at the end: keep them once.
            List<MessageRow> older = rows.stream().filter(r -> indexOf(r.id()) < 0).toList();
            messages.addAll(0, older);
        }, failure -> {
            loading.set(false);
            problem.set(Problems.describe(failure));
        });
    }

    /** Messages of this conversation were stored (sent from here, or received), in id order. */
    void stored(List<StoredMessage> stored) {
        List<MessageRow> newer = new ArrayList<>();
        List<StoredMessage> unread = new ArrayList<>();
        for (StoredMessage message : stored) {
            if (indexOf(message.id()) >= 0 || newer.stream().anyMatch(r -> r.id() == message.id())) {
                continue;
            }
            MessageRow row = MessageRow.of(message);
            long newest = !newer.isEmpty() ? newer.get(newer.size() - 1).id()
                    : messages.isEmpty() ? Long.MIN_VALUE : messages.get(messages.size() - 1).id();
            if (newest < row.id()) {
                newer.add(row);
            } else {
                // rare: older than the newest shown (an import); put it in order
                messages.addAll(newer);
                newer.clear();
                int at = 0;
                while (at < messages.size() && messages.get(at).id() < row.id()) {
                    at++;
                }
                messages.add(at, row);
            }
            if (message.status() == MessageStatus.UNREAD) {
                unread.add(message);
            }
        }
        messages.addAll(newer); // one change for the whole batch: one layout, one scroll
        if (!unread.isEmpty()) {
            executors.run(() -> {
                session.messenger().markRead(unread);
                return null;
            }, ignored -> { }, failure -> { });
        }
    }

    /** A message's delivery state changed. */
    void statusChanged(long messageId, MessageStatus status) {
        int at = indexOf(messageId);
        if (at >= 0 && messages.get(at).status() != status) {
            messages.set(at, messages.get(at).withStatus(status));
        }
        if (messageId == waiting && (status == MessageStatus.SENT || status == MessageStatus.DELIVERED)) {
            waiting = -1;
            problem.set("");
        }
    }

    /** Whether the message is among those this conversation has loaded. */
    boolean holds(long messageId) {
        return indexOf(messageId) >= 0;
    }

    private int indexOf(long messageId) {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).id() == messageId) {
                return i;
            }
            if (messages.get(i).id() < messageId) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * Sends the draft (Enter in the composer). The message is stored before anything touches the
     * network, so it shows at once as queued and is never lost; if it could not even be stored, the
     * text goes back into the composer.
     */
    public void send() {
        String text = draft.get();
        if (text == null || text.isBlank()) {
            return;
        }
        draft.set("");
        problem.set("");
        // The row and its later states come from the store's listeners, in commit order; the result
        // only decides what to say.
        executors.run(() -> session.messenger().send(peer, text), result -> {
            if (result.status() == MessageStatus.HELD) {
                keyChanged.set(true);
                problem.set("Held: " + peer + "'s safety number changed after you verified it. Review the change"
                        + " to send it.");
            } else if (result.status() == MessageStatus.QUEUED && indexOf(result.message().id()) >= 0
                    && messages.get(indexOf(result.message().id())).status() == MessageStatus.QUEUED) {
                waiting = result.message().id();
                problem.set("The relay has not taken it yet: the message waits on this computer and goes out"
                        + " by itself when the relay is reachable.");
            }
        }, failure -> {
            problem.set("Not sent: " + Problems.describe(failure));
            if (draft.get().isEmpty() && messages.stream().noneMatch(r -> r.outgoing() && r.text().equals(text)
                    && r.status() == MessageStatus.QUEUED)) {
                draft.set(text);
            }
        });
    }
}
