package dev.vouch.relay.api;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.OptBoolean;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;

/** The frames of relay protocol version {@value #PROTOCOL}; each validates its own fields. */
public final class Frames {
    public static final int PROTOCOL = 1;
    public static final int CHALLENGE_LENGTH = 32;
    public static final int ACCESS_KEY_LENGTH = 16;
    /** A serialized device identity key (docs/protocol.md). */
    public static final int RECIPIENT_KEY_LENGTH = dev.vouch.protocol.keys.DeviceIdentityKey.SERIALIZED_LENGTH;
    /** Largest envelope: a 1 MiB padded message plus the sealed-sender layer. */
    public static final int MAX_ENVELOPE = (1 << 20) + 4096;
    public static final int MAX_PREKEYS_PER_UPLOAD = 200;
    /** The most entries one {@code logEntries} request may ask for. */
    public static final int MAX_LOG_ENTRIES = 1000;
    /** Largest sealed provisioning message ({@link Provision}): what a device link carries must fit. */
    public static final int MAX_PROVISION = 1 << 20;
    /** A provisioning mailbox name: base64url of 32 bytes, no padding. */
    public static final int PROVISION_MAILBOX_LENGTH = 43;

    private Frames() {
    }

    /** Frames the relay sends. */
    public sealed interface ServerFrame extends Frame permits Hello, Ok, Error, Deliver, QueueEmpty {
    }

    /** Frames a client sends; each carries an id answered by exactly one {@link Ok} or {@link Error}. */
    public sealed interface Request extends Frame
            permits Register, Authenticate, UploadPreKeys, PreKeyCounts, FetchBundles, Lookup, Send, Ack, LogHead,
            LogEntries, PublishDeviceList, Provision, FetchProvision {
        long id();
    }

    public record Hello(int protocol, byte[] challenge, long time) implements ServerFrame {
        public Hello {
            require(challenge != null && challenge.length == CHALLENGE_LENGTH, "challenge must be 32 bytes");
        }
    }

    public record Ok(long id, JsonNode body) implements ServerFrame {
        public Ok {
            require(id > 0, "id must be positive");
            Objects.requireNonNull(body, "body");
        }
    }

