package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.app.Main;
import dev.vouch.relay.api.Frames;
import dev.vouch.testing.ChildJvm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An envelope whose send was answered ok is committed: SIGKILL the relay right after, and it is
 * still there. (This shows commit-before-answer; surviving a power cut as well is the WAL with
 * synchronous=FULL of store.sqlite.Database, which a test cannot cut the power on.)
 */
class RelayCrashTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void anAcceptedEnvelopeSurvivesSigkill() throws Exception {
        Path data = dir.resolve("relay");
        TestDevice bob = new TestDevice("bob");
        List<byte[]> sent = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(Main.class, List.of("relay", "--port", "0", "--data", data.toString()),
                List.of("-Djava.awt.headless=true"), Map.of(), dir.resolve("stderr.txt"))) {
            int port = -1;
            String pin = null;
            while (pin == null) {
                String line = child.next(TIMEOUT);
                assertThat(line).as(child.stderrText()).isNotEqualTo(ChildJvm.EOF);
                Matcher p = Pattern.compile(" port=(\\d+)").matcher(line);
                if (line.contains("event=listening") && p.find()) {
                    port = Integer.parseInt(p.group(1));
                }
                Matcher m = Pattern.compile("spki_sha256=(\\S+)").matcher(line);
                if (m.find()) {
                    pin = m.group(1);
                }
            }
            byte[] pinBytes = Base64.getUrlDecoder().decode(pin);
            try (TestClient bobClient = TestClient.connect(port, pinBytes)) {
                bobClient.ok(bob.register(bobClient));
            }
            try (TestClient sender = TestClient.connect(port, pinBytes)) {
                for (int i = 0; i < 20; i++) {
                    byte[] envelope = ("envelope " + i).getBytes(StandardCharsets.UTF_8);
                    sender.ok(new Frames.Send(sender.nextId(), "bob", 1, envelope, bob.accessKey));
                    sent.add(envelope);
                }
                child.kill(); // SIGKILL right after the last ok: no shutdown hook, no checkpoint
            }
        }
        try (SqliteRelayStorage storage = SqliteRelayStorage.open(data)) {
            List<RelayStorage.Envelope> kept = storage.envelopes(new DeviceAddress("bob", 1), 0, 100);
            assertThat(kept).extracting(e -> new String(e.body(), StandardCharsets.UTF_8))
                    .containsExactlyElementsOf(sent.stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList());
        }
    }
}
