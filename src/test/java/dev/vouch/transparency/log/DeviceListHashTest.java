package dev.vouch.transparency.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.crypto.Sha;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceListHashTest {
    private final SecureRandom random = new SecureRandom();

    @Test
    void hashesTheDocumentedLayoutInAscendingIdOrderWhateverTheMapOrder() {
        DeviceIdentityKey one = DeviceIdentity.generate(random).publicKey();
        DeviceIdentityKey two = DeviceIdentity.generate(random).publicKey();
        Map<Integer, DeviceIdentityKey> reversed = new LinkedHashMap<>();
        reversed.put(2, two);
        reversed.put(1, one);

        ByteArrayOutputStream layout = new ByteArrayOutputStream();
        layout.writeBytes("Vouch device list v1\0".getBytes(StandardCharsets.US_ASCII));
        layout.writeBytes(ByteBuffer.allocate(4).putInt(2).array());
        for (Object[] d : new Object[][] {{1, one}, {2, two}}) {
            byte[] key = ((DeviceIdentityKey) d[1]).serialize();
            layout.writeBytes(ByteBuffer.allocate(8).putInt((Integer) d[0]).putInt(key.length).array());
            layout.writeBytes(key);
        }
        assertThat(DeviceListHash.of(reversed)).isEqualTo(Sha.sha256(layout.toByteArray()));
    }

    @Test
    void anyChangeOfIdOrKeyChangesTheHash() {
        DeviceIdentityKey one = DeviceIdentity.generate(random).publicKey();
        DeviceIdentityKey other = DeviceIdentity.generate(random).publicKey();
        byte[] base = DeviceListHash.of(Map.of(1, one));
        assertThat(DeviceListHash.of(Map.of(2, one))).isNotEqualTo(base);
        assertThat(DeviceListHash.of(Map.of(1, other))).isNotEqualTo(base);
        assertThat(DeviceListHash.of(Map.of(1, one, 2, other))).isNotEqualTo(base);
        assertThat(DeviceListHash.of(Map.of())).isNotEqualTo(base).hasSize(32);
    }
}
