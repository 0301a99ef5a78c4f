package dev.vouch.transparency.merkle;

import dev.vouch.protocol.crypto.Sha;
import java.util.ArrayList;
import java.util.List;

/**
 * RFC 9162 section 2.1 written out as its definitions read, recursively and without any storage,
 * for comparison with {@link MerkleTree}: MTH, PATH and PROOF/SUBPROOF over a list of leaf hashes.
 * Slow (linear in the range per call) and obviously right.
 */
final class Reference {
    private Reference() {
    }

    static byte[] leafHash(byte[] data) {
        return Sha.sha256(new byte[] {0}, data);
    }

    static byte[] node(byte[] left, byte[] right) {
        return Sha.sha256(new byte[] {1}, left, right);
    }

    /** MTH(D[from:to]) given the leaf hashes. */
    static byte[] mth(List<byte[]> leafHashes, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return Sha.sha256();
        }
        if (n == 1) {
            return leafHashes.get(from);
        }
        int k = largestPowerOfTwoBelow(n);
        return node(mth(leafHashes, from, from + k), mth(leafHashes, from + k, to));
    }

    /** PATH(m, D[from:to]). */
    static List<byte[]> path(List<byte[]> leafHashes, int m, int from, int to) {
        int n = to - from;
        List<byte[]> out = new ArrayList<>();
        if (n == 1) {
            return out;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m < k) {
            out.addAll(path(leafHashes, m, from, from + k));
            out.add(mth(leafHashes, from + k, to));
        } else {
            out.addAll(path(leafHashes, m - k, from + k, to));
            out.add(mth(leafHashes, from, from + k));
        }
        return out;
    }

    /** PROOF(m, D[0:n]) = SUBPROOF(m, D[0:n], true). */
    static List<byte[]> proof(List<byte[]> leafHashes, int m, int n) {
        return subproof(leafHashes, m, 0, n, true);
    }

    private static List<byte[]> subproof(List<byte[]> leafHashes, int m, int from, int to, boolean b) {
        int n = to - from;
        List<byte[]> out = new ArrayList<>();
        if (m == n) {
            if (!b) {
                out.add(mth(leafHashes, from, to));
            }
            return out;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            out.addAll(subproof(leafHashes, m, from, from + k, b));
            out.add(mth(leafHashes, from + k, to));
        } else {
            out.addAll(subproof(leafHashes, m - k, from + k, to, false));
            out.add(mth(leafHashes, from, from + k));
        }
        return out;
    }

    /** The largest power of two strictly below {@code n} (n > 1), by counting up rather than by bit tricks. */
    private static int largestPowerOfTwoBelow(int n) {
        int k = 1;
        while (k * 2 < n) {
            k *= 2;
        }
        return k;
    }
}
