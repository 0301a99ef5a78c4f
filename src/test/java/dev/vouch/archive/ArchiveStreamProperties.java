package dev.vouch.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ArchiveStreamProperties {
    /**
     * Bits 16..19 of the Argon2 memory field (byte 11) raise it to 64..512 MiB, which is within
     * bounds and so a genuine, slow key derivation; the fixed matrix covers that field instead.
     */
    private static final int SLOW_MEMORY_BYTE = 11;

    @Property(tries = 60)
    void everyLengthRoundTrips(@ForAll @IntRange(min = 0, max = 200_000) int length, @ForAll long seed) throws IOException {
        byte[] plain = Archives.random(length, seed);
        assertThat(Archives.open(Archives.seal(plain))).isEqualTo(plain);
    }

    @Property(tries = 150)
    void everySingleBitFlipIsRefusedWithATypedError(@ForAll @IntRange(min = 0, max = 140_000) int length,
            @ForAll long seed, @ForAll @IntRange(min = 0, max = Integer.MAX_VALUE - 1) int where,
            @ForAll @IntRange(min = 0, max = 7) int bit) throws IOException {
        byte[] archive = Archives.seal(Archives.random(length, seed));
        int offset = where % archive.length;
        if (offset == SLOW_MEMORY_BYTE) {
            offset = 12;
        }
        byte[] flipped = ArchiveStreamTest.flip(archive, offset, bit);
        assertThatThrownBy(() -> Archives.open(flipped))
                .as("byte %d bit %d of %d", offset, bit, archive.length)
                .isInstanceOf(ArchiveException.class);
    }
}
