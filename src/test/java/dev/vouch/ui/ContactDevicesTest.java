package dev.vouch.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.server.Limits;
import dev.vouch.service.ExtraDevice;
import dev.vouch.service.Member;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.shell.VouchDesktop;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

/**
 * A contact's devices and key history in alice's contact panel, with a real relay: bob's two
 * devices show with their names, dates and status, the timeline places his device list in the key
 * transparency log, and when bob adds a third device, the panel (left open) shows it in the list
 * and as "Device added" with its name in the timeline.
 */
class ContactDevicesTest extends DesktopTest {
    @Test
    void bobsDevicesShowWithTheirNamesAndANewOneAppearsInTheTimeline() throws Exception {
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), new MutableClock(Instant.now()), Limits.DEFAULT);
             Member bob = Member.register(dir, "bob", relay, Clock.systemUTC())) {
            Desktops.registered(dir.resolve("alice"), "alice", VerifyTest.ALICE, relay.invite());
            ExtraDevice laptop = ExtraDevice.register(bob, 2, "Laptop");
            bob.online().publishDevices(List.of(ExtraDevice.first(bob), laptop.entry()));
            bob.offline();

            VouchDesktop alice = Desktops.open(robot, Desktops.config(dir.resolve("alice"), LocalRelays.NONE));
            Desktops.unlock(robot, alice, VerifyTest.ALICE);
            Desktops.await("a connection", () -> Desktops.<Label>find(alice, "connection").getText().equals("Connected"));
            Desktops.type(robot, Desktops.find(alice, "newContact"), "bob");
            robot.type(KeyCode.ENTER);
            ToggleButton panel = Desktops.find(alice, "contactButton");
            Desktops.await("bob's conversation", () -> !panel.isDisabled());
            Desktops.press(robot, panel);

            ListView<String> devices = Desktops.find(alice, "devices");
            Desktops.await("bob's two devices", () -> devices.getItems().size() == 2, () -> devices.getItems().toString());
            assertThat(devices.getItems().get(0)).startsWith("\"Desktop\" (device 1)  key ").contains("added 20")
                    .endsWith("current");
            assertThat(devices.getItems().get(1)).startsWith("\"Laptop\" (device 2)  key ").contains("added 20")
                    .endsWith("current");
            ListView<String> timeline = Desktops.find(alice, "keyHistory");
            assertThat(timeline.getItems()).singleElement().satisfies(first -> assertThat(first)
                    .contains("First seen: account key ").contains("keys as of this change proven at log position"));
            assertThat(Desktops.<Label>find(alice, "transparency").getText())
                    .contains("bob's key is proven in the relay's public log")
                    .contains("The newest log state this computer verified holds")
                    .contains("No transparency alerts");

            ExtraDevice phone = ExtraDevice.register(bob, 3, "Phone");
            bob.online().publishDevices(List.of(ExtraDevice.first(bob), laptop.entry(), phone.entry()));
            bob.offline();
            // alice's next message fetches bob's keys again: the relay serves his new list
            Desktops.type(robot, Desktops.find(alice, "composer"), "hello");
            robot.type(KeyCode.ENTER);

            Desktops.await("the new device in the timeline", () -> timeline.getItems().stream()
                    .anyMatch(e -> e.contains("Device added: device 3 (\"Phone\"")), () -> timeline.getItems().toString());
            assertThat(timeline.getItems()).hasSize(2);
            assertThat(timeline.getItems().get(0)).contains("superseded by a later change");
            assertThat(timeline.getItems().get(1)).contains("list version 3")
                    .contains("keys as of this change proven at log position");
            Desktops.await("the new device in the list", () -> devices.getItems().size() == 3);
            assertThat(devices.getItems().get(2)).startsWith("\"Phone\" (device 3)  key ").endsWith("current");
            robot.interact(() -> alice.stage().hide());
        }
    }
}
