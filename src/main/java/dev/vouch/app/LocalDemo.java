package dev.vouch.app;

import dev.vouch.cli.BenchChild;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.server.Limits;
import dev.vouch.relay.server.Misbehavior;
import dev.vouch.relay.server.RelayEvents;
import dev.vouch.relay.server.RelayServer;
import dev.vouch.service.Messenger;
import dev.vouch.service.MessengerListener;
import dev.vouch.service.ServiceException;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.model.Contact;
import dev.vouch.ui.demo.Demo;
import dev.vouch.ui.demo.Demos;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * {@code vouch demo} and "See a demo": a real relay (TLS on 127.0.0.1, its log, mailboxes) and two
 * throwaway profiles, Alice and Bob, in a new temporary folder; both registered, contacts of each
 * other, a few messages exchanged, both left unlocked. Their passphrase is generated: nothing in the
 * folder outlives the demo ({@link Demo#close}, or the JVM's exit).
 */
public final class LocalDemo implements Demos {
    /** The conversation the demo opens on, alternating from Alice. */
    public static final List<String> CONVERSATION = List.of(
            "Hi Bob! Everything between us is encrypted on our computers; the relay only passes it on.",
            "Hi Alice. And if the relay lies about our keys, our apps say so. Try the buttons below.",
            "Start with \"Substitute Bob's key\", then \"Behave again\".");
    private static final String HOST = "127.0.0.1";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final Clock clock;
    private final Argon2id.Params kdf;
    private final Messenger.Options messenger;

    /**
     * @param kdf       the Argon2id cost of the throwaway profiles' passphrase
     * @param messenger the messaging options both profiles are set up with
     */
    public LocalDemo(Clock clock, Argon2id.Params kdf, Messenger.Options messenger) {
        this.clock = clock;
        this.kdf = kdf;
        this.messenger = messenger;
    }

    @Override
    public Demo prepare() throws Exception {
        Path folder = Files.createTempDirectory("vouch-demo-"); // owner-only where the system allows
        Running running = new Running(folder);
        try {
            running.relay = RelayServer.start(new RelayServer.Config(HOST, 0, folder.resolve("relay"), clock,
                    Limits.DEFAULT, RelayEvents.NONE));
            Invite invite = running.relay.invite(HOST, clock.instant().plus(Duration.ofDays(1)));
            running.alice = profile(folder.resolve(Demo.ALICE), Demo.ALICE, running.passphrase, invite);
            running.bob = profile(folder.resolve(Demo.BOB), Demo.BOB, running.passphrase, invite);
            talk(running.alice, running.bob);
            return running;
        } catch (Exception | Error e) {
            running.closeStores();
            running.close();
            throw e;
        }
    }

    private ProfileStore profile(Path directory, String handle, String passphrase, Invite invite)
            throws StoreException, ServiceException {
        char[] chars = passphrase.toCharArray();
        ProfileStore store;
        try {
            store = ProfileStore.create(directory, chars, kdf, clock);
        } finally {
            Arrays.fill(chars, '\0');
        }
        try {
            Messenger.initialize(store, handle, invite, messenger);
            return store;
        } catch (ServiceException | StoreException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Makes them contacts and exchanges {@link #CONVERSATION}, each message received before the next. */
    private void talk(ProfileStore aliceStore, ProfileStore bobStore) throws ServiceException, StoreException,
            InterruptedException {
        try (Messenger alice = Messenger.open(aliceStore, messenger, MessengerListener.NONE);
             Messenger bob = Messenger.open(bobStore, messenger, MessengerListener.NONE)) {
            alice.connect();
            bob.connect();
            Contact bobAtAlice = alice.addContact(Demo.BOB).contact();
            Contact aliceAtBob = bob.addContact(Demo.ALICE).contact();
            for (int i = 0; i < CONVERSATION.size(); i++) {
                boolean fromAlice = i % 2 == 0;
                (fromAlice ? alice : bob).send(fromAlice ? Demo.BOB : Demo.ALICE, CONVERSATION.get(i));
                awaitHistory(fromAlice ? bob : alice, fromAlice ? aliceAtBob : bobAtAlice, i + 1);
            }
            alice.awaitQuiet(Duration.ofMillis(200), WAIT); // the receipts go out too
            bob.awaitQuiet(Duration.ofMillis(200), WAIT);
        }
    }

    private static void awaitHistory(Messenger at, Contact with, int messages) throws ServiceException,
            StoreException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (at.history(with, messages).size() < messages) {
            if (System.nanoTime() > deadline) {
                throw new ServiceException("the demo's relay did not deliver a message within " + WAIT.toSeconds()
                        + " seconds");
            }
            Thread.sleep(20);
        }
    }

    /** A generated passphrase: 80 random bits in groups of four hex digits. */
    static String generatedPassphrase(SecureRandom random) {
        byte[] bytes = new byte[10];
        random.nextBytes(bytes);
        String hex = HexFormat.of().formatHex(bytes);
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < hex.length(); i += 4) {
            groups.add(hex.substring(i, i + 4));
        }
        return String.join("-", groups);
    }

    /** The running demo: its relay can be switched, and its folder goes with it. */
    private static final class Running implements Demo {
        private final Path folder;
        private final String passphrase = generatedPassphrase(CryptoRandom.get());
        private final Thread cleanup;
        private RelayServer relay;
        private ProfileStore alice;
        private ProfileStore bob;
        private boolean closed;

        Running(Path folder) {
            this.folder = folder;
            // Should the JVM end before the windows close (Ctrl+C), the folder still goes.
            this.cleanup = new Thread(() -> deleteQuietly(folder), "vouch-demo-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
        }

        @Override
        public Path folder() {
            return folder;
        }

        @Override
        public ProfileStore alice() {
            return alice;
        }

        @Override
        public ProfileStore bob() {
            return bob;
        }

        @Override
        public String passphrase() {
            return passphrase;
        }

        @Override
        public void relay(Demo.Relay mode) throws Exception {
            relay.misbehave(switch (mode) {
                case SUBSTITUTE_KEY -> Optional.of(Misbehavior.Mode.SUBSTITUTE_KEY);
                case INJECT_DEVICE -> Optional.of(Misbehavior.Mode.INJECT_DEVICE);
                case SPLIT_VIEW -> Optional.of(Misbehavior.Mode.SPLIT_VIEW);
                case HONEST -> Optional.empty();
            });
        }

        /** Only when the windows never got the profiles. */
        void closeStores() {
            for (ProfileStore store : new ProfileStore[] {alice, bob}) {
                if (store != null) {
                    store.close();
                }
            }
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (relay != null) {
                relay.close();
            }
            deleteQuietly(folder);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs anyway
            }
        }

        private static void deleteQuietly(Path folder) {
            try {
                BenchChild.deleteRecursively(folder);
            } catch (IOException e) {
                // a file still held open elsewhere: the system's temporary folder cleanup takes it
            }
        }
    }
}
