package dev.vouch.protocol.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.InvalidDeviceListException;
import dev.vouch.protocol.InvalidDeviceListException.Reason;
import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.encoding.Tag;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The signed device list: what it signs, and every input it refuses, by type. */
class SignedDeviceListTest {
    private static final Instant ADDED = Instant.ofEpochMilli(1_700_000_000_000L);
    private final SecureRandom random = new SecureRandom();
    private final AccountIdentity account = AccountIdentity.generate(random);

    private SignedDeviceList.Device device(int id, String name) {
        return new SignedDeviceList.Device(id, DeviceIdentity.generate(random).publicKey(), name, ADDED);
    }

    @Test
    void signedListReadsBackWithItsDevicesInAscendingOrder() throws Exception {
        SignedDeviceList.Device one = device(1, "Laptop");
        SignedDeviceList.Device two = device(2, "Büro-PC");
        SignedDeviceList list = SignedDeviceList.sign(account, "alice", 3, List.of(two, one));

        SignedDeviceList read = SignedDeviceList.decode(list.serialize(), account.publicKey());

        assertThat(read).isEqualTo(list);
        assertThat(read.handle()).isEqualTo("alice");
        assertThat(read.version()).isEqualTo(3);
        assertThat(read.devices()).containsExactly(one, two);
        assertThat(read.lists(2, two.key())).isTrue();
        assertThat(read.lists(2, one.key())).isFalse();
        assertThat(read.lists(3, one.key())).isFalse();
    }

    @Test
    void anotherAccountKeyOrAnyChangedByteBreaksTheSignature() throws Exception {
        byte[] encoded = SignedDeviceList.sign(account, "alice", 1, List.of(device(1, "Laptop"))).serialize();
        AccountIdentityKey other = AccountIdentity.generate(random).publicKey();
        assertThatThrownBy(() -> SignedDeviceList.decode(encoded, other)).isInstanceOf(InvalidSignatureException.class);

        // the version's lowest byte: still a well-formed list, no longer the signed one
        byte[] bumped = encoded.clone();
        bumped[2 + 1 + 5 + 7]++;
        assertThatThrownBy(() -> SignedDeviceList.decode(bumped, account.publicKey()))
                .isInstanceOf(InvalidSignatureException.class);
        byte[] badSignature = encoded.clone();
        badSignature[badSignature.length - 1] ^= 1;
        assertThatThrownBy(() -> SignedDeviceList.decode(badSignature, account.publicKey()))
                .isInstanceOf(InvalidSignatureException.class);
    }

    @Test
    void theSignatureIsDomainSeparated() throws Exception {
        byte[] encoded = SignedDeviceList.sign(account, "alice", 1, List.of(device(1, "Laptop"))).serialize();
        byte[] body = java.util.Arrays.copyOf(encoded, encoded.length - 64);
        byte[] bareSignature = account.sign(body); // the same bytes signed without the label
        byte[] forged = new ByteWriter().fixed(body).fixed(bareSignature).toByteArray();
        assertThatThrownBy(() -> SignedDeviceList.decode(forged, account.publicKey()))
                .isInstanceOf(InvalidSignatureException.class);
    }

    @Test
    void signingRefusesListsThatBreakARule() {
        SignedDeviceList.Device one = device(1, "Laptop");
        assertReason(() -> SignedDeviceList.sign(account, "alice", 1, List.of(one, device(1, "Other"))),
                Reason.DUPLICATE_DEVICE_ID);
        assertReason(() -> SignedDeviceList.sign(account, "alice", 1, List.of(one,
                new SignedDeviceList.Device(2, one.key(), "Same key", ADDED))), Reason.DUPLICATE_DEVICE_KEY);
        assertReason(() -> SignedDeviceList.sign(account, "alice", 1, List.of()), Reason.EMPTY);
        List<SignedDeviceList.Device> many = new ArrayList<>();
        for (int i = 1; i <= SignedDeviceList.MAX_DEVICES + 1; i++) {
            many.add(device(i, "d" + i));
        }
        assertReason(() -> SignedDeviceList.sign(account, "alice", 1, many), Reason.TOO_MANY_DEVICES);
        assertReason(() -> SignedDeviceList.sign(account, "alice", 0, List.of(one)), Reason.BAD_VERSION);
        assertReason(() -> SignedDeviceList.sign(account, "alice", 1, List.of(device(0, "zero"))), Reason.BAD_DEVICE_ID);
        assertReason(() -> SignedDeviceList.sign(account, "alice", 1, List.of(device(1, "x".repeat(65)))),
                Reason.BAD_NAME);
        assertReason(() -> SignedDeviceList.sign(account, "alice", 1, List.of(device(1, "evil\u202Ename\n"))),
                Reason.BAD_NAME);
        assertReason(() -> SignedDeviceList.sign(account, "alice", 1, List.of(device(1, "\u202Eenil"))),
                Reason.BAD_NAME);
        assertReason(() -> SignedDeviceList.sign(account, "", 1, List.of(one)), Reason.WRONG_HANDLE);
    }

