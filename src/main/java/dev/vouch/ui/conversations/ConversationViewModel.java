package dev.vouch.ui.conversations;

import dev.vouch.store.StoreException;
import dev.vouch.store.dao.MessageDao;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.store.model.VerificationState;
import dev.vouch.ui.common.Problems;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * One open conversation: its messages, loaded a page at a time, and the composer. It opens at the
 * newest message, or at a search hit with the page around it; from there older pages load as the
 * user scrolls up and newer ones as they scroll down, so a conversation of any length opens at once
 * wherever it opens.
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
    /** Whether the newest message is loaded, so what is stored next goes at the end. */
    private boolean atNewest;
    /**
     * The newest message of this conversation stored while the newest was not loaded: the pages
     * read towards the end must reach it before the list counts as at the newest.
     */
    private long newestStored = Long.MIN_VALUE;
    /** The message to open at (a search hit), or -1 for the newest. */
    private long target;
    private int pagesRead;
    /** The message the "waits on this computer" notice is about; the notice goes when it is sent. */
    private long waiting = -1;
    private boolean opened;

    ConversationViewModel(Session session, UiExecutors executors, long conversationId, String peer) {
        this(session, executors, conversationId, peer, -1);
    }

    ConversationViewModel(Session session, UiExecutors executors, long conversationId, String peer, long at) {
        this.session = session;
        this.executors = executors;
        this.conversationId = conversationId;
        this.peer = peer;
        this.target = at;
        this.atNewest = at < 0;
    }

    public long conversationId() {
        return conversationId;
    }

    public String peer() {
        return peer;
    }

    /**
     * The message this conversation opened at (a search hit), for the view to bring into sight once
     * its page is shown; -1 when it opened at the newest, or the hit is no longer there.
     */
    public long target() {
        return target;
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

    /** Whether the newest message is loaded (new messages then show at the end as they come). */
    public boolean atNewest() {
        return atNewest;
    }

    /** How many pages were read from the store so far: the tests' measure of what opening and scrolling cost. */
    public int pagesRead() {
        return pagesRead;
    }

    /** Loads the first page (the newest, or the one around the hit) and marks what it shows read. */
    void open() {
        if (opened) {
            return;
        }
        opened = true;
        if (target < 0) {
            loadOlderThan(Long.MAX_VALUE);
        } else {
            openAtTarget();
        }
        refreshKeyState();
    }

    /** What the first page of a conversation opened at a hit holds. */
    private record Opened(List<MessageRow> rows, boolean olderRemain, boolean newerRemain, boolean found,
                          boolean conversationGone) {
    }

    private void openAtTarget() {
        long hit = target;
        load(() -> {
            Optional<MessageDao.Window> window = session.store().messages().around(conversationId, hit, PAGE);
            if (window.isPresent()) {
                return new Opened(shownRows(window.get().messages()), window.get().olderRemain(),
                        window.get().newerRemain(), true, false);
            }
            // Gone since the search: show the conversation at its newest, if it is still here.
            List<StoredMessage> newest = new ArrayList<>(session.store().messages().page(conversationId, Long.MAX_VALUE,
                    PAGE));
            Collections.reverse(newest);
            boolean gone = newest.isEmpty()
                    && !session.store().conversations().find(peer).filter(id -> id == conversationId).isPresent();
            return new Opened(shownRows(newest), newest.size() == PAGE, false, false, gone);
        }, first -> {
            if (!first.found()) {
                target = -1;
                problem.set(first.conversationGone() ? "This conversation is no longer on this computer."
                        : "The message you searched for is no longer in this conversation; here are the newest.");
            }
            exhausted = !first.olderRemain();
            messages.addAll(first.rows());
            newerRemain(first.newerRemain());
        });
    }

    /** Loads the page before the oldest loaded message; does nothing while loading or at the start. */
    public void loadOlder() {
        if (exhausted || loading.get() || !opened) {
            return;
        }
        loadOlderThan(messages.isEmpty() ? Long.MAX_VALUE : messages.get(0).id());
    }

    private void loadOlderThan(long before) {
        load(() -> {
            List<StoredMessage> page = new ArrayList<>(session.store().messages().page(conversationId, before, PAGE));
            Collections.reverse(page);
            return shownRows(page);
        }, rows -> {
            if (rows.size() < PAGE) {
                exhausted = true;
            }
            // Messages that arrived while the page loaded are already at the end: keep them once.
            List<MessageRow> older = rows.stream().filter(r -> indexOf(r.id()) < 0).toList();
            messages.addAll(0, older);
        });
    }

    /** Loads the page after the newest loaded message; does nothing while loading or at the newest. */
    public void loadNewer() {
        if (atNewest || loading.get() || !opened || messages.isEmpty()) {
            return;
        }
        long after = messages.get(messages.size() - 1).id();
        load(() -> shownRows(session.store().messages().after(conversationId, after, PAGE)), rows -> {
            messages.addAll(rows.stream().filter(r -> indexOf(r.id()) < 0).toList());
            newerRemain(rows.size() == PAGE);
        });
    }

    /**
     * After a page towards the end: at the newest unless more remain, or a message was stored after
     * the page was read (then that is read too, so it is kept and shown).
     */
    private void newerRemain(boolean remain) {
        long last = messages.isEmpty() ? Long.MIN_VALUE : messages.get(messages.size() - 1).id();
        atNewest = !remain && newestStored <= last;
        if (!remain && !atNewest && !messages.isEmpty()) {
            loadNewer();
        }
    }

    /** Reads a page in the background, counts it and hands it to {@code shown} on the UI thread. */
    private <T> void load(UiExecutors.Work<T> read, Consumer<T> shown) {
        loading.set(true);
        executors.run(read, page -> {
            loading.set(false);
            pagesRead++;
            shown.accept(page);
        }, failure -> {
            loading.set(false);
            problem.set(Problems.describe(failure));
        });
    }

    /** The rows of a page, oldest first; its unread messages are marked read, as they are about to show. */
    private List<MessageRow> shownRows(List<StoredMessage> page) throws StoreException {
        boolean unread = false;
        List<MessageRow> rows = new ArrayList<>(page.size());
        for (StoredMessage m : page) {
            MessageRow row = MessageRow.of(m);
            if (m.status() == MessageStatus.UNREAD) {
                unread = true;
                row = row.withStatus(MessageStatus.READ); // marked read below, before the rows show
            }
            rows.add(row);
        }
        if (unread) {
            session.messenger().markConversationRead(conversationId); // the rest of it too, as the app reads it
        }
        return rows;
    }

    /**
     * Messages of this conversation were stored (sent from here, or received), in id order. Newer
     * than the newest loaded, they show at the end only when the newest is loaded; otherwise they
     * wait in the store for the pages the user scrolls down to.
     */
    void stored(List<StoredMessage> stored) {
        List<MessageRow> newer = new ArrayList<>();
        boolean unread = false;
        for (StoredMessage message : stored) {
            if (indexOf(message.id()) >= 0 || newer.stream().anyMatch(r -> r.id() == message.id())) {
                continue;
            }
            MessageRow row = MessageRow.of(message);
            if (message.status() == MessageStatus.UNREAD) {
                // marked read below, as it shows: the row says so already, so the mark changes no row
                row = row.withStatus(MessageStatus.READ);
            }
            long newest = !newer.isEmpty() ? newer.get(newer.size() - 1).id()
                    : messages.isEmpty() ? Long.MIN_VALUE : messages.get(messages.size() - 1).id();
            if (newest < row.id()) {
                if (!atNewest) {
                    newestStored = Math.max(newestStored, row.id());
                    continue;
                }
                newer.add(row);
            } else if (!exhausted && !messages.isEmpty() && row.id() < messages.get(0).id()) {
                continue; // older than every loaded page (an import): it shows with its page
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
            unread |= message.status() == MessageStatus.UNREAD;
        }
        messages.addAll(newer); // one change for the whole batch: one layout, one scroll
        if (unread) {
            executors.run(() -> {
                session.messenger().markConversationRead(conversationId);
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
