package dev.vouch.ui.notifications;

import dev.vouch.service.MessengerListener;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.ui.common.NotificationContent;
import dev.vouch.ui.common.Session;
import dev.vouch.ui.common.UiExecutors;
import dev.vouch.ui.common.UiSettings;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Notifies of an incoming message when its conversation is not the one open or the window does
 * not have the focus, showing what the person's setting allows (sender only by default; the text
 * only when they chose it). Lives from unlock to lock, like the {@link Session} it listens to.
 */
public final class MessageNotifications implements AutoCloseable {
    /** The longest text a notification shows; the rest is in the conversation. */
    static final int MAX_TEXT = 160;

    private final Session session;
    private final UiSettings settings;
    private final UiExecutors executors;
    private final Notifier notifier;
    private final BooleanSupplier windowFocused;
    private final Supplier<Optional<String>> openPeer;
    private final MessengerListener listener = new MessengerListener() {
        @Override
        public void received(StoredMessage message, Contact from) {
            executors.onUi(() -> arrived(message, from));
        }
    };

    /**
     * @param windowFocused whether the app's window has the focus (read on the UI thread)
     * @param openPeer      the handle of the conversation open in the window, if any
     */
    public MessageNotifications(Session session, UiSettings settings, UiExecutors executors, Notifier notifier,
                                BooleanSupplier windowFocused, Supplier<Optional<String>> openPeer) {
        this.session = session;
        this.settings = settings;
        this.executors = executors;
        this.notifier = notifier;
        this.windowFocused = windowFocused;
        this.openPeer = openPeer;
        session.addListener(listener);
    }

    /** A message was stored; on the UI thread. */
    void arrived(StoredMessage message, Contact from) {
        Optional<MessageBody> body = message.bodyIfIntact();
        boolean incoming = body.map(b -> b.direction() == Direction.INCOMING).orElse(true);
        if (!notifies(settings.notifications(), incoming, windowFocused.getAsBoolean(), openPeer.get(), from.handle())) {
            return;
        }
        String[] shown = render(settings.notificationContent(), from.handle(), body.map(MessageBody::text));
        notifier.show(shown[0], shown[1]);
    }

    /**
     * Whether a stored message makes a notification: it came in (a damaged one counts), notifications
     * are on, and the person is not looking at its conversation in the focused window already.
     */
    static boolean notifies(boolean enabled, boolean incoming, boolean windowFocused, Optional<String> openPeer,
                            String sender) {
        boolean inSight = windowFocused && openPeer.filter(sender::equals).isPresent();
        return enabled && incoming && !inSight;
    }

    /** The title and body a notification shows under {@code content}: never the text unless chosen. */
    static String[] render(NotificationContent content, String sender, Optional<String> text) {
        return switch (content) {
            case NOTHING -> new String[] {"Vouch", "New message"};
            case SENDER_ONLY -> new String[] {"Vouch", "New message from " + sender};
            case SENDER_AND_TEXT -> new String[] {sender, text.map(MessageNotifications::shorten)
                    .orElse("A message that could not be read (see the conversation)")};
        };
    }

    private static String shorten(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= MAX_TEXT ? line : line.substring(0, MAX_TEXT - 1) + "…";
    }

    @Override
    public void close() {
        session.removeListener(listener);
    }
}
