package dev.vouch.store.search;

import java.util.Arrays;

/** A growable list of ints: the buffered postings of one term, without boxing. */
final class IntList {
    private int[] values = new int[2];
    private int size;

    void add(int v) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = v;
    }

    int size() {
        return size;
    }

    int[] array() {
        return values;
    }

    void orInto(long[] bits) {
        for (int k = 0; k < size; k++) {
            int doc = values[k];
            bits[doc >>> 6] |= 1L << doc;
        }
    }

    void andInto(long[] filter, long[] out) {
        for (int k = 0; k < size; k++) {
            int doc = values[k];
            long mask = 1L << doc;
            if ((filter[doc >>> 6] & mask) != 0) {
                out[doc >>> 6] |= mask;
            }
        }
    }
}
