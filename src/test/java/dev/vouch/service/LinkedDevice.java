package dev.vouch.service;

import dev.vouch.relay.api.Invite;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.StoredMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A new device in a fresh profile that shows a link code ({@link Messenger#requestLink}) and waits,
 * on its own thread, for an existing device of the account to accept it: what {@code vouch link
 * show} does, with a real profile and the real relay.
 */
final class LinkedDevice implements AutoCloseable {
    final ProfileStore store;
    final PendingLink pending;
    final CompletableFuture<Account> linked = new CompletableFuture<>();
    final List<StoredMessage> received = new CopyOnWriteArrayList<>();
    final List<String> problems = new CopyOnWriteArrayList<>();
    private final Messenger.Options options;
    private Messenger messenger;

    private LinkedDevice(ProfileStore store, PendingLink pending, Messenger.Options options) {
        this.store = store;
        this.pending = pending;
        this.options = options;
    }

    /** Shows a code in a new profile at {@code dir} and starts waiting for it to be accepted. */
    static LinkedDevice show(Path dir, Invite invite, String name, Messenger.Options options,
                             Optional<String> expectedHandle, Duration wait) throws Exception {
        ProfileStore store = ProfileStore.create(dir, "new device passphrase".toCharArray(), Member.FAST,
                options.clock());
        LinkedDevice device = new LinkedDevice(store, Messenger.requestLink(store, invite, name, options), options);
        Thread waiter = new Thread(() -> {
            try {
                device.linked.complete(device.pending.await(expectedHandle, wait));
            } catch (Throwable e) {
                device.linked.completeExceptionally(e);
            }
        }, "link-show");
        waiter.setDaemon(true);
        waiter.start();
        return device;
    }

    Account account() throws Exception {
        return linked.get(Member.WAIT.toSeconds() * 2, TimeUnit.SECONDS);
    }

    Messenger messenger() throws Exception {
        if (messenger == null) {
            messenger = Messenger.open(store, options, new MessengerListener() {
                @Override
                public void received(StoredMessage message, Contact from) {
                    received.add(message);
                }

                @Override
                public void problem(String message) {
                    problems.add(message);
                }
            });
        }
        return messenger;
    }

    Messenger online() throws Exception {
        messenger().connect();
        return messenger;
    }

    void offline() {
        if (messenger != null) {
            messenger.close();
            messenger = null;
        }
    }

    @Override
    public void close() {
        offline();
        store.close();
    }
}
