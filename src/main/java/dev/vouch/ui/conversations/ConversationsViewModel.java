package dev.vouch.ui.conversations;

import dev.vouch.service.KeyDirectory;
import dev.vouch.service.MessengerListener;
import dev.vouch.store.dao.MessageDao;
import dev.vouch.store.model.ConversationSummary;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.store.search.SearchHit;
import dev.vouch.store.search.SearchResult;
import dev.vouch.store.search.SearchService;
import dev.vouch.ui.common.Problems;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The main window's model: the conversation list (unread counts, newest message), search over all
 * messages, adding a contact, and the open conversation. Store and service events arrive on their
 * own threads and are handed to the UI thread here.
 */
public final class ConversationsViewModel {
    static final int PREVIEW = 80;
    static final int SEARCH_LIMIT = 50;
    /**
     * Store events reach the UI at most this often: a burst of received messages is shown ten
     * times a second, in batches, rather than re-laying out and repainting the window per message.
     */
    static final long BATCH_MILLIS = 100;
    /** Beyond this many changed conversations in one batch, reading the whole list is simpler. */
    static final int PARTIAL_LIMIT = 50;

    private final Session session;
    private final UiExecutors executors;
    private final SearchService search;
    private final ObservableList<ConversationRow> conversations = FXCollections.observableArrayList();
    private final ObservableList<SearchRow> results = FXCollections.observableArrayList();
    private final ObjectProperty<ConversationViewModel> open = new SimpleObjectProperty<>();
    private final StringProperty query = new SimpleStringProperty("");
    private final StringProperty problem = new SimpleStringProperty("");
    private final StringProperty notice = new SimpleStringProperty("");
    private final MessageDao.InsertListener inserts = this::onInserted;
    private final MessageDao.StatusListener statuses = this::onStatus;
    private final MessengerListener events = new MessengerListener() {
        @Override
        public void keysChanged(KeyDirectory.Observation observation) {
            executors.onUi(() -> {
                ConversationViewModel current = open.get();
                if (current != null && current.peer().equals(observation.contact().handle())) {
                    current.refreshKeyState();
                }
            });
            if (observation.accountKeyChanged()) {
                executors.onUi(() -> notice.set(observation.contact().handle() + "'s safety number changed."
                        + " Open their contact panel to compare it again."));
            }
        }

        @Override
        public void problem(String message) {
            executors.onUi(() -> notice.set(Character.toUpperCase(message.charAt(0)) + message.substring(1)));
        }
    };
    private final Object pendingLock = new Object();
    private List<StoredMessage> pendingInserts = new ArrayList<>();
    private Map<Long, MessageStatus> pendingStatuses = new LinkedHashMap<>();
    private boolean flushScheduled;
    private volatile long lastFlush = System.nanoTime() - BATCH_MILLIS * 1_000_000;
    private boolean refreshing;
    private boolean updatingList;
    private boolean refreshAgain;
    /** Conversations to read again once the running reload is done. */
    private final Set<Long> touchedAgain = new LinkedHashSet<>();
    /** Each listed conversation's newest message id, which orders the list. */
    private final Map<Long, Long> newestMessage = new HashMap<>();

    public ConversationsViewModel(Session session, UiExecutors executors, SearchService search) {
        this.session = session;
        this.executors = executors;
        this.search = search;
        session.store().messages().addInsertListener(inserts);
        session.store().messages().addStatusListener(statuses);
        session.addListener(events);
    }

    /** Stops listening; the session is closing. */
    public void dispose() {
        session.store().messages().removeInsertListener(inserts);
        session.store().messages().removeStatusListener(statuses);
        session.removeListener(events);
    }

    public String handle() {
        return session.handle();
    }

    /** The invite link of this profile's relay, for others to join it (it holds no secret). */
    public String inviteLink() {
        return session.messenger().invite().link();
    }

    public Session session() {
        return session;
    }

    public ObservableList<ConversationRow> conversations() {
        return conversations;
    }

    public ObservableList<SearchRow> results() {
        return results;
    }

    public ReadOnlyObjectProperty<ConversationViewModel> openProperty() {
        return open;
    }

    public StringProperty queryProperty() {
        return query;
    }

    public ReadOnlyStringProperty problemProperty() {
        return problem;
    }

    /** Something the user should know that is not an error of theirs (a key change, a dropped message). */
    public ReadOnlyStringProperty noticeProperty() {
        return notice;
    }

    /**
     * Reloads the conversation list. While a reload runs, further calls make one more reload after
     * it rather than one each, so a burst of messages reads the list a few times, not once per message.
     */
    public void refresh() {
        reload(null);
    }

    /**
     * Reads again only the named conversations (a message came, or was read), which keep or take
     * their place in the list by their newest message: a burst into one conversation then reads
     * one row per batch, not all of them. A conversation not in the list yet reloads the whole list.
     */
    private void refresh(Set<Long> ids) {
        if (ids.size() > PARTIAL_LIMIT) {
            reload(null);
        } else if (!ids.isEmpty()) {
            reload(ids);
        }
    }

