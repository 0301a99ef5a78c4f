package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.api.Invite;
import dev.vouch.relay.server.Limits;
import dev.vouch.relay.server.RelayEvents;
import dev.vouch.relay.server.RelayServer;
import dev.vouch.relay.server.SqliteRelayStorage;
import dev.vouch.service.KeyDirectory;
import dev.vouch.service.Messenger;
import dev.vouch.service.MessengerListener;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.VerificationState;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.conversations.MessageRow;
import dev.vouch.ui.shell.VouchDesktop;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/**
 * A verified contact's account key changes (the relay's record of bob is wiped and someone
 * registers "bob" again with new keys): alice's window shows the banner, her message is shown as
 * held and not sent, "remind me later" keeps it held, and accepting sends it once to the new key.
 */
class KeyChangeTest extends DesktopTest {
    static final String ALICE = "copper lantern orchard ninety 2";
    static final String BOB = "marble whistle harbour sixty 8";

    private RelayServer relay(int port) throws Exception {
        return RelayServer.start(new RelayServer.Config("127.0.0.1", port, dir.resolve("relay"), Clock.systemUTC(),
                Limits.DEFAULT, RelayEvents.NONE));
    }

    @Test
    void aChangedKeyHoldsMessagesUntilReviewedAndAcceptingSendsThemOnce() throws Exception {
        RelayServer relay = relay(0);
        int port = relay.port();
        Invite invite = relay.invite("127.0.0.1", Instant.now().plus(Duration.ofDays(1)));
        try {
            Desktops.registered(dir.resolve("alice"), "alice", ALICE, invite);
            Desktops.registered(dir.resolve("bob"), "bob", BOB, invite);
            try (ProfileStore store = ProfileStore.open(dir.resolve("alice"), Clock.systemUTC())) {
                store.unlock(ALICE.toCharArray());
                try (Messenger alice = Messenger.open(store, Messenger.Options.defaults(), MessengerListener.NONE)) {
                    alice.connect();
                    var bob = alice.addContact("bob").contact();
                    assertThat(alice.keys().verifyDigits(bob, alice.keys().safetyNumber(bob).displayable()))
                            .isEqualTo(KeyDirectory.VerifyResult.MATCH);
                }
            }
            relay.close();
            try (Connection db = DriverManager.getConnection("jdbc:sqlite:"
                    + dir.resolve("relay").resolve(SqliteRelayStorage.FILE_NAME)); Statement st = db.createStatement()) {
                st.execute("PRAGMA foreign_keys = ON");
                assertThat(st.executeUpdate("DELETE FROM accounts WHERE handle = 'bob'")).isPositive();
            }
            relay = relay(port);
            Desktops.registered(dir.resolve("new-bob"), "bob", BOB, invite);

            VouchDesktop alice = Desktops.open(robot, Desktops.config(dir.resolve("alice"), LocalRelays.NONE));
            Desktops.unlock(robot, alice, ALICE);
            Desktops.await("a connection", () -> Desktops.<Label>find(alice, "connection").getText().equals("Connected"));
            assertThat(Desktops.<javafx.scene.Node>find(alice, "keyChangeBanner").isVisible())
                    .as("no banner before bob's conversation is open").isFalse();
            Desktops.type(robot, Desktops.find(alice, "newContact"), "bob");
            robot.type(KeyCode.ENTER);
            javafx.scene.Node banner = Desktops.find(alice, "keyChangeBanner");
            Desktops.await("the key-change banner", () -> banner.isVisible());
            assertThat(Desktops.<Label>find(alice, "keyChangeText").getText()).contains("bob's safety number changed", "held");

            Desktops.type(robot, Desktops.find(alice, "composer"), "is this still you?");
            robot.type(KeyCode.ENTER);
            Desktops.await("the message shown held", () -> Desktops.shown(alice).stream().anyMatch(m ->
                    m.text().equals("is this still you?") && m.status() == MessageStatus.HELD
                    && m.statusText().startsWith("held")));

            Desktops.press(robot, Desktops.find(alice, "reviewButton"));
            Label summary = Desktops.find(alice, "reviewSummary");
            Desktops.await("the review", () -> summary.getText().contains("1 message(s) to them are held"));
            assertThat(Desktops.<ListView<String>>find(alice, "reviewChanges").getItems())
                    .anyMatch(line -> line.contains("account key changed"));

            Desktops.press(robot, Desktops.find(alice, "remindLater"));
            Label result = Desktops.find(alice, "reviewResult");
            Desktops.await("remind me later", () -> result.getText().startsWith("The messages stay held"));
            assertThat(Desktops.shown(alice)).filteredOn(m -> m.text().equals("is this still you?"))
                    .singleElement().extracting(MessageRow::status).isEqualTo(MessageStatus.HELD);
            assertThat(banner.isVisible()).isTrue();

            Button accept = Desktops.find(alice, "acceptChange");
            Desktops.await("accept enabled", () -> !accept.isDisabled());
            Desktops.press(robot, accept);
            Desktops.await("accepted", () -> result.getText().startsWith("Accepted. 1 held message(s)"));
            Desktops.await("the message sent", () -> Desktops.shown(alice).stream().anyMatch(m ->
                    m.text().equals("is this still you?") && m.status() == MessageStatus.SENT));
            Desktops.await("the banner gone", () -> !banner.isVisible());
            robot.interact(() -> alice.stage().hide());

            try (ProfileStore store = ProfileStore.open(dir.resolve("alice"), Clock.systemUTC())) {
                store.unlock(ALICE.toCharArray());
                assertThat(store.contacts().find("bob").orElseThrow().verification())
                        .isEqualTo(VerificationState.UNVERIFIED);
            }
            try (ProfileStore store = ProfileStore.open(dir.resolve("new-bob"), Clock.systemUTC())) {
                store.unlock(BOB.toCharArray());
                try (Messenger bob = Messenger.open(store, Messenger.Options.defaults(), MessengerListener.NONE)) {
                    bob.connect();
                    bob.awaitMailbox(Duration.ofSeconds(20));
                    assertThat(bob.unread(10)).extracting(m -> m.body().text()).containsExactly("is this still you?");
                }
            }
        } finally {
            relay.close();
        }
    }

}
