package dev.vouch.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.SignedDeviceList;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The key history keeps device events as text; the contact panel reads names and fingerprints back
 * from it. Every detail the key directory writes must read back as what was written, and no other
 * event's detail may pass for a device's.
 */
class DeviceEventDetailTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final AccountIdentity ACCOUNT = AccountIdentity.generate(RANDOM);
    private static final String FINGERPRINT = "05ab cdef 0123 4567";
    private static final Instant ADDED = Instant.parse("2026-11-27T10:00:00Z");

    private static SignedDeviceList listNaming(int deviceId, String name) throws Exception {
        return SignedDeviceList.sign(ACCOUNT, "alice", 3, List.of(
                new SignedDeviceList.Device(1, DeviceIdentity.generate(RANDOM).publicKey(), "Desk", ADDED),
                new SignedDeviceList.Device(deviceId, DeviceIdentity.generate(RANDOM).publicKey(), name, ADDED)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Laptop", "Bob's \"work\" laptop, 2nd", "key 05ab", "x) key 00"})
    void aNamedDeviceReadsBackWithItsName(String name) throws Exception {
        DeviceEventDetail written = DeviceEventDetail.added(7, Optional.of(listNaming(7, name)), FINGERPRINT);

        DeviceEventDetail read = DeviceEventDetail.parse(written.text()).orElseThrow();

        assertThat(read).isEqualTo(written);
        assertThat(read.name()).contains(name);
        assertThat(read.fingerprint()).isEqualTo(FINGERPRINT);
        assertThat(written.text()).contains("list version 3").contains(ADDED.toString());
    }

    @Test
    void anUnnamedDeviceHasNoName() throws Exception {
        DeviceEventDetail written = DeviceEventDetail.added(2, Optional.of(listNaming(2, "")), FINGERPRINT);

        DeviceEventDetail read = DeviceEventDetail.parse(written.text()).orElseThrow();

        assertThat(written.text()).startsWith("device 2 (unnamed, added ");
        assertThat(read.name()).isEmpty();
        assertThat(read).isEqualTo(written);
    }

    @Test
    void aDeviceOfAContactWithoutAListHasNoEntry() {
        DeviceEventDetail written = DeviceEventDetail.added(3, Optional.empty(), FINGERPRINT);

        assertThat(written.text()).isEqualTo("device 3 key " + FINGERPRINT);
        assertThat(DeviceEventDetail.parse(written.text())).contains(written);
    }

    @Test
    void aDeviceMissingFromTheListItCameWithHasNoEntry() throws Exception {
        DeviceEventDetail written = DeviceEventDetail.added(9, Optional.of(listNaming(7, "Laptop")), FINGERPRINT);

        assertThat(written.listEntry()).isEmpty();
        assertThat(DeviceEventDetail.parse(written.text())).contains(written);
    }

    @Test
    void removalsReadBackWithTheirReason() {
        for (DeviceEventDetail.Removal why : List.of(DeviceEventDetail.Removal.REPLACED,
                DeviceEventDetail.Removal.NO_LONGER_LISTED)) {
            DeviceEventDetail written = DeviceEventDetail.removed(4, FINGERPRINT, why);

            DeviceEventDetail read = DeviceEventDetail.parse(written.text()).orElseThrow();

            assertThat(read.removal()).isEqualTo(why);
            assertThat(read.deviceId()).isEqualTo(4);
            assertThat(read.fingerprint()).isEqualTo(FINGERPRINT);
        }
        assertThat(DeviceEventDetail.removed(4, FINGERPRINT, DeviceEventDetail.Removal.NO_LONGER_LISTED).text())
                .isEqualTo("device 4 key " + FINGERPRINT + " no longer listed");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "account key 05ab cdef", "list version 4 refused: signature",
            "device x key 05ab", "device 2 key ", "device 2 key 05AB", "device 2 (\"a\") key 05ab"})
    void otherDetailsAreNotDeviceEvents(String detail) {
        assertThat(DeviceEventDetail.parse(detail)).isEmpty();
    }
}
