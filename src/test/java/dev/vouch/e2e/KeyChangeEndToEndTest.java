package dev.vouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.cli.ExitCode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verification and the key-change model through the command line: safety numbers compared by QR
 * code and by digits, then a verified contact whose account key changes (here: the relay's record
 * of bob is wiped and someone registers "bob" again with new keys). Alice's messages to him are
 * held until she reviews the change, and go out exactly once after she approves it.
 */
class KeyChangeEndToEndTest {
    @TempDir
    Path dir;

    private RelayProcess relay;
    private Cli alice;
    private Cli bob;

    @BeforeEach
    void setUp() throws Exception {
        relay = new RelayProcess(dir.resolve("relay")).start();
        alice = Cli.registered(dir.resolve("alice"), "alice", "alice passphrase", relay.invite());
        bob = Cli.registered(dir.resolve("bob"), "bob", "bob passphrase", relay.invite());
        assertThat(alice.run("contacts", "add", "bob").code()).isZero();
        assertThat(alice.run("send", "bob", "hello").code()).isZero();
        assertThat(bob.run("receive").lines()).hasSize(1);
    }

    @AfterEach
    void tearDown() throws Exception {
        relay.close();
    }

    @Test
    void devicesShowsTheContactsSignedListWithNamesAndDates() {
        Cli.Result devices = alice.run("devices", "bob");
        assertThat(devices.code()).as(devices.toString()).isZero();
        assertThat(devices.lines().get(0)).startsWith("device 1  key ").contains("\"Desktop\"  added ");
        assertThat(devices.out()).contains("signed device list version 1");
        Cli.Result json = alice.run("devices", "bob", "--offline", "--json");
        assertThat(json.out()).contains("\"listVersion\":1", "\"name\":\"Desktop\"", "\"deviceId\":1");
    }

    @Test
    void aScannedQrCodeOrMatchingDigitsVerifyAndAMismatchExitsWithOne() {
        Path png = dir.resolve("bob-shows-alice.png");
        Cli.Result shown = bob.run("safety-number", "alice", "--qr", png.toString());
        assertThat(shown.code()).as(shown.toString()).isZero();
        String digits = String.join(" ", shown.lines().subList(0, 3));
        assertThat(digits.replace(" ", "")).hasSize(60).containsOnlyDigits();
        assertThat(alice.run("safety-number", "bob").lines().subList(0, 3))
                .as("both sides see the same number").containsExactlyElementsOf(shown.lines().subList(0, 3));

        char last = digits.charAt(digits.length() - 1);
        String wrong = digits.substring(0, digits.length() - 1) + (char) ('0' + (last - '0' + 1) % 10);
        Cli.Result mismatch = alice.run("verify", "bob", "--digits", wrong);
        assertThat(mismatch.code()).isEqualTo(ExitCode.FAILED);
        assertThat(mismatch.out()).contains("MISMATCH");
        assertThat(alice.run("contacts").out()).contains("unverified");

        Cli.Result scanned = alice.run("verify", "bob", "--scan", png.toString());
        assertThat(scanned.code()).as(scanned.toString()).isZero();
        assertThat(scanned.out()).startsWith("verified");
        assertThat(alice.run("contacts").out()).containsPattern("bob\\s+verified");

        Cli.Result byDigits = bob.run("verify", "alice", "--digits", digits);
        assertThat(byDigits.code()).isZero();
        assertThat(bob.run("keys", "alice").out()).contains("verified: safety number digits compared");

        Cli.Result notAnImage = alice.run("verify", "bob", "--scan", alice.passphraseFile().toString());
        assertThat(notAnImage.code()).isEqualTo(ExitCode.USAGE);
    }

    @Test
    void aVerifiedContactsNewAccountKeyHoldsMessagesUntilReviewedThenSendsThemOnce() throws Exception {
        Cli.Result shown = bob.run("safety-number", "alice");
        assertThat(alice.run("verify", "bob", "--digits", String.join("", shown.lines().subList(0, 3))).code()).isZero();

        relay.kill();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + relay.data().resolve("relay.db"));
             Statement st = db.createStatement()) {
            st.execute("PRAGMA foreign_keys = ON");
            assertThat(st.executeUpdate("DELETE FROM accounts WHERE handle = 'bob'")).isPositive();
        }
        relay.start();
        Cli newBob = Cli.registered(dir.resolve("bob-again"), "bob", "another passphrase", relay.invite());

        Cli.Result held = alice.run("send", "bob", "are you still you?");
        assertThat(held.code()).as(held.toString()).isZero();
        assertThat(held.out()).startsWith("held");
        assertThat(alice.run("contacts").out()).containsPattern("bob\\s+changed-after-verified");
        assertThat(alice.run("keys", "bob").out()).contains("account-key-changed: account key changed from");
        assertThat(alice.run("send", "bob", "second try").out()).startsWith("held");
        assertThat(newBob.run("receive").lines()).as("nothing leaves before the review").isEmpty();

        Cli.Result review = alice.run("review", "bob");
        assertThat(review.out()).contains("changed after you verified it", "2 message(s) held");
        assertThat(alice.run("review", "bob", "--later").out()).contains("stay held");
        assertThat(newBob.run("receive").lines()).isEmpty();

        Cli.Result approved = alice.run("review", "bob", "--approve");
        assertThat(approved.code()).as(approved.toString()).isZero();
        assertThat(approved.out()).contains("2 held message(s) released");
        assertThat(alice.run("contacts").out()).containsPattern("bob\\s+unverified");

        Cli.Result received = newBob.run("receive");
        assertThat(received.lines()).hasSize(2);
        assertThat(received.lines().get(0)).endsWith("alice: are you still you?");
        assertThat(received.lines().get(1)).endsWith("alice: second try");
        assertThat(alice.run("receive").code()).isZero();
        assertThat(newBob.run("receive").lines()).as("released exactly once").isEmpty();
        assertThat(alice.run("review", "bob").out()).contains("no key change waiting");
        assertThat(alice.run("devices", "bob").out()).contains("device 1  key ");
    }
}
