package dev.vouch.ui.conversations;

import dev.vouch.ui.common.WarningRow;
import dev.vouch.ui.contact.ContactView;
import dev.vouch.ui.review.ReviewView;
import dev.vouch.ui.review.ReviewViewModel;
import dev.vouch.ui.shell.DesktopConfig;
import dev.vouch.ui.shell.ShellViewModel;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.css.PseudoClass;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/**
 * The main window: conversations and search on the left, the open conversation in the middle,
 * the contact panel on the right. Keyboard: Ctrl+F search, Ctrl+N add a contact, Ctrl+I the
 * contact panel, Alt+Up/Down the previous/next conversation, Enter sends, Shift+Enter a new line.
 */
public final class ConversationsView extends BorderPane {
    static final KeyCombination SEARCH = new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination ADD = new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination CONTACT = new KeyCodeCombination(KeyCode.I, KeyCombination.SHORTCUT_DOWN);
    static final KeyCombination PREVIOUS = new KeyCodeCombination(KeyCode.UP, KeyCombination.ALT_DOWN);
    static final KeyCombination NEXT = new KeyCodeCombination(KeyCode.DOWN, KeyCombination.ALT_DOWN);
    /**
     * An older page is asked for when the first row shown is one of this many at the top; a newer
     * one (when the newest is not loaded) when the last row shown is one of this many at the end.
     */
    static final int OLDER_AHEAD = 10;
    /** How long the message a search hit opened at stays highlighted. */
    static final javafx.util.Duration HIGHLIGHT = javafx.util.Duration.seconds(3);
    /** The pseudo-class of that message's bubble (styled in conversations.css). */
    static final PseudoClass SEARCH_HIT = PseudoClass.getPseudoClass("search-hit");
    /** The widest a message bubble grows; in a narrower list it takes the list's width and wraps its text. */
    static final double BUBBLE_MAX = 520;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private final ConversationsViewModel viewModel;
    private final DesktopConfig config;
    private final ListView<ConversationRow> list = new ListView<>();
    /**
     * Older pages are asked for after a layout that shows one of the first rows, and newer pages
     * after one that shows one of the last rows, never from a cell's update: the list also updates
     * cells it only measures (at any index, row 0 included), and a page asked for from there loaded
     * pages the user never scrolled to.
     */
    private final ListView<MessageRow> messages = new ListView<>() {
        @Override
        protected void layoutChildren() {
            super.layoutChildren(); // the skin knows the rows' number now; its flow lays them out after this
            boolean rows = getItems() != null && !getItems().isEmpty();
            if (endPending) {
                endPending = false;
                if (rows && lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
                    // the very end, whatever the rows' heights: scrollTo(last) places the last row
                    // from estimated heights and can leave it just below the view, and the list then
                    // stops following a burst (BurstFollowTest)
                    flow.setPosition(1);
                }
            }
            if (focusPending >= 0 && rows) {
                scrollToHit(focusPending);
                focusPending = -1;
            }
            if (shown != null && rows && (!shown.exhausted() || !shown.atNewest())) {
                ConversationViewModel loading = shown;
                Platform.runLater(() -> {
                    if (shown != loading || getItems() == null) {
                        return;
                    }
                    int first = firstVisible();
                    int last = lastVisible();
                    if (first >= 0 && first < OLDER_AHEAD && !loading.exhausted()) {
                        loading.loadOlder();
                    } else if (last >= 0 && last >= getItems().size() - OLDER_AHEAD && !loading.atNewest()) {
                        loading.loadNewer();
                    }
                });
            }
        }
    };
    /** Scroll to the newest row in the next layout, once the list knows how many rows it has. */
    private boolean endPending;
    /** The message to bring into view (near the top) in the next layout, or -1. */
    private long focusPending = -1;
    /** The message whose bubble is highlighted, or -1. */
    private long highlighted = -1;
    private final javafx.animation.PauseTransition highlightTimer = new javafx.animation.PauseTransition(HIGHLIGHT);
    private final TextArea composer = new TextArea();
    private final Label peer = new Label("Choose a conversation, or add someone by their handle.");
    private final Label conversationProblem = new Label();
    private final ToggleButton contactButton = new ToggleButton("Safety number");
    private final TextField search = new TextField();
    private final TextField newContact = new TextField();
    private ConversationViewModel shown;
    private final Label banner = new Label();
    private final javafx.beans.property.BooleanProperty keyChanged = new javafx.beans.property.SimpleBooleanProperty();
    private final ListChangeListener<MessageRow> keepPlace = this::keepPlace;
    private VBox left;
    private Runnable reviewed = () -> { };

