package dev.vouch.protocol.crypto;

import static dev.vouch.protocol.crypto.Bytes.assertBytes;
import static dev.vouch.protocol.crypto.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * HmacSha256 against Wycheproof's HMAC-SHA-256 file, full and 128-bit truncated tags. The MAC
 * itself is checked at every tag size; {@link HmacSha256#verify} additionally holds Vouch's
 * policy of full 32-byte tags only, so it must refuse every truncated tag, valid or not.
 */
class HmacSha256VectorsTest {

    @Test
    void wycheproofHmacSha256() {
        VectorRun.all(VectorFile.load("wycheproof/hmac_sha256_test.json"), (tc, run) -> {
            int tagBytes = tc.group().path("tagSize").asInt() / 8;
            byte[] key = tc.hex("key");
            byte[] msg = tc.hex("msg");
            byte[] tag = tc.hex("tag");
            byte[] truncatedMac = Arrays.copyOf(HmacSha256.mac(key, msg), tagBytes);
            boolean verified = HmacSha256.verify(key, msg, tag);
            if (tc.isValid()) {
                assertBytes("tag", tag, truncatedMac);
            } else if (tc.isInvalid()) {
                assertThat(hex(truncatedMac)).as("MAC must differ from the modified tag").isNotEqualTo(hex(tag));
            } else {
                fail("no policy for result " + tc.result());
            }
            if (tag.length == HmacSha256.TAG_LENGTH) {
                assertThat(verified).as("verify of a full-length tag").isEqualTo(tc.isValid());
            } else {
                assertThat(verified).as("verify of a %d-byte tag", tag.length).isFalse();
                run.note(tc.result() + " truncated tag refused by verify");
            }
        });
    }
}
