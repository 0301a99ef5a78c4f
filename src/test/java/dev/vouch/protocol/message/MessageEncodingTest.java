package dev.vouch.protocol.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.UnknownTypeException;
import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.crypto.MlKem768;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.testing.Encodings;
import dev.vouch.testing.Party;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * Both message kinds read back field for field, {@link CiphertextMessage#decode} tells them apart
 * and refuses everything else, and the fields a generic check cannot judge are refused when
 * impossible: counters above 2^31 - 1, ciphertexts that are not a padding bucket plus the tag,
 * and an inner message whose length field lies or that is not a ratchet message.
 */
class MessageEncodingTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void ratchetMessagesReadBackFieldForField() throws Exception {
        byte[] key = random(32);
        byte[] ciphertext = random(Padding.MIN_BUCKET + AesGcm.TAG_LENGTH);
        RatchetMessage message = new RatchetMessage(key, Integer.MAX_VALUE, 7, ciphertext);
        RatchetMessage back = (RatchetMessage) CiphertextMessage.decode(message.serialize());
        assertThat(back.ratchetKey()).isEqualTo(key);
        assertThat(back.previousCounter()).isEqualTo(Integer.MAX_VALUE);
        assertThat(back.counter()).isEqualTo(7);
        assertThat(back.ciphertext()).isEqualTo(ciphertext);
        assertThat(back.header()).isEqualTo(RatchetMessage.headerBytes(key, Integer.MAX_VALUE, 7));
        assertThat(back.serialize()).isEqualTo(message.serialize());
    }

    @Test
    void preKeyMessagesReadBackFieldForField() throws Exception {
        DeviceIdentity sender = DeviceIdentity.generate(RANDOM);
        RatchetMessage inner = new RatchetMessage(random(32), 0, 3, random(2 * Padding.MIN_BUCKET + AesGcm.TAG_LENGTH));
        for (OptionalInt oneTime : new OptionalInt[] {OptionalInt.of(0xFFFFFFFF), OptionalInt.empty()}) {
            byte[] baseKey = random(32);
            byte[] kemCiphertext = random(MlKem768.CIPHERTEXT_LENGTH);
            PreKeyMessage message = new PreKeyMessage(sender.publicKey(), baseKey, 5, oneTime, 6, kemCiphertext, inner);
            PreKeyMessage back = (PreKeyMessage) CiphertextMessage.decode(message.serialize());
            assertThat(back.senderIdentity()).isEqualTo(sender.publicKey());
            assertThat(back.baseKey()).isEqualTo(baseKey);
            assertThat(back.signedPreKeyId()).isEqualTo(5);
            assertThat(back.oneTimePreKeyId()).isEqualTo(oneTime);
            assertThat(back.kemPreKeyId()).isEqualTo(6);
            assertThat(back.kemCiphertext()).isEqualTo(kemCiphertext);
            assertThat(back.message().serialize()).isEqualTo(inner.serialize());
            assertThat(back.setupBytes()).isEqualTo(message.setupBytes());
            assertThat(back.serialize()).isEqualTo(message.serialize());
        }
    }

    @Test
    void realMessagesOfASessionAreTheKindsTheyClaim() throws Exception {
        Party alice = new Party("alice", 1, RANDOM);
        Party bob = new Party("bob", 1, RANDOM);
        alice.builderFor(bob).process(bob.bundle());
        byte[] first = alice.cipherFor(bob).encrypt(new byte[] {1});
        assertThat(CiphertextMessage.decode(first)).isInstanceOf(PreKeyMessage.class);
        bob.cipherFor(alice).decrypt(first);
        assertThat(CiphertextMessage.decode(bob.cipherFor(alice).encrypt(new byte[] {2}))).isInstanceOf(RatchetMessage.class);
    }

    @Test
    void everyOtherRegisteredTypeIsNotAMessage() {
        for (Encodings.Entry entry : Encodings.all()) {
            if (entry.tag() == Tag.RATCHET_MESSAGE || entry.tag() == Tag.PREKEY_MESSAGE) {
                continue;
            }
            assertThatThrownBy(() -> CiphertextMessage.decode(entry.first().bytes()))
                    .as("%s", entry).isInstanceOf(UnknownTypeException.class);
        }
    }

    @Test
    void countersAbove2To31Minus1AreMalformed() {
        byte[] message = new RatchetMessage(random(32), 0, 0, random(Padding.MIN_BUCKET + AesGcm.TAG_LENGTH)).serialize();
        for (int field : new int[] {34, 38}) {
            for (int value : new int[] {0x80000000, 0xFFFFFFFF}) {
                byte[] bad = message.clone();
                putU32(bad, field, value);
                assertThatThrownBy(() -> CiphertextMessage.decode(bad))
                        .as("u32 at %d set to %08x", field, value)
                        .isExactlyInstanceOf(MalformedDataException.class);
            }
        }
    }

    @Test
    void ciphertextsThatAreNotABucketPlusTheTagAreMalformed() throws Exception {
        int tag = AesGcm.TAG_LENGTH;
        int[] impossible = {0, tag, tag + 1, Padding.MIN_BUCKET / 2 + tag, Padding.MIN_BUCKET + tag - 1,
                Padding.MIN_BUCKET + tag + 1, 300 + tag, Padding.MIN_BUCKET, 2 * Padding.MIN_BUCKET + tag + 16,
                2 * Padding.MAX_PADDED + tag};
        for (int length : impossible) {
            byte[] bytes = new ByteWriter().u8(Tag.VERSION).u8(Tag.RATCHET_MESSAGE.code()).fixed(random(32))
                    .u32(0).u32(0).fixed(new byte[length]).toByteArray();
            assertThatThrownBy(() -> CiphertextMessage.decode(bytes)).as("ciphertext of %d bytes", length)
                    .isExactlyInstanceOf(MalformedDataException.class);
        }
        for (int bucket = Padding.MIN_BUCKET; bucket <= Padding.MAX_PADDED; bucket <<= 1) {
            byte[] bytes = new RatchetMessage(random(32), 0, 0, new byte[bucket + tag]).serialize();
            assertThat(RatchetMessage.decode(bytes).ciphertext()).hasSize(bucket + tag);
        }
    }

    @Test
    void anInnerLengthThatLiesIsMalformed() throws Exception {
        byte[] valid = Encodings.of(Tag.PREKEY_MESSAGE).first().bytes();
        int lengthField = Encodings.of(Tag.PREKEY_MESSAGE).first().u32Fields()[valid[102] == 1 ? 3 : 2];
        int actual = valid.length - lengthField - 4;
        for (int claimed : new int[] {actual - 1, actual + 1, 0, RatchetMessage.MAX_LENGTH + 1, 0x7FFFFFFF, 0xFFFFFFFF}) {
            byte[] bad = valid.clone();
            putU32(bad, lengthField, claimed);
            assertThatThrownBy(() -> CiphertextMessage.decode(bad)).as("inner length %d for %d bytes", claimed, actual)
                    .isExactlyInstanceOf(MalformedDataException.class);
        }
        assertThat(CiphertextMessage.decode(valid).serialize()).isEqualTo(valid);
    }

    @Test
    void anInnerMessageThatIsNotARatchetMessageIsAnUnknownType() {
        byte[] valid = Encodings.of(Tag.PREKEY_MESSAGE).first().bytes();
        int lengthField = Encodings.of(Tag.PREKEY_MESSAGE).first().u32Fields()[valid[102] == 1 ? 3 : 2];
        byte[] nested = valid.clone();
        nested[lengthField + 4 + 1] = (byte) Tag.PREKEY_MESSAGE.code();
        assertThatThrownBy(() -> CiphertextMessage.decode(nested)).isInstanceOf(UnknownTypeException.class);
    }

    @Test
    void aRatchetMessageLargerThanTheLargestBucketIsRefusedBeforeParsing() {
        byte[] huge = Arrays.copyOf(new RatchetMessage(random(32), 0, 0, new byte[Padding.MAX_PADDED + AesGcm.TAG_LENGTH])
                .serialize(), RatchetMessage.MAX_LENGTH + 1);
        assertThatThrownBy(() -> RatchetMessage.decode(huge)).isExactlyInstanceOf(MalformedDataException.class);
    }

    private static byte[] random(int length) {
        byte[] out = new byte[length];
        RANDOM.nextBytes(out);
        return out;
    }

    private static void putU32(byte[] bytes, int at, int value) {
        bytes[at] = (byte) (value >>> 24);
        bytes[at + 1] = (byte) (value >>> 16);
        bytes[at + 2] = (byte) (value >>> 8);
        bytes[at + 3] = (byte) value;
    }
}
