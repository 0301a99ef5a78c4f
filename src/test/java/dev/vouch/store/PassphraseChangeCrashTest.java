package dev.vouch.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.store.crash.PassphraseChanger;
import dev.vouch.store.dao.MessageDao.NewMessage;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A passphrase change killed with SIGKILL at random moments (a child JVM, {@link PassphraseChanger})
 * leaves a profile that exactly one of the two passphrases opens, with its history whole: the old
 * one until the change committed, the new one from then on. The rewrapped key is written in one
 * transaction of one row, so there is no moment where neither opens it.
 */
class PassphraseChangeCrashTest {
    private static final int KILLS = 12;
    private static final String[] PASSPHRASES = {"first copper lantern 41", "second orchard kettle 77"};

    @TempDir
    Path dir;

    @Test
    void aKilledChangeLeavesTheOldOrTheNewPassphraseWorkingNeverNeither() throws Exception {
        Path profile = dir.resolve("profile");
        try (ProfileStore store = ProfileStore.create(profile, PASSPHRASES[0].toCharArray(), PassphraseChanger.KDF,
                Clock.systemUTC())) {
            long c = store.conversations().open("bob");
            Instant t = Instant.parse("2026-11-28T09:00:00Z");
            store.messages().insert(new NewMessage(c, new byte[] {7}, MessageStatus.READ,
                    MessageBody.text(Direction.INCOMING, "bob", 1, t, t, "kept through every change")));
        }
        Random random = new Random(Long.getLong("vouch.seed", System.nanoTime()));
        int current = 0;
        int interrupted = 0;
        int committed = 0;
        for (int i = 0; i < KILLS; i++) {
            int next = 1 - current;
            boolean done;
            try (ChildJvm child = ChildJvm.start(PassphraseChanger.class,
                    List.of(profile.toString(), PASSPHRASES[current], PASSPHRASES[next]), List.of(), Map.of(),
                    dir.resolve("child-" + i + ".err"))) {
                child.expect("READY", Duration.ofSeconds(60));
                Thread.sleep(i == 0 ? 0 : random.nextInt(900));
                child.kill();
                Optional<String> last = child.poll(Duration.ofMillis(200));
                done = last.filter("DONE"::equals).isPresent();
            }
            boolean newOpens = opensWith(profile, PASSPHRASES[next]);
            boolean oldOpens = opensWith(profile, PASSPHRASES[current]);
            assertThat(newOpens ^ oldOpens).as("kill %d: exactly one passphrase opens the profile (old %s, new %s)",
                    i, oldOpens, newOpens).isTrue();
            if (done) {
                assertThat(newOpens).as("kill %d: a change that said DONE holds", i).isTrue();
            }
            if (newOpens) {
                committed++;
                current = next;
            } else {
                interrupted++;
            }
        }
        assertThat(interrupted).as("some kills landed before the commit").isPositive();
        System.out.printf("passphrase change killed %d times: %d before its commit, %d after%n", KILLS, interrupted,
                committed);
    }

    private static boolean opensWith(Path profile, String passphrase) throws Exception {
        try (ProfileStore store = ProfileStore.open(profile, Clock.systemUTC())) {
            try {
                store.unlock(passphrase.toCharArray());
            } catch (WrongPassphraseException e) {
                return false;
            }
            long c = store.conversations().find("bob").orElseThrow();
            assertThat(store.messages().newest(c, 1).get(0).body().text()).isEqualTo("kept through every change");
            return true;
        }
    }
}
