package dev.vouch.ui.common;

import dev.vouch.service.KeyDirectory;
import dev.vouch.service.Messenger;
import dev.vouch.service.MessengerListener;
import dev.vouch.service.ServiceException;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.StoredMessage;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One unlocked profile as the app sees it: its store and its messaging engine, and the service's
 * events fanned out to whichever screens listen (each screen hands them to the UI thread itself).
 * Lives from unlock to lock; the store outlives it, locked.
 */
public final class Session implements AutoCloseable {
    private final ProfileStore store;
    private final Messenger messenger;
    private final List<MessengerListener> listeners;

    private Session(ProfileStore store, Messenger messenger, List<MessengerListener> listeners) {
        this.store = store;
        this.messenger = messenger;
        this.listeners = listeners;
    }

    /** Opens the messaging engine on an unlocked store, offline; call {@code messenger().connect()} next. */
    public static Session open(ProfileStore store, Messenger.Options options) throws ServiceException, StoreException {
        List<MessengerListener> listeners = new CopyOnWriteArrayList<>();
        Messenger messenger = Messenger.open(store, options, new MessengerListener() {
            @Override
            public void received(StoredMessage message, Contact from) {
                listeners.forEach(l -> l.received(message, from));
            }

            @Override
            public void keysChanged(KeyDirectory.Observation observation) {
                listeners.forEach(l -> l.keysChanged(observation));
            }

            @Override
            public void delivered(long messageId) {
                listeners.forEach(l -> l.delivered(messageId));
            }

            @Override
            public void connectionChanged(boolean connected) {
                listeners.forEach(l -> l.connectionChanged(connected));
            }

            @Override
            public void problem(String message) {
                listeners.forEach(l -> l.problem(message));
            }
        });
        return new Session(store, messenger, listeners);
    }

    public ProfileStore store() {
        return store;
    }

    public Messenger messenger() {
        return messenger;
    }

    public String handle() {
        return messenger.account().handle();
    }

    /** Called on the service's thread: a listener hands what it needs to the UI thread. */
    public void addListener(MessengerListener listener) {
        listeners.add(listener);
    }

    public void removeListener(MessengerListener listener) {
        listeners.remove(listener);
    }

    /** Stops the engine (the relay connection and its thread); the store stays open. */
    @Override
    public void close() {
        listeners.clear();
        messenger.close();
    }
}
