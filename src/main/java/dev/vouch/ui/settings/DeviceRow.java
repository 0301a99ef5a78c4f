package dev.vouch.ui.settings;

import java.time.Instant;

/** One device of this account's signed list, as the settings show it. */
public record DeviceRow(int deviceId, String name, String fingerprint, Instant addedAt, boolean thisDevice) {
}