    @Test
    void decodingRefusesSignedListsThatBreakARule() {
        // Each written by hand and validly signed: the rules hold even for a list its own account key signed.
        DeviceIdentityKey a = DeviceIdentity.generate(random).publicKey();
        DeviceIdentityKey b = DeviceIdentity.generate(random).publicKey();
        assertReason(() -> decode(signedByHand(1, new int[] {1, 1}, new DeviceIdentityKey[] {a, b})),
                Reason.DUPLICATE_DEVICE_ID);
        assertReason(() -> decode(signedByHand(1, new int[] {2, 1}, new DeviceIdentityKey[] {a, b})),
                Reason.NOT_CANONICAL);
        assertReason(() -> decode(signedByHand(1, new int[] {1, 2}, new DeviceIdentityKey[] {a, a})),
                Reason.DUPLICATE_DEVICE_KEY);
        assertReason(() -> decode(signedByHand(0, new int[] {1}, new DeviceIdentityKey[] {a})), Reason.BAD_VERSION);
        assertReason(() -> decode(signedByHand(1, new int[] {}, new DeviceIdentityKey[] {})), Reason.EMPTY);
        int n = SignedDeviceList.MAX_DEVICES + 1;
        int[] ids = new int[n];
        DeviceIdentityKey[] keys = new DeviceIdentityKey[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i + 1;
            keys[i] = DeviceIdentity.generate(random).publicKey();
        }
        assertReason(() -> decode(signedByHand(1, ids, keys)), Reason.TOO_MANY_DEVICES);
    }

    @Test
    void oversizedTruncatedAndTrailingInputIsMalformed() throws Exception {
        byte[] encoded = SignedDeviceList.sign(account, "alice", 1, List.of(device(1, "Laptop"))).serialize();
        assertReason(() -> decode(new byte[SignedDeviceList.MAX_ENCODED_LENGTH + 1]), Reason.TOO_MANY_DEVICES);
        assertThatThrownBy(() -> decode(java.util.Arrays.copyOf(encoded, encoded.length - 1)))
                .isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> decode(java.util.Arrays.copyOf(encoded, encoded.length + 1)))
                .isInstanceOf(MalformedDataException.class);
    }

    @Test
    void theLargestListFitsTheBound() throws Exception {
        List<SignedDeviceList.Device> full = new ArrayList<>();
        for (int i = 1; i <= SignedDeviceList.MAX_DEVICES; i++) {
            full.add(device(i, "é".repeat(32)));
        }
        byte[] encoded = SignedDeviceList.sign(account, "a".repeat(64), Long.MAX_VALUE, full).serialize();
        assertThat(encoded).hasSize(SignedDeviceList.MAX_ENCODED_LENGTH);
        assertThat(decode(encoded).devices()).hasSize(SignedDeviceList.MAX_DEVICES);
    }

    private SignedDeviceList decode(byte[] data) throws Exception {
        return SignedDeviceList.decode(data, account.publicKey());
    }

    /** A list in the wire format with whatever ids and keys, validly signed by {@link #account}. */
    private byte[] signedByHand(long version, int[] ids, DeviceIdentityKey[] keys) {
        byte[] handle = "alice".getBytes(StandardCharsets.UTF_8);
        ByteWriter w = Tag.SIGNED_DEVICE_LIST.writer(1024).u8(handle.length).fixed(handle).u64(version).u8(ids.length);
        for (int i = 0; i < ids.length; i++) {
            w.u32(ids[i]).fixed(keys[i].serialize()).u8(0).u64(ADDED.toEpochMilli());
        }
        byte[] body = w.toByteArray();
        byte[] label = "Vouch signed device list v1\0".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = account.sign(new ByteWriter().fixed(label).fixed(body).toByteArray());
        return new ByteWriter().fixed(body).fixed(signature).toByteArray();
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static void assertReason(Call call, Reason reason) {
        assertThatThrownBy(call::run).isInstanceOf(InvalidDeviceListException.class)
                .satisfies(e -> assertThat(((InvalidDeviceListException) e).reason()).isEqualTo(reason));
    }
}