    /** A row as read, with the id of its newest message, which places it in the list. */
    private record Listed(ConversationRow row, long newestMessage) {
    }

    /** @param only the conversations to read, or null for all of them */
    private void reload(Set<Long> only) {
        if (refreshing) {
            if (only == null) {
                refreshAgain = true;
            } else {
                touchedAgain.addAll(only);
            }
            return;
        }
        refreshing = true;
        executors.run(() -> {
            List<ConversationSummary> read = only == null ? session.store().conversations().list()
                    : session.store().conversations().list(only);
            List<Listed> rows = new ArrayList<>();
            for (ConversationSummary s : read) {
                String preview = s.lastMessage().map(ConversationsViewModel::preview).orElse("No messages yet");
                rows.add(new Listed(new ConversationRow(s.id(), s.damaged() ? "(damaged conversation)" : s.peer(),
                        preview, s.unread()), s.lastMessage().map(StoredMessage::id).orElse(0L)));
            }
            return rows;
        }, rows -> {
            if (only == null) {
                newestMessage.clear();
                rows.forEach(listed -> newestMessage.put(listed.row().id(), listed.newestMessage()));
                update(rows.stream().map(Listed::row).toList());
            } else if (rows.stream().allMatch(listed -> newestMessage.containsKey(listed.row().id()))) {
                Map<Long, ConversationRow> changed = new HashMap<>();
                for (Listed listed : rows) {
                    changed.put(listed.row().id(), listed.row());
                    newestMessage.put(listed.row().id(), listed.newestMessage());
                }
                List<ConversationRow> merged = new ArrayList<>(conversations.size());
                for (ConversationRow row : conversations) {
                    merged.add(changed.getOrDefault(row.id(), row));
                }
                // the order list() gives: newest message first, then the newer conversation
                merged.sort(Comparator.comparingLong((ConversationRow row) -> newestMessage.getOrDefault(row.id(), 0L))
                        .thenComparingLong(ConversationRow::id).reversed());
                update(merged);
            } else {
                refreshAgain = true; // a conversation the list does not have yet
            }
            refreshed();
        }, failure -> {
            problem.set(Problems.describe(failure));
            refreshed();
        });
    }

    /**
     * Replaces only the rows that changed, so the list repaints those (usually one), not all; a
     * reload that moves rows replaces the whole list in one change.
     */
    private void update(List<ConversationRow> rows) {
        updatingList = true;
        try {
            boolean sameOrder = rows.size() == conversations.size();
            for (int i = 0; sameOrder && i < rows.size(); i++) {
                sameOrder = rows.get(i).id() == conversations.get(i).id();
            }
            if (!sameOrder) {
                conversations.setAll(rows);
                return;
            }
            for (int i = 0; i < rows.size(); i++) {
                if (!rows.get(i).equals(conversations.get(i))) {
                    conversations.set(i, rows.get(i));
                }
            }
        } finally {
            updatingList = false;
        }
    }

    /** Whether the list is being reloaded: a selection that moves meanwhile is not the user's. */
    public boolean updatingList() {
        return updatingList;
    }

    private void refreshed() {
        refreshing = false;
        if (refreshAgain) {
            refreshAgain = false;
            touchedAgain.clear();
            reload(null);
        } else if (!touchedAgain.isEmpty()) {
            Set<Long> ids = new LinkedHashSet<>(touchedAgain);
            touchedAgain.clear();
            refresh(ids);
        }
    }

    static String preview(StoredMessage m) {
        MessageRow row = MessageRow.of(m);
        String text = row.text().replaceAll("\\s+", " ").strip();
        String clipped = text.length() > PREVIEW ? text.substring(0, PREVIEW - 1) + "…" : text;
        return row.outgoing() ? "You: " + clipped : clipped;
    }

    /** Opens a conversation from the list. */
    public void select(ConversationRow row) {
        if (row == null || row.peer() == null) {
            return;
        }
        ConversationViewModel current = open.get();
        if (current != null && current.conversationId() == row.id()) {
            return;
        }
        show(new ConversationViewModel(session, executors, row.id(), row.peer()));
        if (row.unread() > 0) {
            refresh();
        }
    }

    private void show(ConversationViewModel next) {
        open.set(next);
        next.open();
    }

    /** Adds someone by handle (the relay's keys for them become the first entries of their key history) and opens the conversation. */
    public void addContact(String handle) {
        if (handle == null || handle.isBlank()) {
            return;
        }
        problem.set("");
        executors.run(() -> {
            String normalized = session.messenger().addContact(handle.strip()).contact().handle();
            long id = session.store().conversations().open(normalized);
            return new ConversationRow(id, normalized, "No messages yet", 0);
        }, row -> {
            refresh();
            select(row);
        }, failure -> problem.set(Problems.describe(failure)));
    }

