package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Frames;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The provisioning mailboxes of a device link on the wire (docs/relay-protocol.md, "Provisioning"):
 * unauthenticated, one message per mailbox, handed out once, gone after ten minutes, size-bounded.
 */
class ProvisioningWireTest {
    private static final String MAILBOX = "A".repeat(Frames.PROVISION_MAILBOX_LENGTH);
    private static final String OTHER = "b".repeat(Frames.PROVISION_MAILBOX_LENGTH);

    @TempDir
    java.nio.file.Path data;
    RelayFixture fixture;
    TestClient c;

    @BeforeEach
    void start() throws Exception {
        fixture = new RelayFixture(data);
        c = TestClient.connect(fixture.relay);
    }

    @AfterEach
    void stop() {
        c.close();
        fixture.close();
    }

    private JsonNode fetch(String mailbox) throws Exception {
        return c.ok(new Frames.FetchProvision(c.nextId(), mailbox));
    }

    @Test
    void oneMessagePerMailboxHandedOutOnceWithoutAuthentication() throws Exception {
        assertThat(fetch(MAILBOX).has("body")).as("nothing yet").isFalse();
        c.ok(new Frames.Provision(c.nextId(), MAILBOX, new byte[] {1, 2, 3}));
        Frames.Error full = c.error(new Frames.Provision(c.nextId(), MAILBOX, new byte[] {9}), ErrorCode.MAILBOX_FULL);
        assertThat(full.message()).contains("already holds");
        assertThat(fetch(OTHER).has("body")).as("mailboxes are apart").isFalse();
        try (TestClient other = TestClient.connect(fixture.relay)) {
            JsonNode taken = other.ok(new Frames.FetchProvision(other.nextId(), MAILBOX));
            assertThat(Base64.getDecoder().decode(taken.get("body").asText())).containsExactly(1, 2, 3);
        }
        assertThat(fetch(MAILBOX).has("body")).as("deleted when fetched").isFalse();
    }

    @Test
    void aMessageExpiresAfterTenMinutes() throws Exception {
        c.ok(new Frames.Provision(c.nextId(), MAILBOX, new byte[] {7}));
        fixture.clock.advance(ProvisioningBoxes.TTL.minus(Duration.ofSeconds(1)));
        c.ok(new Frames.Provision(c.nextId(), OTHER, new byte[] {8}));
        fixture.clock.advance(Duration.ofSeconds(1));
        assertThat(fetch(MAILBOX).has("body")).as("expired").isFalse();
        assertThat(fetch(OTHER).has("body")).as("not yet expired").isTrue();
    }

    @Test
    void oversizedBodiesAndBadMailboxNamesAreRefusedAsBadFrames() throws Exception {
        assertThatThrownBy(() -> new Frames.Provision(1, MAILBOX, new byte[Frames.MAX_PROVISION + 1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("body");
        String oversized = "{\"type\":\"provision\",\"id\":" + c.nextId() + ",\"mailbox\":\"" + MAILBOX + "\",\"body\":\""
                + Base64.getEncoder().encodeToString(new byte[Frames.MAX_PROVISION + 1]) + "\"}";
        c.sendText(oversized);
        Frames.Error error = (Frames.Error) c.next();
        assertThat(error.code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(error.message()).contains("body");
        c.sendText("{\"type\":\"fetchProvision\",\"id\":" + c.nextId() + ",\"mailbox\":\"short\"}");
        assertThat(((Frames.Error) c.next()).code()).isEqualTo(ErrorCode.BAD_FRAME);
        assertThat(fetch(MAILBOX).has("body")).as("nothing stored").isFalse();
    }
}
