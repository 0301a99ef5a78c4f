package dev.vouch.transparency.merkle;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.encoding.Tag;
import java.util.ArrayList;
import java.util.List;

/**
 * The list of 32-byte hashes both proof kinds carry, and their common encoding:
 * {@code tag || u64 first || u64 second || u8 count || count hashes}.
 */
final class ProofHashes {
    static final int MAX_HASHES = 64;
    static final int HEADER_LENGTH = 2 + 8 + 8 + 1;

    private ProofHashes() {
    }

    /** Copies of the hashes, in order. */
    static List<byte[]> copies(byte[][] hashes) {
        List<byte[]> out = new ArrayList<>(hashes.length);
        for (byte[] h : hashes) {
            out.add(h.clone());
        }
        return out;
    }

    static int encodedLength(byte[][] hashes) {
        return HEADER_LENGTH + MerkleHash.LENGTH * hashes.length;
    }

    static byte[] serialize(Tag tag, long first, long second, byte[][] hashes) {
        ByteWriter w = tag.exactWriter(encodedLength(hashes)).u64(first).u64(second).u8(hashes.length);
        for (byte[] h : hashes) {
            w.fixed(h);
        }
        return w.toByteArray();
    }

    /** What a decoder read: the two numbers and the hashes, not yet checked against each other. */
    record Decoded(long first, long second, byte[][] hashes) {
    }

    /**
     * Reads the encoding; {@code shape} says why a count cannot fit the two numbers (null when it
     * can), so nothing is allocated for a proof of the wrong shape.
     */
    static Decoded decode(Tag tag, byte[] data, String what, Shape shape) throws MalformedDataException {
        ByteReader r = tag.reader(data);
        long first = r.u64();
        long second = r.u64();
        int count = r.u8();
        if (count > MAX_HASHES) {
            throw new MalformedDataException(what + ": " + count + " hashes, at most " + MAX_HASHES);
        }
        String problem = shape.problem(first, second, count);
        if (problem != null) {
            throw new MalformedDataException(what + ": " + problem);
        }
        byte[][] hashes = new byte[count][];
        for (int i = 0; i < count; i++) {
            hashes[i] = r.fixed(MerkleHash.LENGTH);
        }
        r.end();
        return new Decoded(first, second, hashes);
    }

    /** Why the hashes are not all 32 bytes, or null when they are. */
    static String hashProblem(byte[][] hashes) {
        for (int i = 0; i < hashes.length; i++) {
            if (hashes[i] == null || hashes[i].length != MerkleHash.LENGTH) {
                return "proof hash " + i + " must be " + MerkleHash.LENGTH + " bytes, got " + lengthOf(hashes[i]);
            }
        }
        return null;
    }

    static byte[][] copy(List<byte[]> hashes) {
        if (hashes == null) {
            throw new IllegalArgumentException("hashes must not be null");
        }
        byte[][] out = new byte[hashes.size()][];
        for (int i = 0; i < out.length; i++) {
            byte[] h = hashes.get(i);
            out[i] = h == null ? null : h.clone();
        }
        return out;
    }

    static String lengthOf(byte[] bytes) {
        return bytes == null ? "none" : Integer.toString(bytes.length);
    }

    @FunctionalInterface
    interface Shape {
        String problem(long first, long second, int count);
    }
}
