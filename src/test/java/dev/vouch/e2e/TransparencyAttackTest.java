package dev.vouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.cli.ExitCode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PRODUCT.md T2 end to end: a real relay process run with {@code --misbehave MODE} and real client
 * profiles. Each attack is caught by the client, recorded in the contact's key history where a
 * contact is concerned, and explained by {@code vouch log status}.
 */
class TransparencyAttackTest {
    @TempDir
    Path dir;

    private RelayProcess relay;
    private Cli alice;
    private Cli bob;

    @AfterEach
    void stop() throws Exception {
        if (relay != null) {
            relay.close();
        }
    }

    /** Starts the relay (misbehaving or not) and registers alice, then bob. */
    private void start(String... relayArgs) throws Exception {
        relay = new RelayProcess(dir.resolve("relay"), List.of(relayArgs)).start();
        alice = Cli.registered(dir.resolve("alice"), "alice", "alice passphrase", relay.invite());
        bob = Cli.registered(dir.resolve("bob"), "bob", "bob passphrase", relay.invite());
    }

    private static void assertAlert(Cli who, String kind) {
        Cli.Result status = who.run("log", "status");
        assertThat(status.code()).as(status.toString()).isEqualTo(ExitCode.TRANSPARENCY);
        assertThat(status.out()).contains("ALERT", kind);
    }

    @Test
    void anHonestRelayProvesEveryKeyAndRaisesNoAlert() throws Exception {
        start();
        assertThat(relay.invite()).contains("log=");
        assertThat(alice.run("contacts", "add", "bob").code()).isZero();
        assertThat(alice.run("send", "bob", "hello").code()).isZero();
        assertThat(bob.run("receive").lines()).hasSize(1);
        assertThat(alice.run("receive").code()).isZero();
        Cli.Result status = alice.run("log", "status");
        assertThat(status.code()).as(status.toString()).isZero();
        // each account logged twice: its registration, then its first signed device list
        assertThat(status.out()).contains("head:      4 entries", "alerts:    none");
        assertThat(alice.run("keys", "bob").out()).contains("log: entry version 2 at position 3");
        assertThat(bob.run("log", "status").code()).isZero();
    }

    @Test
    void aSubstitutedKeyThatIsNotLoggedIsRefused() throws Exception {
        start("--misbehave", "substitute-key");
        Cli.Result add = alice.run("contacts", "add", "bob");
        assertThat(add.code()).as(add.toString()).isEqualTo(ExitCode.TRANSPARENCY);
        assertThat(add.err()).contains("its own log does not hold");
        assertAlert(alice, "unlogged-key");
        assertThat(alice.run("contacts").out()).doesNotContain("bob");
    }

    @Test
    void aDeviceInjectedIntoAContactsListIsRefusedAndRecordedAndNothingIsSentToIt() throws Exception {
        start();
        assertThat(alice.run("contacts", "add", "bob").code()).isZero();
        relay.restartWith(List.of("--misbehave", "inject-device"));
        Cli.Result devices = alice.run("devices", "bob");
        assertThat(devices.code()).as(devices.toString()).isEqualTo(ExitCode.TRANSPARENCY);
        assertThat(devices.err()).contains("refused the device list of bob", "not signed by the account key");
        assertThat(alice.run("keys", "bob").out()).contains("device-list-refused");
        Cli.Result send = alice.run("send", "bob", "not to the relay's device");
        assertThat(send.code()).as(send.toString()).isZero();
        assertThat(send.out()).contains("queued");
        assertThat(alice.run("devices", "bob", "--offline").out()).as("still bob's one device")
                .contains("device 1 ").doesNotContain("device 2");
        assertThat(alice.run("log", "status").code()).as("a refused list is not a log failure").isZero();
    }

    @Test
    void aSubstitutionForAnExistingContactIsRecordedInTheirKeyHistory() throws Exception {
        start();
        assertThat(alice.run("contacts", "add", "bob").code()).isZero();
        relay.restartWith(List.of("--misbehave", "substitute-key"));
        Cli.Result devices = alice.run("devices", "bob");
        assertThat(devices.code()).as(devices.toString()).isEqualTo(ExitCode.TRANSPARENCY);
        assertThat(alice.run("keys", "bob").out()).contains("transparency-check-failed");
        assertThat(alice.run("contacts").out()).as("the real key is kept").doesNotContain("changed");
        assertAlert(alice, "unlogged-key");
    }

    @Test
    void aSubstitutedKeyThatIsLoggedIsCaughtByTheVictimsOwnMonitoring() throws Exception {
        start("--misbehave", "substitute-key-logged");
        // alice is fooled at first: the fake key is in the log, with a valid proof
        assertThat(alice.run("contacts", "add", "bob").code()).isZero();
        // but bob watches the log for his own handle
        assertAlert(bob, "foreign-entry");
        assertThat(bob.run("log", "status").out()).contains("did not publish");
    }

    @Test
    void aSplitViewIsCaughtByGossipBetweenTheTwoClients() throws Exception {
        start("--misbehave", "split-view");
        assertThat(alice.run("contacts", "add", "bob").code()).isZero();
        assertThat(bob.run("contacts", "add", "alice").code()).isZero();
        assertThat(alice.run("send", "bob", "hello from the honest view").code()).isZero();
        bob.run("receive");
        assertThat(bob.run("send", "alice", "hello from the forked view").code()).isZero();
        alice.run("receive");
        bob.run("receive");
        Cli.Result aliceStatus = alice.run("log", "status");
        Cli.Result bobStatus = bob.run("log", "status");
        assertThat(aliceStatus.out() + bobStatus.out()).as(aliceStatus + "\n" + bobStatus).contains("split-view");
    }

    @Test
    void aRollbackIsRefusedAndRecordedInTheContactsHistory() throws Exception {
        start("--misbehave", "rollback");
        alice.run("contacts", "add", "bob");
        Cli carol = Cli.registered(dir.resolve("carol"), "carol", "carol passphrase", relay.invite());
        Cli.Result again = alice.run("devices", "bob");
        Cli.Result add = alice.run("contacts", "add", "carol");
        assertThat(again.code() == ExitCode.TRANSPARENCY || add.code() == ExitCode.TRANSPARENCY)
                .as(again + "\n" + add).isTrue();
        assertAlert(alice, "rollback");
    }

    @Test
    void aRewrittenHistoryIsCaughtByConsistency() throws Exception {
        start();
        assertThat(alice.run("contacts", "add", "bob").code()).isZero();
        // the relay comes back having rewritten its log without its newest entry (bob's)
        relay.restartWith(List.of("--misbehave", "drop-entry"));
        Cli carol = Cli.registered(dir.resolve("carol"), "carol", "carol passphrase", relay.invite());
        Cli.Result add = alice.run("contacts", "add", "carol");
        assertThat(add.code()).as(add.toString()).isEqualTo(ExitCode.TRANSPARENCY);
        Cli.Result status = alice.run("log", "status");
        assertThat(status.code()).isEqualTo(ExitCode.TRANSPARENCY);
        assertThat(status.out()).containsAnyOf("inconsistent", "rollback");
    }

    @Test
    void aProofForAnotherTreeIsRefused() throws Exception {
        start("--misbehave", "bad-proof");
        Cli.Result add = alice.run("contacts", "add", "bob");
        assertThat(add.code()).as(add.toString()).isEqualTo(ExitCode.TRANSPARENCY);
        assertAlert(alice, "bad-proof");
    }
}
