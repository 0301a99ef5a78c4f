package dev.vouch.ui.contact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.service.LogAuditor;
import dev.vouch.service.LogPosition;
import dev.vouch.service.TransparencyAlert;
import dev.vouch.service.TransparencyStatus;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.transparency.log.TreeHead;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * How the panel words a contact's devices, key history and the log, from key events as
 * {@code KeyDirectory} records them: removed devices keep their names, the newest key change carries
 * the log position, unnamed devices and lists without names still show.
 */
class ContactViewModelTest {
    private static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

    private static KeyEvent event(int minutes, KeyEvent.Type type, String detail) {
        return new KeyEvent(minutes, 1, T0.plusSeconds(60L * minutes), type, detail);
    }

    private static final List<KeyEvent> EVENTS = List.of(
            event(0, KeyEvent.Type.FIRST_SEEN, "account key 0a0a 1b1b 2c2c 3d3d"),
            event(1, KeyEvent.Type.DEVICE_ADDED, "device 2 (\"Laptop\", added 2026-11-20T10:01:00Z, list version 2) key"
                    + " 1111 2222 3333 4444"),
            event(2, KeyEvent.Type.DEVICE_ADDED, "device 3 (unnamed, added 2026-11-20T10:02:00Z, list version 3) key"
                    + " 5555 6666 7777 8888"),
            event(3, KeyEvent.Type.DEVICE_REMOVED, "device 2 key 1111 2222 3333 4444 no longer listed"),
            event(4, KeyEvent.Type.VERIFIED, "QR code scanned"),
            event(5, KeyEvent.Type.TRANSPARENCY_CHECK_FAILED, "the relay served keys without a log proof"));

    @Test
    void devicesListedNowAreCurrentAndRemovedOnesKeepTheirNames() {
        List<String> lines = ContactViewModel.deviceLines(Optional.empty(),
                Map.of(1, "9999 aaaa bbbb cccc", 3, "5555 6666 7777 8888"), EVENTS);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo("Device 1  key 9999 aaaa bbbb cccc  current");
        assertThat(lines.get(1)).startsWith("Device 3  key 5555 6666 7777 8888  added ").endsWith("  current");
        assertThat(lines.get(2)).startsWith("\"Laptop\" (device 2)  key 1111 2222 3333 4444  removed ");
    }

    @Test
    void theNewestKeyChangeCarriesTheLogPositionAndEarlierOnesAreSuperseded() {
        LogPosition position = new LogPosition(41, 4, 57, T0.plusSeconds(600));
        List<String> timeline = ContactViewModel.timeline(EVENTS, Optional.of(position));
        assertThat(timeline).hasSize(EVENTS.size());
        assertThat(timeline.get(0)).contains("First seen: account key 0a0a").contains("superseded by a later change");
        assertThat(timeline.get(1)).contains("Device added: device 2 (\"Laptop\"").contains("superseded");
        assertThat(timeline.get(3)).contains("Device removed: device 2")
                .contains("keys as of this change proven at log position 41 (entry 4 of the handle, log of 57 entries");
        assertThat(timeline.get(4)).contains("Verified: QR code scanned").doesNotContain("\n");
        assertThat(timeline.get(5)).contains("Transparency check failed").endsWith("log proof failed");

        assertThat(ContactViewModel.timeline(EVENTS, Optional.empty()).get(3))
                .endsWith("not proven in a log: the relay keeps none, or has not served these keys since");
    }

    @Test
    void theLogStatusNamesTheVerifiedHeadTheLastCheckAndEachAlert() {
        TransparencyStatus quiet = new TransparencyStatus(true, Optional.of(new TreeHead(57, new byte[32],
                T0.toEpochMilli())), Optional.of(T0.plusSeconds(60)), 57, List.of());
        assertThat(ContactViewModel.transparency(quiet, Optional.empty(), "bob"))
                .contains("bob's key has not been proven in the relay's log yet")
                .contains("verified holds 57 entries").contains("last checked that the log only grew")
                .endsWith("No transparency alerts.");
        TransparencyStatus alarmed = new TransparencyStatus(true, Optional.empty(), Optional.empty(), 0,
                List.of(new TransparencyAlert(T0, LogAuditor.Kind.SPLIT_VIEW, "bob", "gossip from bob")));
        assertThat(ContactViewModel.transparency(alarmed, Optional.empty(), "bob"))
                .contains("has not verified a state of the log yet").contains("has not checked")
                .contains("1 transparency alert(s), 1 about bob").contains(LogAuditor.Kind.SPLIT_VIEW.explanation());
        TransparencyStatus off = new TransparencyStatus(false, Optional.empty(), Optional.empty(), 0, List.of());
        assertThat(ContactViewModel.transparency(off, Optional.empty(), "bob")).contains("keeps no key transparency log");
    }
}
