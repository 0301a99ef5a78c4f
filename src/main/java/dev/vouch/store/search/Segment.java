package dev.vouch.store.search;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * An immutable block of the inverted index: the terms sorted by their UTF-8 bytes (so a prefix is
 * a contiguous range found by binary search), and for each term its postings, the ascending
 * document numbers that contain it, delta-encoded as varints in one shared byte array. Per term
 * it also keeps the document frequency and the last document (to append a newer segment without
 * decoding). A million messages of ten tokens fit in about 1.2 bytes per posting.
 */
final class Segment {
    static final Segment EMPTY = new Segment(new byte[0], new int[] {0}, new int[0], new int[0], new int[] {0},
            new byte[0], 0);

    final byte[] termBytes;
    final int[] termStarts;
    final int[] docFreq;
    final int[] lastDoc;
    final int[] postingStarts;
    final byte[] postings;
    final int termCount;

    Segment(byte[] termBytes, int[] termStarts, int[] docFreq, int[] lastDoc, int[] postingStarts, byte[] postings,
            int termCount) {
        this.termBytes = termBytes;
        this.termStarts = termStarts;
        this.docFreq = docFreq;
        this.lastDoc = lastDoc;
        this.postingStarts = postingStarts;
        this.postings = postings;
        this.termCount = termCount;
    }

    long postingCount() {
        long n = 0;
        for (int t = 0; t < termCount; t++) {
            n += docFreq[t];
        }
        return n;
    }

    long bytesUsed() {
        return termBytes.length + postings.length + 4L * (termStarts.length + docFreq.length + lastDoc.length
                + postingStarts.length);
    }

    /** Overwrites the terms and postings (plaintext-derived) in place. */
    void wipe() {
        Arrays.fill(termBytes, (byte) 0);
        Arrays.fill(postings, (byte) 0);
    }

    private int compare(int term, byte[] key) {
        return Arrays.compareUnsigned(termBytes, termStarts[term], termStarts[term + 1], key, 0, key.length);
    }

    private boolean startsWith(int term, byte[] prefix) {
        int from = termStarts[term];
        return termStarts[term + 1] - from >= prefix.length
                && Arrays.equals(termBytes, from, from + prefix.length, prefix, 0, prefix.length);
    }

    /** The first term not below {@code key}. */
    int lowerBound(byte[] key) {
        int lo = 0;
        int hi = termCount;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(mid, key) < 0) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The term equal to {@code key}, or -1. */
    int find(byte[] key) {
        int t = lowerBound(key);
        return t < termCount && compare(t, key) == 0 ? t : -1;
    }

