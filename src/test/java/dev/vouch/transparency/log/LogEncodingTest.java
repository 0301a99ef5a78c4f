package dev.vouch.transparency.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.UnknownTypeException;
import dev.vouch.protocol.crypto.Ed25519;
import dev.vouch.protocol.crypto.Sha;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.transparency.InvalidProofException;
import dev.vouch.transparency.InvalidTreeHeadException;
import dev.vouch.transparency.MalformedProofException;
import dev.vouch.transparency.merkle.ConsistencyProof;
import dev.vouch.transparency.merkle.InclusionProof;
import dev.vouch.transparency.merkle.MerkleHash;
import dev.vouch.transparency.merkle.MerkleTree;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The log's wire formats byte for byte (tree head, signed tree head, log entry, the label the
 * log key signs), what each decoder and constructor refuses, and the checks a client makes with
 * them: signature under the pinned key, inclusion of an entry, consistency of two heads.
 */
class LogEncodingTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] ROOT = Sha.sha256("root".getBytes(StandardCharsets.UTF_8));

    @Test
    void treeHeadLayout() throws Exception {
        TreeHead head = new TreeHead(0x0102030405060708L, ROOT, 1_700_000_000_123L);
        byte[] bytes = head.serialize();
        assertThat(HEX.formatHex(bytes)).isEqualTo("0131" + "0102030405060708" + HEX.formatHex(ROOT) + "0000018bcfe5687b");
        assertThat(bytes).hasSize(TreeHead.ENCODED_LENGTH).hasSize(50);
        assertThat(TreeHead.decode(bytes)).isEqualTo(head);
    }

    @Test
    void theLogKeySignsTheLabelledEncoding() throws Exception {
        LogSigner signer = LogSigner.generate(RANDOM);
        TreeHead head = new TreeHead(42, ROOT, 1_700_000_000_000L);
        SignedTreeHead signed = signer.sign(head);
        byte[] message = concat("Vouch tree head v1".getBytes(StandardCharsets.US_ASCII), new byte[] {0}, head.serialize());
        assertThat(head.signedMessage()).isEqualTo(message);
        assertThat(Ed25519.verify(signer.logKey().publicKey(), message, signed.signature())).isTrue();

        byte[] bytes = signed.serialize();
        assertThat(bytes).hasSize(SignedTreeHead.ENCODED_LENGTH).hasSize(114);
        assertThat(HEX.formatHex(bytes, 0, 2)).isEqualTo("0132");
        assertThat(Arrays.copyOfRange(bytes, 2, 50)).isEqualTo(Arrays.copyOfRange(head.serialize(), 2, 50));
        assertThat(Arrays.copyOfRange(bytes, 50, 114)).isEqualTo(signed.signature());
        assertThat(SignedTreeHead.decode(bytes)).isEqualTo(signed);
        assertThat(signer.logKey().verify(bytes)).isEqualTo(head);
        assertThat(LogSigner.fromPrivateKey(signer.privateKey()).logKey()).isEqualTo(signer.logKey());
    }

    @Test
    void aHeadSignedByAnotherKeyOrChangedAnywhereIsRefused() throws Exception {
        LogSigner signer = LogSigner.generate(RANDOM);
        LogKey pinned = signer.logKey();
        SignedTreeHead signed = signer.sign(new TreeHead(42, ROOT, 1_700_000_000_000L));
        assertThatThrownBy(() -> LogSigner.generate(RANDOM).logKey().verify(signed))
                .isInstanceOf(InvalidTreeHeadException.class)
                .hasMessage("tree head of size 42 is not signed by the pinned log key");
        byte[] bytes = signed.serialize();
        for (int bit = 0; bit < bytes.length * 8; bit++) {
            byte[] changed = bytes.clone();
            changed[bit / 8] ^= (byte) (1 << (bit % 8));
            int at = bit;
            assertThatThrownBy(() -> pinned.verify(changed)).as("bit %d", at)
                    .isInstanceOfAny(MalformedDataException.class, InvalidTreeHeadException.class);
        }
        assertThatThrownBy(() -> pinned.verify((SignedTreeHead) null)).isInstanceOf(InvalidTreeHeadException.class);
    }

    @Test
    void treeHeadRefusals() {
        byte[] empty = MerkleHash.emptyRoot();
        assertThatThrownBy(() -> new TreeHead(-1, ROOT, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TreeHead(1, ROOT, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TreeHead(1, new byte[31], 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TreeHead(0, ROOT, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new TreeHead(0, empty, 0).root()).isEqualTo(empty);

        byte[] valid = new TreeHead(3, ROOT, 5).serialize();
        assertThatThrownBy(() -> TreeHead.decode(withByte(valid, 2, 0x80)))
                .isExactlyInstanceOf(MalformedDataException.class).hasMessageContaining("exceeds 2^63 - 1");
        assertThatThrownBy(() -> TreeHead.decode(withByte(valid, 42, 0xFF)))
                .isExactlyInstanceOf(MalformedDataException.class).hasMessageContaining("timestamp");
        assertThatThrownBy(() -> TreeHead.decode(withByte(valid, 9, 0)))
                .isExactlyInstanceOf(MalformedDataException.class).hasMessageContaining("empty tree");
        assertThatThrownBy(() -> TreeHead.decode(signedBytes()))
                .isInstanceOf(UnknownTypeException.class);
    }

    @Test
    void logEntryLayout() throws Exception {
        AccountIdentityKey key = AccountIdentity.generate(RANDOM).publicKey();
        byte[] devices = Sha.sha256("device list".getBytes(StandardCharsets.UTF_8));
        LogEntry entry = new LogEntry("alice", key, devices, 7);
        byte[] bytes = entry.serialize();
        assertThat(HEX.formatHex(bytes)).isEqualTo("0133" + "05" + HEX.formatHex("alice".getBytes(StandardCharsets.UTF_8))
                + HEX.formatHex(key.serialize()) + HEX.formatHex(devices) + "0000000000000007");
        assertThat(LogEntry.decode(bytes)).isEqualTo(entry);
        assertThat(entry.leafHash()).isEqualTo(MerkleHash.leafHash(bytes));
    }

    @Test
    void logEntryRefusals() {
        AccountIdentityKey key = AccountIdentity.generate(RANDOM).publicKey();
        byte[] devices = new byte[32];
        assertThatThrownBy(() -> new LogEntry("", key, devices, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogEntry("a".repeat(65), key, devices, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogEntry("bad\uD800", key, devices, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogEntry("bob", key, new byte[31], 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LogEntry("bob", key, devices, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new LogEntry("a".repeat(64), key, devices, Long.MAX_VALUE).serialize()).hasSize(2 + 1 + 64 + 34 + 32 + 8);

        byte[] valid = new LogEntry("bob", key, devices, 1).serialize();
        assertThatThrownBy(() -> LogEntry.decode(withByte(valid, 2, 0)))
                .isExactlyInstanceOf(MalformedDataException.class).hasMessageContaining("handle length 0");
        assertThatThrownBy(() -> LogEntry.decode(withByte(valid, 2, 65)))
                .isExactlyInstanceOf(MalformedDataException.class).hasMessageContaining("handle length 65");
        assertThatThrownBy(() -> LogEntry.decode(withByte(valid, 3, 0xC0))) // an overlong UTF-8 lead byte
                .isExactlyInstanceOf(MalformedDataException.class).hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> LogEntry.decode(withByte(valid, 7, 0x02))) // the embedded key is not an account key
                .isInstanceOf(UnknownTypeException.class);
        assertThatThrownBy(() -> LogEntry.decode(withByte(valid, valid.length - 8, 0x80)))
                .isExactlyInstanceOf(MalformedDataException.class).hasMessageContaining("version");
    }

    @Test
    void aClientChecksInclusionAndConsistencyAgainstHeads() throws Exception {
        AccountIdentityKey key = AccountIdentity.generate(RANDOM).publicKey();
        MerkleTree tree = new MerkleTree();
        LogEntry[] entries = new LogEntry[12];
        for (int i = 0; i < entries.length; i++) {
            entries[i] = new LogEntry("user" + i, key, Sha.sha256(new byte[] {(byte) i}), i);
            tree.append(entries[i].serialize());
        }
        TreeHead old = new TreeHead(7, tree.root(7), 1000);
        TreeHead now = new TreeHead(12, tree.root(12), 2000);
        now.verifyInclusion(entries[3], tree.inclusionProof(3, 12));
        old.verifyInclusion(entries[6], tree.inclusionProof(6, 7));
        old.verifyConsistency(now, tree.consistencyProof(7, 12));
        now.verifyConsistency(new TreeHead(12, tree.root(12), 3000), tree.consistencyProof(12, 12));

        assertThatThrownBy(() -> now.verifyInclusion(entries[4], tree.inclusionProof(3, 12)))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> now.verifyInclusion(entries[3], tree.inclusionProof(3, 11)))
                .isInstanceOf(MalformedProofException.class).hasMessageContaining("the tree head has 12");
        assertThatThrownBy(() -> now.verifyConsistency(old, tree.consistencyProof(7, 12)))
                .isInstanceOf(MalformedProofException.class);
        assertThatThrownBy(() -> old.verifyConsistency(now, tree.consistencyProof(6, 12)))
                .isInstanceOf(MalformedProofException.class).hasMessageContaining("the tree heads have 7 and 12");
        TreeHead fork = new TreeHead(12, tree.root(11), 2000);
        assertThatThrownBy(() -> now.verifyConsistency(fork, tree.consistencyProof(12, 12)))
                .isInstanceOf(InvalidProofException.class).hasMessageContaining("forked");
        assertThatThrownBy(() -> old.verifyConsistency(fork, tree.consistencyProof(7, 12)))
                .isInstanceOf(InvalidProofException.class);
        assertThatThrownBy(() -> now.verifyInclusion(entries[3], null)).isInstanceOf(MalformedProofException.class);
        assertThatThrownBy(() -> old.verifyConsistency(now, null)).isInstanceOf(MalformedProofException.class);
        TreeHead emptyHead = new TreeHead(0, MerkleHash.emptyRoot(), 0);
        assertThatThrownBy(() -> emptyHead.verifyConsistency(now, new ConsistencyProof(1, 12, tree.consistencyProof(1, 12).hashes())))
                .isInstanceOf(MalformedProofException.class);
        assertThat(InclusionProof.decode(tree.inclusionProof(3, 12).serialize())).isEqualTo(tree.inclusionProof(3, 12));
    }

    private static byte[] signedBytes() {
        return LogSigner.generate(RANDOM).sign(new TreeHead(1, ROOT, 1)).serialize();
    }

    private static byte[] withByte(byte[] bytes, int index, int value) {
        byte[] out = bytes.clone();
        out[index] = (byte) value;
        return out;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