    public record Error(long id, ErrorCode code, String message) implements ServerFrame {
        public Error {
            require(id >= 0, "id must not be negative");
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * Sent once per authenticated connection, right after the last envelope that was waiting in the
     * mailbox when the device authenticated (at once when it was empty): the client knows it has
     * everything and can stop a one-shot receive. Later envelopes keep coming as {@link Deliver}.
     */
    public record QueueEmpty(long time) implements ServerFrame {
    }

    public record Deliver(String envelopeId, byte[] envelope, long time) implements ServerFrame {
        public Deliver {
            require(envelopeId != null && !envelopeId.isEmpty() && envelopeId.length() <= 64, "envelopeId");
            require(envelope != null && envelope.length > 0 && envelope.length <= MAX_ENVELOPE, "envelope size");
        }
    }

    public record Register(long id, String handle, byte[] accountKey, int deviceId, byte[] deviceKey,
                           byte[] deviceBinding, byte[] accessKey, byte[] signature) implements Request {
        public Register {
            requireId(id);
            require(handle != null && handle.length() <= 64, "handle");
            require(accountKey != null && accountKey.length <= 256, "accountKey");
            require(deviceId >= 1, "deviceId");
            require(deviceKey != null && deviceKey.length <= 256, "deviceKey");
            require(deviceBinding != null && deviceBinding.length == 64, "deviceBinding must be 64 bytes");
            require(accessKey != null && accessKey.length == ACCESS_KEY_LENGTH, "accessKey must be 16 bytes");
            require(signature != null && signature.length == 64, "signature must be 64 bytes");
        }
    }

    public record Authenticate(long id, String handle, int deviceId, byte[] signature) implements Request {
        public Authenticate {
            requireId(id);
            require(handle != null && handle.length() <= 64, "handle");
            require(deviceId >= 1, "deviceId");
            require(signature != null && signature.length == 64, "signature must be 64 bytes");
        }
    }

    public record UploadPreKeys(long id, byte[] signedPreKey, List<byte[]> oneTimePreKeys, List<byte[]> kemPreKeys,
                                byte[] lastResortKemPreKey) implements Request {
        public UploadPreKeys {
            requireId(id);
            oneTimePreKeys = oneTimePreKeys == null ? List.of() : List.copyOf(oneTimePreKeys);
            kemPreKeys = kemPreKeys == null ? List.of() : List.copyOf(kemPreKeys);
            require(oneTimePreKeys.size() <= MAX_PREKEYS_PER_UPLOAD && kemPreKeys.size() <= MAX_PREKEYS_PER_UPLOAD,
                    "at most " + MAX_PREKEYS_PER_UPLOAD + " prekeys of each kind per upload");
        }
    }

    public record PreKeyCounts(long id) implements Request {
        public PreKeyCounts {
            requireId(id);
        }
    }

    public record FetchBundles(long id, String handle) implements Request {
        public FetchBundles {
            requireId(id);
            require(handle != null && handle.length() <= 64, "handle");
        }
    }

    /** An account's key and its devices' identity keys with their bindings; spends no prekey. */
    public record Lookup(long id, String handle) implements Request {
        public Lookup {
            requireId(id);
            require(handle != null && handle.length() <= 64, "handle");
        }
    }

    /**
     * An envelope for a device's mailbox. With {@code accessKey} it is a sealed send that any
     * connection may make; without it (absent or null) an identified send, accepted only from an
     * authenticated device, for a sender that does not know the recipient's access key yet.
     * {@code recipientKey}, when present, is the device identity key the envelope was encrypted
     * to: the relay refuses the envelope with {@code stale-device} if the device now has another
     * key, so the sender learns of the change instead of sending into the void.
     */
    public record Send(long id, String handle, int deviceId, byte[] envelope,
                       @JsonInclude(JsonInclude.Include.NON_NULL) byte[] accessKey,
                       @JsonInclude(JsonInclude.Include.NON_NULL) byte[] recipientKey) implements Request {
        // Written out so that the injection of absent optional fields sits on the creator parameters only:
        // on the record components Jackson would also try to inject them into the final fields.
        public Send(long id, String handle, int deviceId, byte[] envelope,
                    @JacksonInject(value = Wire.ABSENT, useInput = OptBoolean.TRUE) byte[] accessKey,
                    @JacksonInject(value = Wire.ABSENT, useInput = OptBoolean.TRUE) byte[] recipientKey) {
            requireId(id);
            require(handle != null && handle.length() <= 64, "handle");
            require(deviceId >= 1, "deviceId");
            require(envelope != null && envelope.length > 0 && envelope.length <= MAX_ENVELOPE, "envelope size");
            require(accessKey == null || accessKey.length == ACCESS_KEY_LENGTH, "accessKey must be 16 bytes");
            require(recipientKey == null || recipientKey.length == RECIPIENT_KEY_LENGTH,
                    "recipientKey must be a device identity key");
            this.id = id;
            this.handle = handle;
            this.deviceId = deviceId;
            this.envelope = envelope;
            this.accessKey = accessKey;
            this.recipientKey = recipientKey;
        }

        /** A sealed send that does not name the key it was encrypted to. */
        public Send(long id, String handle, int deviceId, byte[] envelope, byte[] accessKey) {
            this(id, handle, deviceId, envelope, accessKey, null);
        }

        /** An identified send: no access key. */
        public Send(long id, String handle, int deviceId, byte[] envelope) {
            this(id, handle, deviceId, envelope, null, null);
        }

        public boolean identified() {
            return accessKey == null;
        }
    }

    public record Ack(long id, String envelopeId) implements Request {
        public Ack {
            requireId(id);
            require(envelopeId != null && !envelopeId.isEmpty() && envelopeId.length() <= 64, "envelopeId");
        }
    }

    /**
     * The transparency log's newest signed tree head, with a consistency proof from {@code from}:
     * a size the client verified earlier, 0 for none (docs/transparency.md, "On the wire").
     */
    public record LogHead(long id, long from) implements Request {
        public LogHead {
            requireId(id);
            require(from >= 0, "from must not be negative");
        }
    }

    /** Up to {@code limit} log entries from index {@code from} on, each with its inclusion proof. */
    public record LogEntries(long id, long from, int limit) implements Request {
        public LogEntries {
            requireId(id);
            require(from >= 0, "from must not be negative");
            require(limit >= 1 && limit <= MAX_LOG_ENTRIES, "limit must be 1.." + MAX_LOG_ENTRIES);
        }
    }

    /**
     * The account's new signed device list (docs/devices.md), from one of its devices: stored and
     * logged only with a valid signature under the account key and a higher version.
     */
    public record PublishDeviceList(long id, byte[] deviceList) implements Request {
        public PublishDeviceList {
            requireId(id);
            require(deviceList != null && deviceList.length > 0
                    && deviceList.length <= dev.vouch.protocol.keys.SignedDeviceList.MAX_ENCODED_LENGTH,
                    "deviceList must be 1.." + dev.vouch.protocol.keys.SignedDeviceList.MAX_ENCODED_LENGTH + " bytes");
        }
    }

    /**
     * One sealed message for a short-lived provisioning mailbox (docs/devices.md, "Linking"): no
     * authentication, one message per mailbox, kept at most ten minutes, deleted when fetched.
     * The relay sees only the mailbox name, which it cannot link to an account, and sealed bytes.
     */
    public record Provision(long id, String mailbox, byte[] body) implements Request {
        public Provision {
            requireId(id);
            requireMailbox(mailbox);
            require(body != null && body.length > 0 && body.length <= MAX_PROVISION,
                    "body must be 1.." + MAX_PROVISION + " bytes");
        }
    }

    /** Takes the message of a provisioning mailbox, if there is one: the answer carries it once, then it is gone. */
    public record FetchProvision(long id, String mailbox) implements Request {
        public FetchProvision {
            requireId(id);
            requireMailbox(mailbox);
        }
    }

    private static void requireMailbox(String mailbox) {
        require(mailbox != null && mailbox.length() == PROVISION_MAILBOX_LENGTH
                && mailbox.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                        || c == '-' || c == '_'), "mailbox must be " + PROVISION_MAILBOX_LENGTH + " base64url characters");
    }

    private static void requireId(long id) {
        require(id > 0, "id must be positive");
    }

    private static void require(boolean condition, String what) {
        if (!condition) {
            throw new IllegalArgumentException("invalid field: " + what);
        }
    }
}
