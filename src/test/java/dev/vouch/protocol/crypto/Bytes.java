package dev.vouch.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;

/** Byte-array assertions that print hex, so a failing vector shows comparable values. */
final class Bytes {
    private static final HexFormat HEX = HexFormat.of();

    private Bytes() {
    }

    static String hex(byte[] bytes) {
        return bytes == null ? "null" : HEX.formatHex(bytes);
    }

    static void assertBytes(String what, byte[] expected, byte[] actual) {
        assertThat(hex(actual)).as(what).isEqualTo(hex(expected));
    }

    static boolean allZero(byte[] bytes) {
        int acc = 0;
        for (byte b : bytes) {
            acc |= b;
        }
        return acc == 0;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