    public ConversationsView(ShellViewModel shell, DesktopConfig config) {
        this.config = config;
        this.viewModel = new ConversationsViewModel(shell.sessionProperty().get(), config.executors(), shell.search());

        Label me = new Label(viewModel.handle());
        me.setId("me");
        me.getStyleClass().add("title-4");
        Label connection = new Label();
        connection.setId("connection");
        connection.setWrapText(true);
        connection.getStyleClass().add("text-muted");
        connection.textProperty().bind(shell.connectionProperty());

        search.setId("search");
        search.setPromptText("Search all messages (Ctrl+F)");
        search.textProperty().bindBidirectional(viewModel.queryProperty());
        search.textProperty().addListener((o, was, now) -> viewModel.search());
        ListView<SearchRow> results = new ListView<>(viewModel.results());
        results.setId("searchResults");
        results.setPrefHeight(220);
        results.setCellFactory(v -> new ListCell<>() {
            @Override
            protected void updateItem(SearchRow row, boolean empty) {
                super.updateItem(row, empty);
                setText(empty || row == null ? null : row.peer() + ": " + row.excerpt());
            }
        });
        results.setOnMouseClicked(e -> viewModel.openResult(results.getSelectionModel().getSelectedItem()));
        results.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                viewModel.openResult(results.getSelectionModel().getSelectedItem());
            } else if (e.getCode() == KeyCode.ESCAPE) {
                leaveSearch();
            } else if (e.getCode() == KeyCode.UP && results.getSelectionModel().getSelectedIndex() <= 0) {
                search.requestFocus();
            } else {
                return;
            }
            e.consume();
        });
        // From the field: Down into the hits, Enter opens the selected one (else the first), Escape leaves.
        search.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.DOWN && !results.getItems().isEmpty()) {
                if (results.getSelectionModel().getSelectedIndex() < 0) {
                    results.getSelectionModel().select(0);
                }
                results.requestFocus();
            } else if (e.getCode() == KeyCode.ENTER && !results.getItems().isEmpty()) {
                SearchRow selected = results.getSelectionModel().getSelectedItem();
                viewModel.openResult(selected != null ? selected : results.getItems().get(0));
            } else if (e.getCode() == KeyCode.ESCAPE) {
                leaveSearch();
            } else {
                return;
            }
            e.consume();
        });
        results.visibleProperty().bind(search.textProperty().isNotEmpty());
        results.managedProperty().bind(results.visibleProperty());

        list.setId("conversations");
        list.setItems(viewModel.conversations());
        list.setCellFactory(v -> new ConversationCell());
        list.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (now != null && !viewModel.updatingList()) {
                viewModel.select(now);
            }
        });
        // A reload that moves rows (a conversation with a new message goes to the top) leaves the
        // selection on the open conversation, wherever its row went.
        viewModel.conversations().addListener((ListChangeListener<ConversationRow>) change -> keepSelection());
        VBox.setVgrow(list, Priority.ALWAYS);

        newContact.setId("newContact");
        newContact.setPromptText("Add someone by handle (Ctrl+N)");
        Button add = new Button("Add");
        add.setId("addContact");
        add.setOnAction(e -> {
            viewModel.addContact(newContact.getText());
            newContact.clear();
        });
        newContact.setOnAction(add.getOnAction());
        HBox addRow = new HBox(6, newContact, add);
        HBox.setHgrow(newContact, Priority.ALWAYS);
        Label listProblem = new Label();
        listProblem.setId("listProblem");
        listProblem.setWrapText(true);
        listProblem.getStyleClass().add("danger");
        listProblem.textProperty().bind(viewModel.problemProperty());

        Button copyInvite = new Button("Copy invite link");
        copyInvite.setId("copyInvite");
        copyInvite.setTooltip(new javafx.scene.control.Tooltip("Copies the link others paste on their first run to"
                + " join your relay"));
        copyInvite.setOnAction(e -> {
            javafx.scene.input.ClipboardContent content = new javafx.scene.input.ClipboardContent();
            content.putString(viewModel.inviteLink());
            javafx.scene.input.Clipboard.getSystemClipboard().setContent(content);
        });

        Button archive = new Button("Export or import...");
        archive.setId("archiveButton");
        archive.setTooltip(new javafx.scene.control.Tooltip("Move your history, and your account if you choose, to"
                + " another computer in one encrypted file"));
        archive.setOnAction(e -> dev.vouch.ui.archive.ArchiveView.show(getScene().getWindow(),
                new dev.vouch.ui.archive.ArchiveViewModel(viewModel.session().store(), config.executors(), config.kdf(),
                        config.clock())));

        left = new VBox(8, me, connection, search, results, list, addRow, listProblem, copyInvite, archive);
        left.setPadding(new Insets(10));
        left.setPrefWidth(300);
        setLeft(left);

        peer.setId("peer");
        peer.getStyleClass().add("title-4");
        contactButton.setId("contactButton");
        contactButton.setDisable(true);
        contactButton.selectedProperty().addListener((o, was, now) -> showContact(now));
        Region spring = new Region();
        HBox.setHgrow(spring, Priority.ALWAYS);
        HBox header = new HBox(8, peer, spring, contactButton);
        header.setAlignment(Pos.CENTER_LEFT);

        messages.setId("messages");
        messages.setCellFactory(v -> new MessageCell());
        messages.setPlaceholder(new Label("No messages yet."));
        VBox.setVgrow(messages, Priority.ALWAYS);

        composer.setId("composer");
        composer.setPromptText("Write a message. Enter sends, Shift+Enter starts a new line.");
        composer.setWrapText(true);
        composer.setPrefRowCount(3);
        composer.setDisable(true);
        composer.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ENTER) {
                e.consume();
                if (e.isShiftDown()) {
                    composer.insertText(composer.getCaretPosition(), "\n");
                } else if (shown != null) {
                    shown.send();
                }
            }
        });
        Button send = new Button("Send");
        send.setId("send");
        send.setMinWidth(Region.USE_PREF_SIZE); // a narrow window narrows the composer, never the button's word
        send.disableProperty().bind(composer.disableProperty());
        send.setOnAction(e -> {
            if (shown != null) {
                shown.send();
            }
        });
        HBox composerRow = new HBox(8, composer, send);
        HBox.setHgrow(composer, Priority.ALWAYS);
        conversationProblem.setId("conversationProblem");
        conversationProblem.setWrapText(true);
        conversationProblem.getStyleClass().add("warning");
        Label notice = new Label();
        notice.setId("notice");
        notice.setWrapText(true);
        notice.getStyleClass().add("warning");
        notice.textProperty().bind(viewModel.noticeProperty());
        notice.managedProperty().bind(notice.textProperty().isNotEmpty());
        // warnings show whole: the message list gives up the room, not them
        notice.setMinHeight(Region.USE_PREF_SIZE);
        conversationProblem.setMinHeight(Region.USE_PREF_SIZE);

        banner.setId("keyChangeText");
        Button review = new Button("Review the change");
        review.setId("reviewButton");
        review.setOnAction(e -> showReview());
        HBox bannerRow = WarningRow.of(banner, "danger", review);
        bannerRow.setId("keyChangeBanner");
        bannerRow.visibleProperty().bind(keyChanged);
        bannerRow.managedProperty().bind(keyChanged);

        VBox center = new VBox(8, header, bannerRow, notice, messages, conversationProblem, composerRow);
        center.setPadding(new Insets(10));
        setCenter(center);

        viewModel.openProperty().addListener((o, was, now) -> show(now));
        highlightTimer.setOnFinished(e -> {
            highlighted = -1;
            messages.refresh();
        });
        getStylesheets().add(ConversationsView.class.getResource("conversations.css").toExternalForm());
        sceneProperty().addListener((o, was, now) -> {
            if (now != null) {
                installShortcuts();
            }
        });
        viewModel.refresh();
    }

    public ConversationsViewModel viewModel() {
        return viewModel;
    }

    /** Puts a window-wide button (settings, say) under the conversation list's own buttons. */
    public void addTool(javafx.scene.Node tool) {
        left.getChildren().add(tool);
    }

    private void installShortcuts() {
        addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (SEARCH.match(e)) {
                search.requestFocus();
            } else if (ADD.match(e)) {
                newContact.requestFocus();
            } else if (CONTACT.match(e) && !contactButton.isDisabled()) {
                contactButton.setSelected(!contactButton.isSelected());
            } else if (PREVIOUS.match(e)) {
                step(-1);
            } else if (NEXT.match(e)) {
                step(1);
            } else {
                return;
            }
            e.consume();
        });
    }

    /** Escape in the search: the query and its hits go, and the keyboard is back in the conversation list. */
    private void leaveSearch() {
        viewModel.queryProperty().set("");
        list.requestFocus();
    }

    private void keepSelection() {
        ConversationViewModel open = viewModel.openProperty().get();
        ConversationRow selected = list.getSelectionModel().getSelectedItem();
        if (open == null || (selected != null && selected.id() == open.conversationId())) {
            return;
        }
        for (int i = 0; i < list.getItems().size(); i++) {
            if (list.getItems().get(i).id() == open.conversationId()) {
                list.getSelectionModel().select(i);
                return;
            }
        }
    }

    private void step(int delta) {
        int size = list.getItems().size();
        if (size == 0) {
            return;
        }
        int at = list.getSelectionModel().getSelectedIndex();
        int next = Math.max(0, Math.min(size - 1, at < 0 ? 0 : at + delta));
        list.getSelectionModel().select(next);
        list.scrollTo(next);
    }

    private void show(ConversationViewModel conversation) {
        if (shown != null) {
            composer.textProperty().unbindBidirectional(shown.draftProperty());
            shown.messages().removeListener(keepPlace);
            conversationProblem.textProperty().unbind();
            keyChanged.unbind();
        }
        shown = conversation;
        contactButton.setSelected(false);
        setRight(null);
        if (conversation == null) {
            keyChanged.set(false);
            messages.setItems(null);
            composer.setDisable(true);
            contactButton.setDisable(true);
            return;
        }
        peer.setText(conversation.peer());
        messages.setItems(conversation.messages());
        conversation.messages().addListener(keepPlace);
        composer.textProperty().bindBidirectional(conversation.draftProperty());
        conversationProblem.textProperty().bind(conversation.problemProperty());
        keyChanged.bind(conversation.keyChangedProperty());
        banner.setText(conversation.peer() + "'s safety number changed after you verified them. Messages to "
                + conversation.peer() + " are held until you review the change.");
        composer.setDisable(false);
        contactButton.setDisable(false);
        Platform.runLater(composer::requestFocus);
        highlightTimer.stop();
        highlighted = -1;
        if (conversation.target() < 0) {
            scrollToEnd();
        }
    }

    /**
     * Older pages go in at the top without moving what the user looks at, and so do newer pages at
     * the end; new messages scroll into view when the user is at the newest (or sent one), never
     * when they read further up. The first page shows the newest, or the search hit it opened at.
     */
    private void keepPlace(ListChangeListener.Change<? extends MessageRow> change) {
        while (change.next()) {
            if (!change.wasAdded() || change.wasReplaced()) {
                continue;
            }
            int size = change.getList().size();
            if (change.getFrom() == 0 && size > change.getAddedSize()) {
                // before the next layout, or the cells at the top would ask for yet another page
                messages.scrollTo(Math.max(0, firstVisible()) + change.getAddedSize());
            } else if (change.getFrom() == 0) {
                if (shown != null && shown.target() >= 0) {
                    focusPending = shown.target();
                    messages.requestLayout();
                } else {
                    scrollToEnd();
                }
            } else if (change.getTo() == size && shown != null && shown.atNewest()) {
                // A newer page (read while not at the newest) never moves the list; a new message
                // does when the last row was in view, or it is one sent from here.
                boolean atBottom = lastVisible() >= change.getFrom() - 1;
                if (atBottom || change.getAddedSubList().stream().anyMatch(MessageRow::outgoing)) {
                    scrollToEnd();
                }
            }
        }
    }

    /**
     * Scrolls the message near the top of the list (a quarter of the list's height below it, to show
     * what led to it) and highlights its bubble for {@link #HIGHLIGHT}.
     * The list places a row it has not measured yet from estimated heights of the rows above it, so
     * once they are laid out the row is placed again, to the pixel.
     */
    private void scrollToHit(long messageId) {
        int at = rowOf(messageId);
        if (at < 0) {
            return;
        }
        messages.scrollTo(at);
        highlighted = messageId;
        highlightTimer.playFromStart();
        ConversationViewModel conversation = shown;
        Platform.runLater(() -> placeAtTop(conversation, messageId, 3));
    }

    @SuppressWarnings("unchecked")
    private void placeAtTop(ConversationViewModel conversation, long messageId, int attempts) {
        int at = rowOf(messageId);
        if (shown != conversation || at < 0 || !(messages.lookup(".virtual-flow") instanceof VirtualFlow<?> any)) {
            return;
        }
        VirtualFlow<ListCell<MessageRow>> flow = (VirtualFlow<ListCell<MessageRow>>) any;
        ListCell<MessageRow> cell = flow.getVisibleCell(at);
        if (cell != null) {
            flow.scrollToTop(cell);
            // then a little of what came before it, if the message leaves room for that
            double room = flow.getHeight() - cell.getHeight();
            if (room > 0) {
                flow.scrollPixels(-Math.min(room, flow.getHeight() / 4));
            }
        } else if (attempts > 0) {
            messages.scrollTo(at);
            Platform.runLater(() -> placeAtTop(conversation, messageId, attempts - 1));
        }
    }

    /** The row of a loaded message, or -1. */
    private int rowOf(long messageId) {
        for (int i = 0; i < messages.getItems().size(); i++) {
            if (messages.getItems().get(i).id() == messageId) {
                return i;
            }
        }
        return -1;
    }

    /**
     * In the next layout, before the rows are placed, so the first layout already shows the newest
     * messages (row 0 first would ask for an older page nobody scrolled to).
     */
    private void scrollToEnd() {
        endPending = true;
        messages.requestLayout();
    }

    /** The first row laid out, or -1 before any. */
    private int firstVisible() {
        if (messages.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
            IndexedCell<?> cell = flow.getFirstVisibleCell();
            return cell == null || cell.isEmpty() ? -1 : cell.getIndex();
        }
        return -1;
    }

    /** The last row laid out, or -1 before any. */
    private int lastVisible() {
        if (messages.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
            IndexedCell<?> cell = flow.getLastVisibleCell();
            return cell == null || cell.isEmpty() ? -1 : cell.getIndex();
        }
        return -1;
    }

    private void showContact(boolean visible) {
        if (!visible || shown == null) {
            setRight(null);
            return;
        }
        ContactView panel = new ContactView(viewModel.session(), config, shown.peer());
        setRight(panel);
    }

    private void showReview() {
        if (shown == null) {
            return;
        }
        ConversationViewModel conversation = shown;
        contactButton.setSelected(false);
        setRight(new ReviewView(new ReviewViewModel(viewModel.session(), config.executors(), conversation.peer(), () -> {
            conversation.refreshKeyState();
            reviewed.run();
        })));
    }

    /** Opens the conversation with {@code handle} and its review screen ("Review now" of a reminder). */
    public void review(String handle) {
        viewModel.openPeer(handle, this::showReview);
    }

    /** Runs (on the UI thread) after each answer on a review screen, so reminders can be read again. */
    public void onReviewed(Runnable action) {
        reviewed = action;
    }

    /** Stops listening to the store; the session is ending. */
    public void dispose() {
        show(null);
        viewModel.dispose();
    }

    private final class ConversationCell extends ListCell<ConversationRow> {
        private final Label name = new Label();
        private final Label preview = new Label();
        private final Label unread = new Label();
        private final HBox box;

        ConversationCell() {
            name.getStyleClass().add("text-bold");
            preview.getStyleClass().add("text-muted");
            unread.getStyleClass().addAll("accent", "text-bold");
            unread.setMinWidth(Region.USE_PREF_SIZE);
            // the text takes the width the list has and ends in an ellipsis, rather than widening the
            // cell past the list (which gave the list a sideways scroll bar)
            VBox text = new VBox(2, name, preview);
            text.setMinWidth(0);
            HBox.setHgrow(text, Priority.ALWAYS);
            box = new HBox(6, text, unread);
            box.setAlignment(Pos.CENTER_LEFT);
            setPrefWidth(0);
        }

        @Override
        protected void updateItem(ConversationRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            name.setText(row.peer());
            preview.setText(row.preview());
            unread.setText(row.unread() > 0 ? Long.toString(row.unread()) : "");
            setGraphic(box);
        }
    }

    /**
     * One message. Its bubble is as wide as its text needs, up to {@link #BUBBLE_MAX} and never wider
     * than the cell, and the cell is as tall as the text wrapped to that width: the height is asked
     * for at the width the list gives the cell (a Labeled cell's skin would ask its graphic for its
     * height at the graphic's preferred width, that is unwrapped, and cut long text off in a narrow
     * list). No binding to the cell's width, so a layout pass never sets sizes that need another.
     */
    private final class MessageCell extends ListCell<MessageRow> {
        private final Label text = new Label();
        private final Label meta = new Label();
        private final VBox bubble = new VBox(2, text, meta);
        private final HBox line = new HBox(bubble);

        MessageCell() {
            text.setWrapText(true);
            meta.getStyleClass().addAll("text-muted", "text-small");
            bubble.getStyleClass().add("message-bubble");
            bubble.setPadding(new Insets(6, 10, 6, 10));
            bubble.setMaxWidth(BUBBLE_MAX);
            setPrefWidth(0);
            setContentDisplay(javafx.scene.control.ContentDisplay.GRAPHIC_ONLY);
        }

        @Override
        protected void updateItem(MessageRow row, boolean empty) {
            super.updateItem(row, empty);
            if (empty || row == null) {
                setGraphic(null);
                return;
            }
            text.setText(row.text());
            String status = row.statusText();
            meta.setText(row.damaged() ? "" : TIME.format(row.at()) + (status.isEmpty() ? "" : " · " + status));
            line.setAlignment(row.outgoing() ? Pos.CENTER_RIGHT : Pos.CENTER_LEFT);
            bubble.getStyleClass().removeAll("outgoing", "incoming");
            bubble.getStyleClass().add(row.outgoing() ? "outgoing" : "incoming");
            bubble.pseudoClassStateChanged(SEARCH_HIT, row.id() == highlighted);
            setGraphic(line);
        }

        /** The bubble's width in a cell of this width: what its text needs, at most the room there is. */
        private double bubbleWidth(double cellWidth) {
            double room = cellWidth - snappedLeftInset() - snappedRightInset();
            return Math.max(0, Math.min(Math.min(BUBBLE_MAX, bubble.prefWidth(-1)), room));
        }

        @Override
        protected double computePrefHeight(double width) {
            if (getGraphic() == null || width < 0) {
                return super.computePrefHeight(width);
            }
            return snappedTopInset() + bubble.prefHeight(bubbleWidth(width)) + snappedBottomInset();
        }

        @Override
        protected double computeMinHeight(double width) {
            return getGraphic() == null ? super.computeMinHeight(width) : computePrefHeight(width);
        }

        @Override
        protected void layoutChildren() {
            if (getGraphic() == null) {
                super.layoutChildren();
                return;
            }
            double left = snappedLeftInset();
            double top = snappedTopInset();
            double w = getWidth() - left - snappedRightInset();
            double h = getHeight() - top - snappedBottomInset();
            line.resizeRelocate(left, top, w, h); // the line's own layout places the bubble left or right
        }
    }
}
