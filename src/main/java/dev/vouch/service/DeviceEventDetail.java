package dev.vouch.service;

import dev.vouch.protocol.keys.SignedDeviceList;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The detail of a {@code device-added} or {@code device-removed} key event: which device, its name
 * in the signed list when there was one, its key's fingerprint and why it went. The key history
 * keeps it as text (what {@code vouch keys} prints and archives carry); this is the one place that
 * writes it and reads it back, so the app can list a contact's removed devices by name.
 *
 * <pre>
 *   device 2 ("Laptop", added 2026-11-27T10:00:00Z, list version 3) key 05ab cd...
 *   device 2 key 05ab cd... replaced
 *   device 2 key 05ab cd... no longer listed
 * </pre>
 */
public record DeviceEventDetail(int deviceId, Optional<String> listEntry, Optional<String> name, String fingerprint,
                                Removal removal) {
    /** Why a device left, or {@link #NONE} for a device that joined. */
    public enum Removal {
        NONE(""), REPLACED(" replaced"), NO_LONGER_LISTED(" no longer listed");

        private final String suffix;

        Removal(String suffix) {
            this.suffix = suffix;
        }
    }

    private static final Pattern TEXT = Pattern.compile("^device (\\d+)"
            + "( \\((?:\"(.*)\"|unnamed), added [^,]*, list version \\d+\\))?"
            + " key ([0-9a-f ]+?)( replaced| no longer listed)?$", Pattern.DOTALL);

    /** A device that joined: its entry of {@code list}, when the contact has a signed list. */
    static DeviceEventDetail added(int deviceId, Optional<SignedDeviceList> list, String fingerprint) {
        Optional<SignedDeviceList.Device> entry = list.flatMap(l -> l.device(deviceId));
        Optional<String> described = entry.map(d -> " (" + (d.name().isEmpty() ? "unnamed" : "\"" + d.name() + "\"")
                + ", added " + d.addedAt() + ", list version " + list.get().version() + ")");
        return new DeviceEventDetail(deviceId, described, entry.map(SignedDeviceList.Device::name)
                .filter(n -> !n.isEmpty()), fingerprint, Removal.NONE);
    }

    static DeviceEventDetail removed(int deviceId, String fingerprint, Removal why) {
        return new DeviceEventDetail(deviceId, Optional.empty(), Optional.empty(), fingerprint, why);
    }

    /** The detail as the key history keeps it. */
    public String text() {
        return "device " + deviceId + listEntry.orElse("") + " key " + fingerprint + removal.suffix;
    }

    /** Reads a detail written by {@link #text()}; empty for any other event's detail. */
    public static Optional<DeviceEventDetail> parse(String detail) {
        Matcher m = TEXT.matcher(detail);
        if (!m.matches()) {
            return Optional.empty();
        }
        Removal removal = m.group(5) == null ? Removal.NONE
                : m.group(5).equals(Removal.REPLACED.suffix) ? Removal.REPLACED : Removal.NO_LONGER_LISTED;
        return Optional.of(new DeviceEventDetail(Integer.parseInt(m.group(1)), Optional.ofNullable(m.group(2)),
                Optional.ofNullable(m.group(3)), m.group(4), removal));
    }
}