    /** The end (exclusive) of the run of terms starting at {@code from} that begin with {@code prefix}. */
    int prefixEnd(byte[] prefix, int from) {
        int lo = from;
        int hi = termCount;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (startsWith(mid, prefix)) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    String term(int t) {
        return new String(termBytes, termStarts[t], termStarts[t + 1] - termStarts[t], StandardCharsets.UTF_8);
    }

    /** Sets the bit of every document of {@code term}. */
    void orInto(int term, long[] bits) {
        byte[] p = postings;
        int pos = postingStarts[term];
        int end = postingStarts[term + 1];
        int doc = 0;
        while (pos < end) {
            int b = p[pos++];
            int v = b & 0x7F;
            int shift = 7;
            while (b < 0) {
                b = p[pos++];
                v |= (b & 0x7F) << shift;
                shift += 7;
            }
            doc += v;
            bits[doc >>> 6] |= 1L << doc;
        }
    }

    /** Sets in {@code out} the bit of every document of {@code term} that is set in {@code filter}. */
    void andInto(int term, long[] filter, long[] out) {
        byte[] p = postings;
        int pos = postingStarts[term];
        int end = postingStarts[term + 1];
        int doc = 0;
        while (pos < end) {
            int b = p[pos++];
            int v = b & 0x7F;
            int shift = 7;
            while (b < 0) {
                b = p[pos++];
                v |= (b & 0x7F) << shift;
                shift += 7;
            }
            doc += v;
            long mask = 1L << doc;
            if ((filter[doc >>> 6] & mask) != 0) {
                out[doc >>> 6] |= mask;
            }
        }
    }

    /** Freezes buffered postings (term to ascending document numbers). */
    static Segment of(Map<String, IntList> live) {
        int n = live.size();
        if (n == 0) {
            return EMPTY;
        }
        byte[][] keys = new byte[n][];
        IntList[] lists = new IntList[n];
        int i = 0;
        for (Map.Entry<String, IntList> e : live.entrySet()) {
            keys[i] = e.getKey().getBytes(StandardCharsets.UTF_8);
            lists[i] = e.getValue();
            i++;
        }
        Integer[] order = new Integer[n];
        for (i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Arrays.compareUnsigned(keys[a], keys[b]));
        int termLength = 0;
        long postingBytes = 0;
        for (i = 0; i < n; i++) {
            termLength += keys[i].length;
            postingBytes += 5L * lists[i].size();
        }
        byte[] termBytes = new byte[termLength];
        int[] termStarts = new int[n + 1];
        int[] docFreq = new int[n];
        int[] lastDoc = new int[n];
        int[] postingStarts = new int[n + 1];
        byte[] postings = new byte[(int) Math.min(Integer.MAX_VALUE - 16, postingBytes)];
        int tpos = 0;
        int ppos = 0;
        for (i = 0; i < n; i++) {
            byte[] key = keys[order[i]];
            IntList list = lists[order[i]];
            termStarts[i] = tpos;
            System.arraycopy(key, 0, termBytes, tpos, key.length);
            tpos += key.length;
            postingStarts[i] = ppos;
            int prev = 0;
            int[] docs = list.array();
            for (int k = 0; k < list.size(); k++) {
                ppos = Bytes.putVarint(postings, ppos, docs[k] - prev);
                prev = docs[k];
            }
            docFreq[i] = list.size();
            lastDoc[i] = prev;
        }
        termStarts[n] = tpos;
        postingStarts[n] = ppos;
        return new Segment(termBytes, termStarts, docFreq, lastDoc, postingStarts, trim(postings, ppos), n);
    }

    /** Appends {@code newer}, whose documents all come after those of {@code older}. */
    static Segment merge(Segment older, Segment newer) {
        if (newer.termCount == 0) {
            return older;
        }
        if (older.termCount == 0) {
            return newer;
        }
        int max = older.termCount + newer.termCount;
        byte[] termBytes = new byte[older.termBytes.length + newer.termBytes.length];
        int[] termStarts = new int[max + 1];
        int[] docFreq = new int[max];
        int[] lastDoc = new int[max];
        int[] postingStarts = new int[max + 1];
        long capacity = (long) older.postings.length + newer.postings.length + 5L * Math.min(older.termCount, newer.termCount);
        if (capacity > Integer.MAX_VALUE - 16) {
            throw new IllegalStateException("search index too large");
        }
        byte[] postings = new byte[(int) capacity];
        int i = 0;
        int j = 0;
        int n = 0;
        int tpos = 0;
        int ppos = 0;
        while (i < older.termCount || j < newer.termCount) {
            int c;
            if (i == older.termCount) {
                c = 1;
            } else if (j == newer.termCount) {
                c = -1;
            } else {
                c = Arrays.compareUnsigned(older.termBytes, older.termStarts[i], older.termStarts[i + 1],
                        newer.termBytes, newer.termStarts[j], newer.termStarts[j + 1]);
            }
            termStarts[n] = tpos;
            postingStarts[n] = ppos;
            if (c <= 0) {
                int from = older.termStarts[i];
                int len = older.termStarts[i + 1] - from;
                System.arraycopy(older.termBytes, from, termBytes, tpos, len);
                tpos += len;
                int pfrom = older.postingStarts[i];
                int plen = older.postingStarts[i + 1] - pfrom;
                System.arraycopy(older.postings, pfrom, postings, ppos, plen);
                ppos += plen;
                docFreq[n] = older.docFreq[i];
                lastDoc[n] = older.lastDoc[i];
            } else {
                int from = newer.termStarts[j];
                int len = newer.termStarts[j + 1] - from;
                System.arraycopy(newer.termBytes, from, termBytes, tpos, len);
                tpos += len;
                docFreq[n] = 0;
                lastDoc[n] = 0;
            }
            if (c >= 0) {
                // newer's list starts with its first document as a delta from 0: rebase it on
                // the last document of the older list, then copy the rest unchanged
                byte[] p = newer.postings;
                int pos = newer.postingStarts[j];
                int end = newer.postingStarts[j + 1];
                int b = p[pos++];
                int first = b & 0x7F;
                int shift = 7;
                while (b < 0) {
                    b = p[pos++];
                    first |= (b & 0x7F) << shift;
                    shift += 7;
                }
                ppos = Bytes.putVarint(postings, ppos, first - lastDoc[n]);
                System.arraycopy(p, pos, postings, ppos, end - pos);
                ppos += end - pos;
                docFreq[n] += newer.docFreq[j];
                lastDoc[n] = newer.lastDoc[j];
                j++;
            }
            if (c <= 0) {
                i++;
            }
            n++;
        }
        termStarts[n] = tpos;
        postingStarts[n] = ppos;
        byte[] finalTerms = trim(termBytes, tpos);
        byte[] finalPostings = trim(postings, ppos);
        return new Segment(finalTerms, Arrays.copyOf(termStarts, n + 1), Arrays.copyOf(docFreq, n),
                Arrays.copyOf(lastDoc, n), Arrays.copyOf(postingStarts, n + 1), finalPostings, n);
    }

    /** Keeps a nearly full array as it is (only the used part is ever read); copies and wipes a sparse one. */
    private static byte[] trim(byte[] array, int used) {
        if (used >= array.length - (array.length >>> 4)) {
            return array;
        }
        byte[] trimmed = Arrays.copyOf(array, used);
        Arrays.fill(array, (byte) 0);
        return trimmed;
    }
}
