package dev.vouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.cli.ExitCode;
import dev.vouch.qr.QrPayload;
import dev.vouch.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vouch link show}, {@code link accept}, {@code devices} and {@code unlink} against a relay
 * process: the new device's {@code link show} runs as its own process (profile and passphrase from
 * the environment) and waits, printing its code, until the account's device accepts it, by pasted
 * text or by the QR code image it wrote.
 */
class LinkCommandTest {
    private static final Duration TIMEOUT = LinkShow.TIMEOUT;

    @TempDir
    Path dir;
    private RelayProcess relay;
    private Cli alice;

    @BeforeEach
    void start() throws Exception {
        relay = new RelayProcess(dir.resolve("relay")).start();
        alice = new Cli(dir.resolve("alice"), "alice secret");
        Cli.Result init = alice.run("init", "--handle", "alice", "--relay", relay.invite());
        assertThat(init.code()).as(init.toString()).isZero();
    }

    @AfterEach
    void stop() throws Exception {
        relay.close();
    }

    /** {@code link show} in a fresh profile, as its own process; returns it once it printed its code. */
    private ChildJvm show(String profile, String... extra) throws Exception {
        return LinkShow.start(dir, relay, profile, extra);
    }

    @Test
    void aNewDeviceIsLinkedByPastedCodeOrQrImageListedAndUnlinked() throws Exception {
        String code;
        try (ChildJvm laptop = show("laptop")) {
            code = laptop.next(TIMEOUT);
            assertThat(code).startsWith("VOUCHLINK1:");
            String fingerprint = laptop.next(TIMEOUT);
            assertThat(fingerprint).startsWith("this device's key: ");

            Cli.Result accepted = alice.run("link", "accept", code, "--name", "Laptop", "--yes");
            assertThat(accepted.code()).as(accepted.toString()).isZero();
            assertThat(accepted.out()).contains("its key:     " + fingerprint.substring("this device's key: ".length(),
                    fingerprint.indexOf(" (check")), "linked device 2 \"Laptop\"", "version 2 with 2 device(s)");
            assertThat(laptop.waitForExit(TIMEOUT)).as(laptop.stderrText()).isZero();
            assertThat(laptop.drain(TIMEOUT)).anySatisfy(l -> assertThat(l).startsWith("linked:      alice (device 2)"));
        }
        Cli laptop = new Cli(dir.resolve("laptop"), "laptop secret");
        assertThat(alice.run("devices").out()).containsPattern("device 1 .*\"Desktop\".*\\(this device\\)")
                .containsPattern("device 2 .*\"Laptop\"").contains("signed device list version 2 of alice");
        assertThat(laptop.run("devices").out()).containsPattern("device 2 .*\"Laptop\".*\\(this device\\)");

        // a code works once; a contact's safety code is not a link code; a profile with an account shows none
        Cli.Result again = alice.run("link", "accept", code, "--name", "Again", "--yes");
        assertThat(again.code()).as(again.toString()).isEqualTo(ExitCode.LINK);
        assertThat(again.err()).contains("already accepted");
        String safety = new QrPayload("bob", new byte[] {1, 2, 3}).encode();
        Cli.Result contact = alice.run("link", "accept", safety, "--name", "Bob", "--yes");
        assertThat(contact.code()).isEqualTo(ExitCode.LINK);
        assertThat(contact.err()).contains("this is a contact's safety code, not a link code");
        Cli.Result occupied = alice.run("link", "show", "--relay", relay.invite(), "--wait", "1s");
        assertThat(occupied.code()).isEqualTo(ExitCode.PROFILE);
        assertThat(occupied.err()).contains("already has the account alice");

        // bob verified alice and holds messages when a verified contact gains a device
        Cli bob = Cli.registered(dir.resolve("bob"), "bob", "bob secret", relay.invite());
        assertThat(bob.run("contacts", "add", "alice").code()).isZero();
        assertThat(alice.run("contacts", "add", "bob").code()).isZero();
        Cli.Result shown = alice.run("safety-number", "bob");
        Cli.Result verified = bob.run("verify", "alice", "--digits", String.join("", shown.lines().subList(0, 3)));
        assertThat(verified.code()).as(verified.toString()).isZero();
        try (dev.vouch.store.ProfileStore store = dev.vouch.store.ProfileStore.open(dir.resolve("bob"),
                java.time.Clock.systemUTC())) {
            store.unlock("bob secret".toCharArray());
            try (dev.vouch.service.Messenger m = dev.vouch.service.Messenger.open(store,
                    dev.vouch.service.Messenger.Options.defaults(), dev.vouch.service.MessengerListener.NONE)) {
                m.keys().holdNewDevices(true);
            }
        }

        // the second device links by the QR code image its process wrote
        Path png = dir.resolve("tablet.png");
        try (ChildJvm tablet = show("tablet", "--qr", png.toString())) {
            tablet.next(TIMEOUT);
            assertThat(tablet.next(TIMEOUT)).isEqualTo("QR code written to " + png);
            Cli.Result scanned = alice.run("link", "accept", png.toString(), "--name", "Tablet", "--yes");
            assertThat(scanned.code()).as(scanned.toString()).isZero();
            assertThat(scanned.out()).contains("linked device 3 \"Tablet\"");
            assertThat(tablet.waitForExit(TIMEOUT)).as(tablet.stderrText()).isZero();
        }

        // bob's message waits for his review of alice's new device, then goes out once with --accept
        assertThat(bob.run("send", "alice", "are these all yours?").out()).startsWith("held");
        Cli.Result review = bob.run("review", "alice");
        assertThat(review.out()).contains("alice's devices changed after you verified it", "device-added",
                "\"Tablet\"", "1 message(s) held", "vouch review alice --accept");
        Cli.Result accepted = bob.run("review", "alice", "--accept");
        assertThat(accepted.code()).as(accepted.toString()).isZero();
        assertThat(accepted.out()).contains("1 held message(s) released", "alice stays verified");
        assertThat(bob.run("history", "alice").out()).contains("are these all yours?").doesNotContain("held");

        // unlinking: not this device; the laptop from the desktop, and the laptop says it was removed
        Cli.Result self = alice.run("unlink", "1");
        assertThat(self.code()).isEqualTo(ExitCode.FAILED);
        assertThat(self.err()).contains("is this device");
        Cli.Result unlinked = alice.run("unlink", "2");
        assertThat(unlinked.code()).as(unlinked.toString()).isZero();
        assertThat(unlinked.out()).contains("unlinked device 2 \"Laptop\"", "version 4 with 2 device(s)");
        Cli.Result removed = laptop.run("receive");
        assertThat(removed.code()).as(removed.toString()).isEqualTo(ExitCode.DEVICE_REMOVED);
        assertThat(removed.err()).contains("was removed from its account's device list");
        assertThat(laptop.run("devices").code()).as("it stays stopped").isEqualTo(ExitCode.DEVICE_REMOVED);
        assertThat(alice.run("devices", "--json").out()).contains("\"deviceId\":3").doesNotContain("\"deviceId\":2");
    }
}