    /** Searches every conversation; an empty query clears the results. */
    public void search() {
        String text = query.get() == null ? "" : query.get().strip();
        if (text.isEmpty()) {
            results.clear();
            return;
        }
        executors.run(() -> {
            SearchResult found = search.search(text, SEARCH_LIMIT);
            List<SearchRow> rows = new ArrayList<>();
            for (SearchHit hit : found.hits()) {
                Optional<StoredMessage> m = session.store().messages().get(hit.messageId());
                if (m.isPresent()) {
                    rows.add(new SearchRow(hit.messageId(), hit.conversationId(),
                            session.store().conversations().peer(hit.conversationId()), excerpt(m.get(), text)));
                }
            }
            return rows;
        }, rows -> {
            if (text.equals(query.get() == null ? "" : query.get().strip())) {
                results.setAll(rows);
            }
        }, failure -> problem.set(Problems.describe(failure)));
    }

    /** Opens the conversation with a contact (started if there is none yet), then runs {@code then} on the UI thread. */
    public void openPeer(String handle, Runnable then) {
        executors.run(() -> session.store().conversations().open(handle), id -> {
            select(new ConversationRow(id, handle, "", 0));
            then.run();
        }, failure -> problem.set(Problems.describe(failure)));
    }

    /** Whether search has indexed every message yet. */
    public boolean searchReady() {
        return search.state().phase() == SearchService.Phase.READY;
    }

    static String excerpt(StoredMessage m, String query) {
        String text = MessageRow.of(m).text().replaceAll("\\s+", " ");
        String first = query.split("\\s+")[0].toLowerCase(Locale.ROOT);
        int at = Math.max(0, text.toLowerCase(Locale.ROOT).indexOf(first));
        int from = Math.max(0, at - 30);
        int to = Math.min(text.length(), at + first.length() + 50);
        return (from > 0 ? "…" : "") + text.substring(from, to) + (to < text.length() ? "…" : "");
    }

    /**
     * Opens the conversation of a search hit at the hit, with the page around it (even when that
     * conversation is the one open); the query and its results stay.
     */
    public void openResult(SearchRow row) {
        if (row == null) {
            return;
        }
        show(new ConversationViewModel(session, executors, row.conversationId(), row.peer(), row.messageId()));
        refresh(); // the pages read may have held unread messages
    }

    /*
     * Store events come one per committed message (a burst of a thousand received messages is a
     * thousand events); they are gathered here and handed to the UI thread in one batch per turn of
     * its queue, so the window keeps drawing and the list is read again once per batch, not once
     * per message.
     */
    private void onInserted(List<StoredMessage> stored) {
        boolean schedule;
        synchronized (pendingLock) {
            pendingInserts.addAll(stored);
            schedule = !flushScheduled;
            flushScheduled = true;
        }
        if (schedule) {
            scheduleFlush();
        }
    }

    private void onStatus(long messageId, MessageStatus status) {
        boolean schedule;
        synchronized (pendingLock) {
            pendingStatuses.put(messageId, status);
            schedule = !flushScheduled;
            flushScheduled = true;
        }
        if (schedule) {
            scheduleFlush();
        }
    }

    /** The first event after a quiet spell shows at once; the ones after it wait for the batch. */
    private void scheduleFlush() {
        long wait = (lastFlush + BATCH_MILLIS * 1_000_000 - System.nanoTime()) / 1_000_000;
        executors.onUiAfter(wait, this::flush);
    }

    /** On the UI thread: the inserts first (a status may be about one of them), then the status changes. */
    private void flush() {
        List<StoredMessage> inserted;
        Map<Long, MessageStatus> changed;
        synchronized (pendingLock) {
            inserted = pendingInserts;
            changed = pendingStatuses;
            pendingInserts = new ArrayList<>();
            pendingStatuses = new LinkedHashMap<>();
            flushScheduled = false;
        }
        lastFlush = System.nanoTime();
        ConversationViewModel current = open.get();
        if (current != null) {
            current.stored(inserted.stream().filter(m -> m.conversationId() == current.conversationId()).toList());
            changed.forEach(current::statusChanged);
        }
        // a new newest message, or an unread count that went down: those conversations' rows
        Set<Long> touched = new LinkedHashSet<>();
        inserted.forEach(m -> touched.add(m.conversationId()));
        boolean elsewhere = false;
        for (Map.Entry<Long, MessageStatus> e : changed.entrySet()) {
            if (e.getValue() == MessageStatus.READ) {
                if (current != null && current.holds(e.getKey())) {
                    touched.add(current.conversationId());
                } else {
                    elsewhere = true; // read in a conversation this window does not hold
                }
            }
        }
        if (elsewhere) {
            refresh();
        } else {
            refresh(touched);
        }
    }
}
