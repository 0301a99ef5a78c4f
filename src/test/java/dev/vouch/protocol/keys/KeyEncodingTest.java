package dev.vouch.protocol.keys;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.MlKem768;
import dev.vouch.protocol.crypto.X25519;
import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

/**
 * Each key type and the prekey bundle read back as the same value (public keys) or as a key that
 * does the same work (private records), and the fields the generic contract cannot see are
 * checked: booleans, the device id range, and that the signatures bind what they claim to.
 */
class KeyEncodingTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DeviceIdentity DEVICE = DeviceIdentity.generate(RANDOM);
    private static final SignedPreKey SIGNED = SignedPreKey.generate(0xFFFFFFFF, DEVICE, 1_700_000_000_123L, RANDOM);
    private static final OneTimePreKey ONE_TIME = OneTimePreKey.generate(0x80000000, RANDOM);
    private static final KemPreKey KEM = KemPreKey.generate(42, false, DEVICE, Long.MAX_VALUE, RANDOM);
    private static final KemPreKey LAST_RESORT = KemPreKey.generate(43, true, DEVICE, 0L, RANDOM);

    @Test
    void publicKeysReadBackAsEqualValues() throws Exception {
        AccountIdentityKey account = AccountIdentity.generate(RANDOM).publicKey();
        assertThat(AccountIdentityKey.decode(account.serialize())).isEqualTo(account);
        assertThat(DeviceIdentityKey.decode(DEVICE.publicKey().serialize())).isEqualTo(DEVICE.publicKey());
        assertThat(SignedPreKeyPublic.decode(SIGNED.publicPart().serialize())).isEqualTo(SIGNED.publicPart());
        assertThat(OneTimePreKeyPublic.decode(ONE_TIME.publicPart().serialize())).isEqualTo(ONE_TIME.publicPart());
        KemPreKeyPublic kem = KemPreKeyPublic.decode(KEM.publicPart().serialize());
        assertThat(kem).isEqualTo(KEM.publicPart());
        assertThat(kem.lastResort()).isFalse();
        assertThat(KemPreKeyPublic.decode(LAST_RESORT.publicPart().serialize()).lastResort()).isTrue();
        assertThat(AccountIdentityKey.SERIALIZED_LENGTH).isEqualTo(account.serialize().length);
        assertThat(DeviceIdentityKey.SERIALIZED_LENGTH).isEqualTo(DEVICE.publicKey().serialize().length);
    }

    @Test
    void unsignedIdsReadBackWhole() throws Exception {
        assertThat(SignedPreKeyPublic.decode(SIGNED.publicPart().serialize()).id()).isEqualTo(0xFFFFFFFF);
        assertThat(OneTimePreKeyPublic.decode(ONE_TIME.publicPart().serialize()).id()).isEqualTo(0x80000000);
    }

    @Test
    void privateRecordsReadBackAsKeysThatDoTheSameWork() throws Exception {
        AccountIdentity account = AccountIdentity.generate(RANDOM);
        AccountIdentity accountBack = AccountIdentity.decodePrivate(account.serializePrivate());
        byte[] message = "device list".getBytes(UTF_8);
        assertThat(accountBack.publicKey()).isEqualTo(account.publicKey());
        assertThat(account.publicKey().verify(message, accountBack.sign(message))).isTrue();

        DeviceIdentity deviceBack = DeviceIdentity.decodePrivate(DEVICE.serializePrivate());
        X25519.KeyPair peer = X25519.generate(RANDOM);
        assertThat(deviceBack.publicKey()).isEqualTo(DEVICE.publicKey());
        assertThat(deviceBack.agree(peer.publicKey())).isEqualTo(DEVICE.agree(peer.publicKey()));
        assertThat(DEVICE.publicKey().verify(message, deviceBack.sign(message))).isTrue();

        SignedPreKey signedBack = SignedPreKey.decodePrivate(SIGNED.serializePrivate());
        assertThat(signedBack.id()).isEqualTo(SIGNED.id());
        assertThat(signedBack.publicPart()).isEqualTo(SIGNED.publicPart());
        assertThat(signedBack.createdAtMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(signedBack.agree(peer.publicKey())).isEqualTo(SIGNED.agree(peer.publicKey()));

        OneTimePreKey oneTimeBack = OneTimePreKey.decodePrivate(ONE_TIME.serializePrivate());
        assertThat(oneTimeBack.publicPart()).isEqualTo(ONE_TIME.publicPart());
        assertThat(oneTimeBack.agree(peer.publicKey())).isEqualTo(ONE_TIME.agree(peer.publicKey()));

        for (KemPreKey kem : new KemPreKey[] {KEM, LAST_RESORT}) {
            KemPreKey kemBack = KemPreKey.decodePrivate(kem.serializePrivate());
            assertThat(kemBack.publicPart()).isEqualTo(kem.publicPart());
            assertThat(kemBack.lastResort()).isEqualTo(kem.lastResort());
            assertThat(kemBack.createdAtMillis()).isEqualTo(kem.createdAtMillis());
            MlKem768.Encapsulation encapsulation = MlKem768.encapsulate(kem.publicPart().publicKey(), RANDOM);
            assertThat(kemBack.decapsulate(encapsulation.ciphertext())).isEqualTo(encapsulation.sharedSecret());
        }
    }

    @Test
    void bundlesReadBackWithAndWithoutAOneTimePreKey() throws Exception {
        PreKeyBundle full = PreKeyBundle.verified(7, DEVICE.publicKey(), SIGNED.publicPart(), ONE_TIME.publicPart(),
                KEM.publicPart());
        PreKeyBundle back = PreKeyBundle.decode(full.serialize());
        assertThat(back.deviceId()).isEqualTo(7);
        assertThat(back.identityKey()).isEqualTo(DEVICE.publicKey());
        assertThat(back.signedPreKey()).isEqualTo(SIGNED.publicPart());
        assertThat(back.oneTimePreKey()).contains(ONE_TIME.publicPart());
        assertThat(back.kemPreKey()).isEqualTo(KEM.publicPart());

        PreKeyBundle lean = PreKeyBundle.verified(Integer.MAX_VALUE, DEVICE.publicKey(), SIGNED.publicPart(), null,
                LAST_RESORT.publicPart());
        PreKeyBundle leanBack = PreKeyBundle.decode(lean.serialize());
        assertThat(leanBack.deviceId()).isEqualTo(Integer.MAX_VALUE);
        assertThat(leanBack.oneTimePreKey()).isEmpty();
        assertThat(leanBack.kemPreKey()).isEqualTo(LAST_RESORT.publicPart());
        assertThat(leanBack.serialize()).isEqualTo(lean.serialize());
    }

    @Test
    void booleansOtherThanZeroOrOneAreMalformed() throws Exception {
        byte[] kem = KEM.publicPart().serialize();
        kem[6] = 2; // last-resort flag after prefix and id
        assertThatThrownBy(() -> KemPreKeyPublic.decode(kem)).isExactlyInstanceOf(MalformedDataException.class);

        byte[] kemPrivate = KEM.serializePrivate();
        kemPrivate[6] = (byte) 0xFF;
        assertThatThrownBy(() -> KemPreKey.decodePrivate(kemPrivate)).isExactlyInstanceOf(MalformedDataException.class);

        byte[] bundle = leanBundle();
        bundle[170] = 2; // has-one-time flag after prefix, device id, identity and signed prekey
        assertThatThrownBy(() -> PreKeyBundle.decode(bundle)).isExactlyInstanceOf(MalformedDataException.class);
    }

    @Test
    void bundleDeviceIdsOutsideOneToIntMaxAreMalformed() throws Exception {
        for (int deviceId : new int[] {0, 0x80000000, 0xFFFFFFFF}) {
            byte[] bundle = leanBundle();
            bundle[2] = (byte) (deviceId >>> 24);
            bundle[3] = (byte) (deviceId >>> 16);
            bundle[4] = (byte) (deviceId >>> 8);
            bundle[5] = (byte) deviceId;
            assertThatThrownBy(() -> PreKeyBundle.decode(bundle)).as("device id %d", deviceId)
                    .isExactlyInstanceOf(MalformedDataException.class);
        }
    }

    @Test
    void prekeysSignedByAnotherDeviceDoNotVerify() {
        DeviceIdentity other = DeviceIdentity.generate(RANDOM);
        SignedPreKey foreignSigned = SignedPreKey.generate(1, other, 0L, RANDOM);
        KemPreKey foreignKem = KemPreKey.generate(2, false, other, 0L, RANDOM);
        assertThatThrownBy(() -> PreKeyBundle.verified(1, DEVICE.publicKey(), foreignSigned.publicPart(), null,
                KEM.publicPart())).isInstanceOf(InvalidSignatureException.class);
        assertThatThrownBy(() -> PreKeyBundle.verified(1, DEVICE.publicKey(), SIGNED.publicPart(), null,
                foreignKem.publicPart())).isInstanceOf(InvalidSignatureException.class);
    }

    @Test
    void aSignatureMadeForOneKindOfPrekeyDoesNotVerifyForAnother() {
        // The same device signs both kinds; the labels keep one kind's signature from passing as the other's.
        SignedPreKeyPublic withKemSignature = new SignedPreKeyPublic(SIGNED.id(), SIGNED.publicPart().publicKey(),
                KEM.publicPart().signature());
        assertThatThrownBy(() -> withKemSignature.verify(DEVICE.publicKey())).isInstanceOf(InvalidSignatureException.class);
    }

    @Test
    void theLastResortFlagIsSigned() {
        KemPreKeyPublic claimedLastResort = new KemPreKeyPublic(KEM.id(), KEM.publicPart().publicKey(), true,
                KEM.publicPart().signature());
        assertThatThrownBy(() -> claimedLastResort.verify(DEVICE.publicKey())).isInstanceOf(InvalidSignatureException.class);
    }

    private static byte[] leanBundle() throws InvalidSignatureException {
        return PreKeyBundle.verified(1, DEVICE.publicKey(), SIGNED.publicPart(), null, LAST_RESORT.publicPart()).serialize();
    }
}
