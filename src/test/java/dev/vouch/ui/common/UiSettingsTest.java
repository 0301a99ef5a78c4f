package dev.vouch.ui.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ui.properties}: choices written and read back; damaged or unknown values fall back to the defaults. */
class UiSettingsTest {
    @TempDir
    Path dir;

    @Test
    void remembersTheChoicesOfTheSettings() {
        UiSettings settings = UiSettings.load(dir);
        assertThat(settings.autoLock()).isEmpty();
        assertThat(settings.themeChoice()).isEqualTo(ThemeChoice.LIGHT);
        assertThat(settings.notifications()).isTrue();
        assertThat(settings.notificationContent()).isEqualTo(NotificationContent.SENDER_ONLY);

        settings.autoLock(Duration.ofMinutes(15));
        settings.themeChoice(ThemeChoice.SYSTEM);
        settings.notifications(false);
        settings.notificationContent(NotificationContent.SENDER_AND_TEXT);
        settings.save();

        UiSettings again = UiSettings.load(dir);
        assertThat(again.autoLock()).contains(Duration.ofMinutes(15));
        assertThat(again.themeChoice()).isEqualTo(ThemeChoice.SYSTEM);
        assertThat(again.theme()).as("the theme to start with until the system answers").isEqualTo(Theme.LIGHT);
        assertThat(again.notifications()).isFalse();
        assertThat(again.notificationContent()).isEqualTo(NotificationContent.SENDER_AND_TEXT);

        again.theme(Theme.DARK);
        assertThat(again.themeChoice()).isEqualTo(ThemeChoice.DARK);
    }

    @Test
    void damagedValuesFallBackToTheDefaults() throws Exception {
        for (String autoLock : new String[] {"-5", "soon", "99999999", ""}) {
            Files.writeString(dir.resolve(UiSettings.FILE), "autolock.minutes=" + autoLock
                    + "\ntheme=purple\nnotifications.content=everything\nnotifications=maybe\n");
            UiSettings settings = UiSettings.load(dir);
            assertThat(settings.autoLock()).as("auto-lock %s", autoLock).isEmpty();
            assertThat(settings.themeChoice()).isEqualTo(ThemeChoice.LIGHT);
            assertThat(settings.notificationContent()).as("private by default").isEqualTo(NotificationContent.SENDER_ONLY);
            assertThat(settings.notifications()).isTrue();
        }
    }
}
