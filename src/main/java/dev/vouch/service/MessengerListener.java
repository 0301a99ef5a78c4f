package dev.vouch.service;

import dev.vouch.store.model.Contact;
import dev.vouch.store.model.StoredMessage;

/**
 * What the messaging service tells its face (the command line, the desktop app). Called on the
 * service's own thread, never the caller's: a UI hands these to its UI thread.
 */
public interface MessengerListener {
    /** A new message was stored (never called twice for the same message). */
    default void received(StoredMessage message, Contact from) {
    }

    /** A contact's keys changed; the events are already in their key history. */
    default void keysChanged(KeyDirectory.Observation observation) {
    }

    /** The recipient's device confirmed one of our messages. */
    default void delivered(long messageId) {
    }

    /**
     * The link to the relay came up ({@code true}) or was lost ({@code false}); while it is down,
     * sent messages wait in the outbox and the client reconnects by itself.
     */
    default void connectionChanged(boolean connected) {
    }

    /** Something went wrong that the user may want to know; never contains message content or keys. */
    default void problem(String message) {
    }

    MessengerListener NONE = new MessengerListener() {
    };
}
