package dev.vouch.relay.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WireTest {
    @Test
    void framesRoundTrip() throws Exception {
        Frame frame = new Frames.Send(7, "bob", 1, new byte[] {1, 2, 3}, new byte[16]);
        String json = Wire.encode(frame);
        assertThat(json).contains("\"type\":\"send\"");
        Frames.Send back = (Frames.Send) Wire.decode(json);
        assertThat(back.id()).isEqualTo(7);
        assertThat(back.envelope()).containsExactly(1, 2, 3);
        assertThat(Wire.encode(new Frames.Error(3, ErrorCode.HANDLE_TAKEN, "taken"))).contains("\"code\":\"handle-taken\"");
    }

    @Test
    void anIdentifiedSendLeavesTheAccessKeyOutAndOnlyThatFieldMayBeMissing() throws Exception {
        String json = Wire.encode(new Frames.Send(7, "bob", 1, new byte[] {1}));
        assertThat(json).doesNotContain("accessKey").doesNotContain("identified");
        assertThat(((Frames.Send) Wire.decode(json)).accessKey()).isNull();
        String explicitNull = "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\","
                + "\"accessKey\":null}";
        assertThat(((Frames.Send) Wire.decode(explicitNull)).identified()).isTrue();
        Frames.Send sealed = (Frames.Send) Wire.decode(Wire.encode(new Frames.Send(8, "bob", 1, new byte[] {1},
                new byte[16])));
        assertThat(sealed.identified()).isFalse();
        assertThat(sealed.accessKey()).hasSize(16);
        // every other field is still required
        assertThatThrownBy(() -> Wire.decode("{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"envelope\":\"AQ==\"}"))
                .isInstanceOf(BadFrameException.class);
        assertThatThrownBy(() -> Wire.decode("{\"type\":\"lookup\",\"id\":1}")).isInstanceOf(BadFrameException.class);
        Frames.Lookup lookup = (Frames.Lookup) Wire.decode(Wire.encode(new Frames.Lookup(3, "alice")));
        assertThat(lookup.handle()).isEqualTo("alice");
        assertThat(lookup.id()).isEqualTo(3);
    }

    @Test
    void theLogRequestsRoundTripWithEveryFieldRequiredAndTheirBoundsChecked() throws Exception {
        assertThat(Wire.encode(new Frames.LogHead(4, 17))).isEqualTo("{\"type\":\"logHead\",\"id\":4,\"from\":17}");
        assertThat(Wire.encode(new Frames.LogEntries(5, 0, 1000)))
                .isEqualTo("{\"type\":\"logEntries\",\"id\":5,\"from\":0,\"limit\":1000}");
        assertThat(Wire.decode("{\"type\":\"logHead\",\"id\":4,\"from\":9223372036854775807}"))
                .isEqualTo(new Frames.LogHead(4, Long.MAX_VALUE));
        assertThat(Wire.decode("{\"type\":\"logEntries\",\"id\":5,\"from\":3,\"limit\":1}"))
                .isEqualTo(new Frames.LogEntries(5, 3, 1));
        for (String bad : new String[] {"{\"type\":\"logHead\",\"id\":4}", "{\"type\":\"logHead\",\"id\":4,\"from\":-1}",
            "{\"type\":\"logHead\",\"id\":4,\"from\":9223372036854775808}",
            "{\"type\":\"logEntries\",\"id\":5,\"from\":0}", "{\"type\":\"logEntries\",\"id\":5,\"limit\":1}",
            "{\"type\":\"logEntries\",\"id\":5,\"from\":0,\"limit\":0}",
            "{\"type\":\"logEntries\",\"id\":5,\"from\":0,\"limit\":1001}",
            "{\"type\":\"logEntries\",\"id\":5,\"from\":-1,\"limit\":1}"}) {
            assertThatThrownBy(() -> Wire.decode(bad)).as(bad).isInstanceOf(BadFrameException.class);
        }
    }

    @Test
    void theRecipientKeyIsOptionalAndRoundTripsWhenPresent() throws Exception {
        byte[] key = new byte[Frames.RECIPIENT_KEY_LENGTH];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i * 7 + 1);
        }
        String base64 = java.util.Base64.getEncoder().encodeToString(key);

        // present, on a sealed and on an identified send
        String sealedJson = Wire.encode(new Frames.Send(7, "bob", 1, new byte[] {1}, new byte[16], key));
        assertThat(sealedJson).contains("\"recipientKey\":\"" + base64 + "\"");
        Frames.Send sealed = (Frames.Send) Wire.decode(sealedJson);
        assertThat(sealed.recipientKey()).isEqualTo(key);
        assertThat(sealed.accessKey()).hasSize(16);
        assertThat(sealed.identified()).isFalse();
        String identifiedJson = Wire.encode(new Frames.Send(8, "bob", 2, new byte[] {2}, null, key));
        assertThat(identifiedJson).doesNotContain("accessKey");
        Frames.Send identified = (Frames.Send) Wire.decode(identifiedJson);
        assertThat(identified.recipientKey()).isEqualTo(key);
        assertThat(identified.identified()).isTrue();
        assertThat(identified.deviceId()).isEqualTo(2);

        // absent: not written, and read back as null, with and without access key
        String withoutJson = Wire.encode(new Frames.Send(9, "bob", 1, new byte[] {3}, new byte[16]));
        assertThat(withoutJson).doesNotContain("recipientKey");
        assertThat(((Frames.Send) Wire.decode(withoutJson)).recipientKey()).isNull();
        assertThat(Wire.encode(new Frames.Send(9, "bob", 1, new byte[] {3}))).doesNotContain("recipientKey");
        assertThat(((Frames.Send) Wire.decode("{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,"
                + "\"envelope\":\"AQ==\"}")).recipientKey()).isNull();

        // explicit null is the same as absent
        Frames.Send explicitNull = (Frames.Send) Wire.decode("{\"type\":\"send\",\"id\":1,\"handle\":\"bob\","
                + "\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":null,\"recipientKey\":null}");
        assertThat(explicitNull.recipientKey()).isNull();
        assertThat(explicitNull.identified()).isTrue();

        // any other length is refused, on decoding and in the constructor
        for (int length : new int[] {0, 1, Frames.RECIPIENT_KEY_LENGTH - 1, Frames.RECIPIENT_KEY_LENGTH + 1, 32}) {
            String bad = "{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,\"envelope\":\"AQ==\","
                    + "\"recipientKey\":\"" + java.util.Base64.getEncoder().encodeToString(new byte[length]) + "\"}";
            assertThatThrownBy(() -> Wire.decode(bad)).as("length %d", length).isInstanceOf(BadFrameException.class);
            assertThatThrownBy(() -> new Frames.Send(1, "bob", 1, new byte[] {1}, null, new byte[length]))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> Wire.decode("{\"type\":\"send\",\"id\":1,\"handle\":\"bob\",\"deviceId\":1,"
                + "\"envelope\":\"AQ==\",\"recipientKey\":7}")).isInstanceOf(BadFrameException.class);
    }

    @Test
    void malformedFramesAreOneTypedError() {
        for (String bad : new String[] {"", "nope", "{}", "{\"type\":\"unknown\"}", "{\"type\":\"ack\",\"id\":1}",
            "{\"type\":\"ack\",\"id\":1,\"envelopeId\":\"x\",\"extra\":1}", "{\"type\":\"ack\",\"id\":\"1\",\"envelopeId\":\"x\"}",
            "{\"type\":\"ack\",\"id\":0,\"envelopeId\":\"x\"}", "{\"type\":\"ack\",\"id\":1.5,\"envelopeId\":\"x\"}",
            "{\"type\":\"send\",\"id\":1,\"handle\":\"b\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"AQ==\"}",
            "{\"type\":\"send\",\"id\":1,\"handle\":\"b\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":\"\"}",
            "{\"type\":\"send\",\"id\":1,\"handle\":\"b\",\"deviceId\":1,\"envelope\":\"AQ==\",\"accessKey\":7}",
            "{\"type\":\"lookup\",\"id\":1,\"handle\":null}", "{\"type\":\"lookup\",\"id\":1,\"handle\":\"a\",\"x\":1}",
            "{\"type\":\"ack\",\"id\":1,\"envelopeId\":\"x\"} {}", "[1,2,3]"}) {
            assertThatThrownBy(() -> Wire.decode(bad)).as(bad).isInstanceOf(BadFrameException.class);
        }
    }

    @Test
    void invitesRoundTripAndRefuseWhatTheyMust() throws Exception {
        Invite invite = new Invite("127.0.0.1", 7443, new byte[32], Optional.of(new byte[32]),
                Optional.of(Instant.parse("2030-01-01T00:00:00Z")));
        Invite back = Invite.parse(invite.link(), Instant.parse("2026-11-27T00:00:00Z"));
        assertThat(back).isEqualTo(invite);
        assertThatThrownBy(() -> Invite.parse(invite.link(), Instant.parse("2031-01-01T00:00:00Z")))
                .isInstanceOf(InvalidInviteException.class).hasMessageContaining("expired");
        assertThatThrownBy(() -> Invite.parse(invite.link().replace("v=1", "v=2"), Instant.EPOCH))
                .isInstanceOf(InvalidInviteException.class).hasMessageContaining("version 2");
        assertThatThrownBy(() -> Invite.parse("https://example.com", Instant.EPOCH))
                .isInstanceOf(InvalidInviteException.class).hasMessageContaining("not a Vouch invite");
        assertThatThrownBy(() -> Invite.parse("vouch://relay?v=1&host=h&port=99999&pin=AA", Instant.EPOCH))
                .isInstanceOf(InvalidInviteException.class);
    }
}
