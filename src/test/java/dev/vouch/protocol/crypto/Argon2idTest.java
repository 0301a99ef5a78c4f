package dev.vouch.protocol.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Argon2id parameter validation; the output itself is pinned by the RFC 9106 vector. */
class Argon2idTest {
    private static final Argon2id.Params SMALL = new Argon2id.Params(64, 1, 1);
    private static final byte[] PASSWORD = "correct horse".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SALT = new byte[16];

    @Test
    void recommendedIsRfc9106SecondOption() {
        assertThat(Argon2id.Params.RECOMMENDED).isEqualTo(new Argon2id.Params(64 * 1024, 3, 4));
    }

    @Test
    void theSmallestLegalParametersAreAccepted() {
        assertThat(new Argon2id.Params(8, 1, 1).memoryKiB()).isEqualTo(8);
        assertThat(new Argon2id.Params(8 * 4, 1, 4).parallelism()).isEqualTo(4);
        assertThat(new Argon2id.Params(8 * 0xFFFFFF, 1, 0xFFFFFF).parallelism()).isEqualTo(0xFFFFFF);
    }

    @Test
    void parallelismOutsideOneTo2To24Minus1IsRefused() {
        assertThatThrownBy(() -> new Argon2id.Params(64, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2id.Params(64, 1, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2id.Params(Integer.MAX_VALUE, 1, 0x1000000))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zeroPassesAreRefused() {
        assertThatThrownBy(() -> new Argon2id.Params(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2id.Params(64, -3, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void lessThanEightKiBPerLaneIsRefused() {
        assertThatThrownBy(() -> new Argon2id.Params(7, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2id.Params(31, 1, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2id.Params(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shortSaltsAndOutputsAreRefused() {
        assertThatThrownBy(() -> Argon2id.derive(PASSWORD, new byte[7], SMALL, 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2id.derive(PASSWORD, null, SMALL, 32))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Argon2id.derive(PASSWORD, SALT, SMALL, 3))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Argon2id.derive(PASSWORD, new byte[8], SMALL, 4)).hasSize(4);
    }

    @Test
    void everyInputChangesTheKey() {
        byte[] base = Argon2id.derive(PASSWORD, SALT, SMALL, 32);
        byte[] otherSalt = SALT.clone();
        otherSalt[0] = 1;
        assertThat(Argon2id.derive(PASSWORD, SALT, SMALL, 32)).isEqualTo(base);
        assertThat(Argon2id.derive("correct horsE".getBytes(StandardCharsets.UTF_8), SALT, SMALL, 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(PASSWORD, otherSalt, SMALL, 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(PASSWORD, SALT, new Argon2id.Params(64, 2, 1), 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(PASSWORD, SALT, new Argon2id.Params(72, 1, 1), 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(PASSWORD, SALT, new Argon2id.Params(64, 1, 2), 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(PASSWORD, SALT, new byte[] {1}, null, SMALL, 32)).isNotEqualTo(base);
        assertThat(Argon2id.derive(PASSWORD, SALT, null, new byte[] {1}, SMALL, 32)).isNotEqualTo(base);
    }
}
