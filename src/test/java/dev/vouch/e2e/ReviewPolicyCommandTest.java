package dev.vouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.cli.ExitCode;
import dev.vouch.service.Messenger;
import dev.vouch.service.MessengerListener;
import dev.vouch.store.ProfileStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vouch policy} and {@code vouch review} without a handle against a relay process: with
 * {@code hold-new-devices on}, a verified contact's new device (linked by {@code link show} in its own
 * process) holds alice's message; {@code review} lists it, marks a due reminder, and {@code send} and
 * {@code receive} note it; with {@code off}, the next new device is only announced.
 */
class ReviewPolicyCommandTest {
    @TempDir
    Path dir;
    private RelayProcess relay;
    private Cli alice;
    private Cli bob;

    @BeforeEach
    void start() throws Exception {
        relay = new RelayProcess(dir.resolve("relay")).start();
        alice = Cli.registered(dir.resolve("alice"), "alice", "alice secret", relay.invite());
        bob = Cli.registered(dir.resolve("bob"), "bob", "bob secret", relay.invite());
        assertThat(alice.run("contacts", "add", "bob").code()).isZero();
        assertThat(bob.run("contacts", "add", "alice").code()).isZero();
        Cli.Result shown = bob.run("safety-number", "alice");
        Cli.Result verified = alice.run("verify", "bob", "--digits", String.join("", shown.lines().subList(0, 3)));
        assertThat(verified.code()).as(verified.toString()).isZero();
    }

    @AfterEach
    void stop() throws Exception {
        relay.close();
    }

    @Test
    void thePolicyHoldsOrAnnouncesANewDeviceAndReviewListsWhatWaitsWithDueReminders() throws Exception {
        Cli.Result shown = alice.run("policy");
        assertThat(shown.code()).as(shown.toString()).isZero();
        assertThat(shown.out()).startsWith("hold-new-devices: off");
        assertThat(alice.run("review").out()).contains("no key change is waiting for review");

        Cli.Result on = alice.run("policy", "hold-new-devices", "on");
        assertThat(on.code()).as(on.toString()).isZero();
        assertThat(on.out()).startsWith("hold-new-devices: on");
        assertThat(alice.run("policy", "--json").out()).contains("\"holdNewDevices\":true");

        LinkShow.link(dir, relay, bob, "laptop", "Laptop");
        Cli.Result held = alice.run("send", "bob", "is the laptop yours?");
        assertThat(held.out()).as(held.toString()).startsWith("held");
        assertThat(held.err()).as("no reminder asked for").doesNotContain("reminder");

        Cli.Result listed = alice.run("review");
        assertThat(listed.code()).as(listed.toString()).isZero();
        assertThat(listed.lines()).containsExactly(
                "bob: key change waiting for review; 1 message(s) held (vouch review bob)");
        assertThat(alice.run("review", "bob", "--later").out()).contains("stay held; reminder at");
        assertThat(alice.run("review").lines()).singleElement().asString().contains("; reminder at ")
                .doesNotContain("due");

        // the reminder's day passes (set here as one due a minute ago)
        try (ProfileStore store = ProfileStore.open(alice.profile(), Clock.systemUTC())) {
            store.unlock("alice secret".toCharArray());
            try (Messenger m = Messenger.open(store, Messenger.Options.defaults(), MessengerListener.NONE)) {
                m.remindLater("bob", Duration.ofMinutes(-1));
            }
        }
        assertThat(alice.run("review").lines()).singleElement().asString()
                .startsWith("bob: key change waiting for review; 1 message(s) held; reminder due since ");
        String note = "vouch: reminder due: 1 message(s) to bob held until you review bob's new key (vouch review bob)";
        assertThat(alice.run("receive").err()).contains(note);
        Cli.Result again = alice.run("send", "bob", "and this one?");
        assertThat(again.out()).startsWith("held");
        assertThat(again.err()).contains(note.replace("1 message(s)", "2 message(s)"));

        Cli.Result accepted = alice.run("review", "bob", "--accept");
        assertThat(accepted.out()).as(accepted.toString()).contains("2 held message(s) released");
        assertThat(alice.run("review").out()).contains("no key change is waiting for review");
        assertThat(alice.run("receive").err()).doesNotContain("reminder");
        Cli.Result received = bob.run("receive");
        assertThat(received.lines()).as(received.toString()).hasSize(2);

        Cli.Result off = alice.run("policy", "hold-new-devices", "off");
        assertThat(off.out()).startsWith("hold-new-devices: off");
        LinkShow.link(dir, relay, bob, "tablet", "Tablet");
        Cli.Result announced = alice.run("send", "bob", "a tablet too?");
        assertThat(announced.out()).as(announced.toString()).isEqualTo("sent\n");
        assertThat(alice.run("keys", "bob").out()).contains("device-added").contains("\"Tablet\"");
        assertThat(alice.run("contacts").out()).containsPattern("bob\\s+verified");
        assertThat(alice.run("review").out()).contains("no key change is waiting for review");
    }

    @Test
    void badPolicyArgumentsAreUsageErrorsAndChangeNothing() {
        Cli.Result unknown = alice.run("policy", "hold-everything", "on");
        assertThat(unknown.code()).isEqualTo(ExitCode.USAGE);
        assertThat(unknown.err()).contains("unknown policy 'hold-everything'", "hold-new-devices");
        Cli.Result neither = alice.run("policy", "hold-new-devices", "maybe");
        assertThat(neither.code()).isEqualTo(ExitCode.USAGE);
        assertThat(neither.err()).contains("'maybe' is neither on nor off");
        assertThat(alice.run("policy").out()).as("unchanged").startsWith("hold-new-devices: off");
        Cli.Result noHandle = alice.run("review", "--accept");
        assertThat(noHandle.code()).isEqualTo(ExitCode.USAGE);
        assertThat(noHandle.err()).contains("need the contact's handle");
    }
}
