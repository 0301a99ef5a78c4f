package dev.vouch.relay.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.KemPreKeyPublic;
import dev.vouch.protocol.keys.OneTimePreKeyPublic;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.protocol.keys.SignedPreKeyPublic;
import dev.vouch.relay.api.AuthStrings;
import dev.vouch.relay.api.BadFrameException;
import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Frame;
import dev.vouch.relay.api.Frames;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.api.Wire;
import dev.vouch.transparency.log.LogEntry;
import dev.vouch.transparency.log.SignedTreeHead;
import dev.vouch.transparency.merkle.ConsistencyProof;
import dev.vouch.transparency.merkle.InclusionProof;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import java.util.function.LongFunction;

/**
 * One client connection to a relay (docs/relay-protocol.md): a WebSocket over TLS 1.3 to the
 * host and port of an {@link Invite}, trusting only the relay key the invite pins.
 *
 * <p>Every request returns a future that completes with the answer or exceptionally with a
 * {@link RelayException}: {@link RelayErrorException} for an {@code error} frame,
 * {@link RelayTimeoutException}, {@link ConnectionLostException}, {@link BadResponseException};
 * {@link #connect()} also with {@link PinMismatchException}, {@link ProtocolVersionException} or
 * {@link RelayUnreachableException}.
 *
 * <p>After the first successful {@link #connect()}, a dropped connection is re-established with
 * exponential backoff and jitter, and a device that had authenticated authenticates again with
 * the new challenge. Requests in flight when the connection drops fail with
 * {@link ConnectionLostException}; they are not replayed. A pin mismatch, another protocol
 * version, or a refused re-authentication stop the connection for good ({@link State#FAILED}).
 *
 * <p>Sealed sender: {@link #send} is refused on an authenticated connection; open a second,
 * unauthenticated connection for it, so that not even the connection names the sender.
 * {@link #sendIdentified}, for a first contact whose access key the sender does not know yet, is
 * the opposite: it names the sender and is refused on a connection that has not authenticated.
 *
 * <p>Keys the relay hands out are verified before they are returned: every device key of a
 * {@link #lookup} or {@link #fetchBundles} answer must carry the account key's signature over its
 * binding, so a relay cannot attach a device of its own to someone's account.
 */
public final class RelayConnection implements AutoCloseable {
    /** Where a connection is. */
    public enum State { NEW, CONNECTING, CONNECTED, RECONNECTING, CLOSED, FAILED }

    /** Receives what the relay pushes; called on the WebSocket's thread, one call at a time. */
    public interface Listener {
        /** An envelope for this device; acknowledge it with {@link #ack} once it is stored. */
        void onDeliver(Frames.Deliver deliver);

        /** The mailbox's backlog at authentication has been delivered (once per authenticated connection). */
        default void onQueueEmpty() {
        }

        /** @param cause why the connection dropped or failed, when it did */
        default void onStateChanged(State state, Optional<RelayException> cause) {
        }
    }

    /**
     * @param requestTimeout how long a request waits for its answer
     * @param pingInterval how often the client pings (the relay's idle timeout is 120 s); a ping not
     *     answered by the next one means the connection is dead
     * @param jitter draws from [0, 1) for the backoff
     */
    public record Options(Duration connectTimeout, Duration requestTimeout, Duration pingInterval, Backoff backoff,
                          Scheduler scheduler, DoubleSupplier jitter) {
        public Options {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(pingInterval, "pingInterval");
            Objects.requireNonNull(backoff, "backoff");
            Objects.requireNonNull(scheduler, "scheduler");
            Objects.requireNonNull(jitter, "jitter");
        }

        public static Options defaults() {
            SecureRandom random = new SecureRandom();
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofSeconds(30),
                    Backoff.DEFAULT, Scheduler.system(), random::nextDouble);
        }

        public Options withScheduler(Scheduler scheduler) {
            return new Options(connectTimeout, requestTimeout, pingInterval, backoff, scheduler, jitter);
        }

        public Options withJitter(DoubleSupplier jitter) {
            return new Options(connectTimeout, requestTimeout, pingInterval, backoff, scheduler, jitter);
        }

        public Options withRequestTimeout(Duration requestTimeout) {
            return new Options(connectTimeout, requestTimeout, pingInterval, backoff, scheduler, jitter);
        }
    }

    /** The relay's prekey stock for this device. */
    public record PreKeyCounts(int oneTime, int kem) {
    }

    /**
     * The transparency log's proof for the keys of a {@link Lookup} or {@link Bundles} answer, as
     * the relay sent it: a signed tree head, the handle's newest entry and its leaf index, and the
     * inclusion proof. Decoded, not verified: checking it against the pinned log key and the served
     * keys is the caller's (docs/transparency.md, "On the wire").
     */
    public record LogProof(SignedTreeHead head, long index, LogEntry entry, InclusionProof proof) {
        public LogProof {
            Objects.requireNonNull(head, "head");
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(proof, "proof");
        }
    }

    /**
     * A {@link #logHead} answer, decoded, not verified: the relay's newest signed tree head and,
     * unless the client asked from 0 or from the head's own size, the proof that it extends the
     * tree the client asked from.
     */
    public record LogHeadAnswer(SignedTreeHead head, Optional<ConsistencyProof> consistency) {
        public LogHeadAnswer {
            Objects.requireNonNull(head, "head");
            Objects.requireNonNull(consistency, "consistency");
        }
    }

    /** One entry of a {@link LogEntries} answer with its inclusion proof. */
    public record LogEntryProof(long index, LogEntry entry, InclusionProof proof) {
        public LogEntryProof {
            Objects.requireNonNull(entry, "entry");
            Objects.requireNonNull(proof, "proof");
        }
    }

    /** A {@link #logEntries} answer, decoded, not verified: consecutive entries, each proven against {@code head}. */
    public record LogEntries(SignedTreeHead head, List<LogEntryProof> entries) {
        public LogEntries {
            Objects.requireNonNull(head, "head");
            entries = List.copyOf(entries);
        }
    }

    /**
     * An account's key and one verified bundle per device: each bundle's signatures verify with its
     * device key, and that device key is bound to {@code accountKey} by the account key's signature.
     * {@code log} is the transparency log's proof for the handle, when the relay sent one.
     */
    public record Bundles(AccountIdentityKey accountKey, List<PreKeyBundle> bundles, Optional<LogProof> log) {
        public Bundles {
            Objects.requireNonNull(accountKey, "accountKey");
            bundles = List.copyOf(bundles);
            Objects.requireNonNull(log, "log");
        }

        /** Without a log proof. */
        public Bundles(AccountIdentityKey accountKey, List<PreKeyBundle> bundles) {
            this(accountKey, bundles, Optional.empty());
        }
    }

    /** One device of a {@link Lookup}: its id and identity key, proven bound to the account key. */
    public record DeviceEntry(int deviceId, DeviceIdentityKey deviceKey) {
        public DeviceEntry {
            if (deviceId < 1) {
                throw new IllegalArgumentException("device ids start at 1");
            }
            Objects.requireNonNull(deviceKey, "deviceKey");
        }
    }

    /**
     * An account's key and its devices, each verified to be bound to that key, in the relay's
     * order (by device id). {@code log} is the transparency log's proof for the handle, when the
     * relay sent one.
     */
    public record Lookup(AccountIdentityKey accountKey, List<DeviceEntry> devices, Optional<LogProof> log,
                         Optional<byte[]> deviceList) {
        public Lookup {
            Objects.requireNonNull(accountKey, "accountKey");
            devices = List.copyOf(devices);
            Objects.requireNonNull(log, "log");
            deviceList = deviceList.map(byte[]::clone);
        }

        /**
         * The account's signed device list as the relay served it, not yet decoded nor checked:
         * the caller checks it against the account key, the log and the version it knew
         * (docs/devices.md), so that a bad list is a refusal it can record, not a broken answer.
         */
        @Override
        public Optional<byte[]> deviceList() {
            return deviceList.map(byte[]::clone);
        }

        /** Without a device list. */
        public Lookup(AccountIdentityKey accountKey, List<DeviceEntry> devices, Optional<LogProof> log) {
            this(accountKey, devices, log, Optional.empty());
        }

        /** Without a log proof. */
        public Lookup(AccountIdentityKey accountKey, List<DeviceEntry> devices) {
            this(accountKey, devices, Optional.empty());
        }
    }

    private record Credentials(String handle, int deviceId, DeviceIdentity device) {
    }

    private record Pending(Session session, CompletableFuture<JsonNode> answer, Scheduler.Cancellable timeout) {
    }

    private static final int POLICY_VIOLATION = 1008;

    private final URI uri;
    private final Options options;
    private final Listener listener;
    private final HttpClient http;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();

    // guarded by this
    private State state = State.NEW;
    private Session current;
    private Session opening;
    private Credentials credentials;
    private int attempt;
    private Scheduler.Cancellable reconnectTask;

    public RelayConnection(Invite invite, Options options, Listener listener) {
        this(RelayEndpoint.of(invite, Objects.requireNonNull(options, "options").connectTimeout()), options, listener);
    }

    /** A connection through {@code endpoint}, whose HTTP client it may share with other connections. */
    public RelayConnection(RelayEndpoint endpoint, Options options, Listener listener) {
        this.options = Objects.requireNonNull(options, "options");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.uri = endpoint.uri();
        this.http = endpoint.http();
    }

    public synchronized State state() {
        return state;
    }

    /**
     * Opens the connection and waits for the relay's {@code hello}. Completes exceptionally with
     * {@link PinMismatchException}, {@link ProtocolVersionException} or
     * {@link RelayUnreachableException}; the first connection is not retried, later drops are.
     */
    public CompletableFuture<Void> connect() {
        synchronized (this) {
            if (state != State.NEW) {
                return CompletableFuture.failedFuture(new IllegalStateException("connect() is called once, in state NEW"));
            }
        }
        setState(State.CONNECTING, null);
        return open().handle((session, error) -> {
            if (error != null) {
                RelayException cause = relayException(error);
                setState(State.FAILED, cause);
                throw new CompletionException(cause);
            }
            return null;
        });
    }

    /** Registers a new account and this device (docs/relay-protocol.md); the connection is then authenticated. */
    public CompletableFuture<Void> register(String handle, AccountIdentity account, int deviceId, DeviceIdentity device,
                                            byte[] accessKey) {
        Session session;
        try {
            session = usable();
        } catch (ConnectionLostException e) {
            return CompletableFuture.failedFuture(e);
        }
        byte[] binding = account.sign(AuthStrings.deviceBinding(handle, deviceId, device.publicKey()));
        byte[] signature = device.sign(AuthStrings.authentication(session.challenge, handle, deviceId));
        return request(session, id -> new Frames.Register(id, handle, account.publicKey().serialize(), deviceId,
                device.publicKey().serialize(), binding, accessKey, signature))
                .thenRun(() -> authenticated(new Credentials(handle, deviceId, device)));
    }

    /** Authenticates a registered device; after a reconnect the connection does this again by itself. */
    public CompletableFuture<Void> authenticate(String handle, int deviceId, DeviceIdentity device) {
        Session session;
        try {
            session = usable();
        } catch (ConnectionLostException e) {
            return CompletableFuture.failedFuture(e);
        }
        Credentials credentials = new Credentials(handle, deviceId, device);
        return authenticate(session, credentials).thenRun(() -> authenticated(credentials));
    }

    private CompletableFuture<JsonNode> authenticate(Session session, Credentials c) {
        byte[] signature = c.device.sign(AuthStrings.authentication(session.challenge, c.handle, c.deviceId));
        return request(session, id -> new Frames.Authenticate(id, c.handle, c.deviceId, signature));
    }

    private synchronized void authenticated(Credentials credentials) {
        this.credentials = credentials;
    }

    public CompletableFuture<PreKeyCounts> uploadPreKeys(SignedPreKeyPublic signedPreKey,
                                                         List<OneTimePreKeyPublic> oneTimePreKeys,
                                                         List<KemPreKeyPublic> kemPreKeys,
                                                         Optional<KemPreKeyPublic> lastResortKemPreKey) {
        List<byte[]> oneTime = oneTimePreKeys.stream().map(OneTimePreKeyPublic::serialize).toList();
        List<byte[]> kem = kemPreKeys.stream().map(KemPreKeyPublic::serialize).toList();
        return request(id -> new Frames.UploadPreKeys(id, signedPreKey.serialize(), oneTime, kem,
                lastResortKemPreKey.map(KemPreKeyPublic::serialize).orElse(null)))
                .thenApply(RelayConnection::counts);
    }

    public CompletableFuture<PreKeyCounts> preKeyCounts() {
        return request(Frames.PreKeyCounts::new).thenApply(RelayConnection::counts);
    }

    /**
     * Fetches an account's bundles, spending one pair of one-time prekeys per device. Each bundle
     * is decoded, its signatures verified, and its device key checked to be bound to the account
     * key; an answer that fails any of it completes with {@link BadResponseException}.
     */
    public CompletableFuture<Bundles> fetchBundles(String handle) {
        return request(id -> new Frames.FetchBundles(id, handle)).thenApply(body -> {
            try {
                requireFields(body, "the fetchBundles answer", List.of("accountKey", "bundles"), List.of("log"));
                AccountIdentityKey accountKey = AccountIdentityKey.decode(binary(body.get("accountKey"), "accountKey"));
                Set<Integer> seen = new HashSet<>();
                List<PreKeyBundle> bundles = new ArrayList<>();
                for (JsonNode node : array(body.get("bundles"), "bundles")) {
                    requireFields(node, "a bundle", "bundle", "deviceBinding");
                    PreKeyBundle bundle = PreKeyBundle.decode(binary(node.get("bundle"), "bundle"));
                    requireBound(accountKey, handle, bundle.deviceId(), bundle.identityKey(),
                            binary(node.get("deviceBinding"), "deviceBinding"));
                    requireOnce(seen, bundle.deviceId());
                    bundles.add(bundle);
                }
                return new Bundles(accountKey, bundles, logProof(body.get("log")));
            } catch (BadResponseException e) {
                throw new CompletionException(e);
            } catch (MalformedDataException | InvalidSignatureException e) {
                throw new CompletionException(new BadResponseException("the relay served a bad key or bundle: "
                        + e.getMessage()));
            }
        });
    }

    /**
     * An account's key and its devices' identity keys, without spending any prekey; every device
     * key is checked to be bound to the account key. Needs an authenticated connection.
     */
    public CompletableFuture<Lookup> lookup(String handle) {
        return request(id -> new Frames.Lookup(id, handle)).thenApply(body -> {
            try {
                requireFields(body, "the lookup answer", List.of("accountKey", "devices"), List.of("log", "deviceList"));
                AccountIdentityKey accountKey = AccountIdentityKey.decode(binary(body.get("accountKey"), "accountKey"));
                Set<Integer> seen = new HashSet<>();
                List<DeviceEntry> devices = new ArrayList<>();
                for (JsonNode node : array(body.get("devices"), "devices")) {
                    requireFields(node, "a device", "deviceId", "deviceKey", "deviceBinding");
                    JsonNode id = node.get("deviceId");
                    if (!id.isInt() || id.intValue() < 1) {
                        throw new BadResponseException("a device id must be a positive integer");
                    }
                    DeviceIdentityKey deviceKey = DeviceIdentityKey.decode(binary(node.get("deviceKey"), "deviceKey"));
                    requireBound(accountKey, handle, id.intValue(), deviceKey,
                            binary(node.get("deviceBinding"), "deviceBinding"));
                    requireOnce(seen, id.intValue());
                    devices.add(new DeviceEntry(id.intValue(), deviceKey));
                }
                Optional<byte[]> deviceList = body.has("deviceList")
                        ? Optional.of(binary(body.get("deviceList"), "deviceList")) : Optional.empty();
                return new Lookup(accountKey, devices, logProof(body.get("log")), deviceList);
            } catch (BadResponseException e) {
                throw new CompletionException(e);
            } catch (MalformedDataException e) {
                throw new CompletionException(new BadResponseException("the relay served a bad key: " + e.getMessage()));
            }
        });
    }

    /**
     * Publishes this account's new signed device list (docs/devices.md); the relay answers the
     * version it stored. Refused with {@code version-not-newer} when it holds this version or a
     * higher one, {@code bad-signature} when the account key did not sign it. Needs an
     * authenticated connection.
     */
    public CompletableFuture<Long> publishDeviceList(SignedDeviceList list) {
        return request(id -> new Frames.PublishDeviceList(id, list.serialize())).thenApply(body -> {
            JsonNode version = body.get("version");
            if (version == null || !version.isIntegralNumber() || !version.canConvertToLong() || body.size() != 1) {
                throw new CompletionException(new BadResponseException("the publish answer must be its version alone"));
            }
            return version.longValue();
        });
    }

    /**
     * The transparency log's newest signed tree head, with the proof that it extends the tree of
     * {@code from} entries (a size the caller verified earlier; 0 for none). Decoded, not verified.
     * Needs an authenticated connection; a {@code from} beyond the log is refused ({@code bad-frame}).
     */
    public CompletableFuture<LogHeadAnswer> logHead(long from) {
        return request(id -> new Frames.LogHead(id, from)).thenApply(body -> {
            try {
                requireFields(body, "the logHead answer", List.of("head"), List.of("consistency"));
                SignedTreeHead head = SignedTreeHead.decode(binary(body.get("head"), "head"));
                Optional<ConsistencyProof> consistency = body.has("consistency")
                        ? Optional.of(ConsistencyProof.decode(binary(body.get("consistency"), "consistency")))
                        : Optional.empty();
                return new LogHeadAnswer(head, consistency);
            } catch (BadResponseException e) {
                throw new CompletionException(e);
            } catch (MalformedDataException e) {
                throw new CompletionException(new BadResponseException("the relay served a bad tree head or proof: "
                        + e.getMessage()));
            }
        });
    }

    /**
     * Up to {@code limit} (1 to 1,000) log entries from index {@code from} on, each with its
     * inclusion proof against the answer's head; fewer at the end of the log or when the answer
     * would be too large. Decoded, not verified. Needs an authenticated connection.
     */
    public CompletableFuture<LogEntries> logEntries(long from, int limit) {
        return request(id -> new Frames.LogEntries(id, from, limit)).thenApply(body -> {
            try {
                requireFields(body, "the logEntries answer", "head", "entries");
                SignedTreeHead head = SignedTreeHead.decode(binary(body.get("head"), "head"));
                List<LogEntryProof> entries = new ArrayList<>();
                for (JsonNode node : array(body.get("entries"), "entries")) {
                    requireFields(node, "a log entry", "index", "entry", "proof");
                    entries.add(new LogEntryProof(index(node.get("index")),
                            LogEntry.decode(binary(node.get("entry"), "entry")),
                            InclusionProof.decode(binary(node.get("proof"), "proof"))));
                }
                return new LogEntries(head, entries);
            } catch (BadResponseException e) {
                throw new CompletionException(e);
            } catch (MalformedDataException e) {
                throw new CompletionException(new BadResponseException("the relay served a bad log entry or proof: "
                        + e.getMessage()));
            }
        });
    }

    /** The {@code log} object of a lookup or bundles answer, decoded; empty when the relay sent none. */
    private static Optional<LogProof> logProof(JsonNode node) throws BadResponseException, MalformedDataException {
        if (node == null) {
            return Optional.empty();
        }
        requireFields(node, "the log proof", "head", "index", "entry", "proof");
        return Optional.of(new LogProof(SignedTreeHead.decode(binary(node.get("head"), "head")), index(node.get("index")),
                LogEntry.decode(binary(node.get("entry"), "entry")),
                InclusionProof.decode(binary(node.get("proof"), "proof"))));
    }

    /** A leaf index: an integer from 0 to 2^63 - 1. */
    private static long index(JsonNode node) throws BadResponseException {
        if (node == null || !node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw new BadResponseException("a log index must be a non-negative integer");
        }
        return node.longValue();
    }

    /**
     * Checks that the account key signed this device's binding (docs/relay-protocol.md, "Signed
     * strings"): without it, the relay could have added a device key of its own to the account.
     */
    private static void requireBound(AccountIdentityKey accountKey, String handle, int deviceId,
                                     DeviceIdentityKey deviceKey, byte[] binding) throws BadResponseException {
        byte[] signed;
        try {
            signed = AuthStrings.deviceBinding(handle, deviceId, deviceKey);
        } catch (IllegalArgumentException e) {
            throw new BadResponseException("the relay answered for a handle that cannot be valid");
        }
        if (!accountKey.verify(signed, binding)) {
            throw new BadResponseException("device " + deviceId + " is not bound to the account key: its binding"
                    + " does not verify, so the relay may have added it");
        }
    }

    private static void requireOnce(Set<Integer> seen, int deviceId) throws BadResponseException {
        if (!seen.add(deviceId)) {
            throw new BadResponseException("the answer lists device " + deviceId + " twice");
        }
    }

    /**
     * Delivers a sealed envelope into a device's mailbox. Refused on an authenticated connection:
     * send over a separate, unauthenticated one (docs/relay-protocol.md, "Mailboxes and sealed sender").
     *
     * @return the relay's time of acceptance (ms)
     */
    public CompletableFuture<Long> send(String handle, int deviceId, byte[] envelope, byte[] accessKey) {
        return send(handle, deviceId, envelope, accessKey, null);
    }

    /**
     * As {@link #send(String, int, byte[], byte[])}, naming the device key the envelope was
     * encrypted to: if the device has another key now, the relay refuses with {@code stale-device}
     * ({@link RelayErrorException}) and stores nothing.
     */
    public CompletableFuture<Long> send(String handle, int deviceId, byte[] envelope, byte[] accessKey,
                                        DeviceIdentityKey recipientKey) {
        if (accessKey == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "a sealed send carries the recipient's access key; without one, use sendIdentified"));
        }
        synchronized (this) {
            if (credentials != null) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "send over a separate unauthenticated connection, so that it does not name the sender"));
            }
        }
        byte[] key = recipientKey == null ? null : recipientKey.serialize();
        return request(id -> new Frames.Send(id, handle, deviceId, envelope, accessKey, key)).thenApply(RelayConnection::time);
    }

    /**
     * Delivers an envelope without the recipient's access key, for a first contact: the sender
     * learns the recipient's profile key (and so its access key) only from the recipient's own
     * messages. The relay accepts this only from an authenticated device, so it learns who sent
     * this envelope (docs/relay.md, "Sealed sender and abuse"), and limits how many a device sends.
     * Refused ({@link IllegalStateException}) on a connection that has not authenticated.
     *
     * @return the relay's time of acceptance (ms)
     */
    public CompletableFuture<Long> sendIdentified(String handle, int deviceId, byte[] envelope) {
        return sendIdentified(handle, deviceId, envelope, null);
    }

    /** As {@link #sendIdentified(String, int, byte[])}, refused with {@code stale-device} if the device has another key. */
    public CompletableFuture<Long> sendIdentified(String handle, int deviceId, byte[] envelope,
                                                  DeviceIdentityKey recipientKey) {
        synchronized (this) {
            if (credentials == null) {
                return CompletableFuture.failedFuture(new IllegalStateException(
                        "an identified send names its sender: register or authenticate on this connection first"));
            }
        }
        byte[] key = recipientKey == null ? null : recipientKey.serialize();
        return request(id -> new Frames.Send(id, handle, deviceId, envelope, null, key)).thenApply(RelayConnection::time);
    }

    private static long time(JsonNode body) {
        JsonNode time = body.get("time");
        if (time == null || !time.canConvertToLong() || !time.isIntegralNumber() || body.size() != 1) {
            throw new CompletionException(new BadResponseException("the send answer must be its time alone"));
        }
        return time.longValue();
    }

    /**
     * Leaves one sealed message in a provisioning mailbox (a device link, docs/devices.md); needs no
     * authentication. Refused with {@code mailbox-full} when the mailbox already holds one.
     */
    public CompletableFuture<Void> provision(String mailbox, byte[] body) {
        return request(id -> new Frames.Provision(id, mailbox, body)).thenApply(answer -> null);
    }

    /** Takes the message of a provisioning mailbox: empty when there is none (yet, or any more). */
    public CompletableFuture<Optional<byte[]>> fetchProvision(String mailbox) {
        return request(id -> new Frames.FetchProvision(id, mailbox)).thenApply(body -> {
            try {
                requireFields(body, "the fetchProvision answer", List.of(), List.of("body"));
                if (!body.has("body")) {
                    return Optional.<byte[]>empty();
                }
                byte[] bytes = binary(body.get("body"), "body");
                if (bytes.length == 0 || bytes.length > Frames.MAX_PROVISION) {
                    throw new BadResponseException("a provisioning message must be 1.." + Frames.MAX_PROVISION + " bytes");
                }
                return Optional.of(bytes);
            } catch (BadResponseException e) {
                throw new CompletionException(e);
            }
        });
    }

    /** Acknowledges a delivered envelope after the client stored it; the relay then deletes it. */
    public CompletableFuture<Void> ack(String envelopeId) {
        return request(id -> new Frames.Ack(id, envelopeId)).thenApply(body -> null);
    }

    /** Closes for good: no reconnects; requests in flight fail with {@link ConnectionLostException}. */
    @Override
    public void close() {
        Session session;
        Session half;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            session = current;
            half = opening;
            current = null;
            if (reconnectTask != null) {
                reconnectTask.cancel();
            }
        }
        setState(State.CLOSED, null);
        for (Session s : new Session[] {session, half}) {
            if (s != null) {
                s.shutdown(WebSocket.NORMAL_CLOSURE, "bye");
                lost(s, new ConnectionLostException("the connection was closed"));
            }
        }
    }

    // --- connection lifecycle ---

    /** Opens a WebSocket, waits for hello, re-authenticates if a device had, and makes it current. */
    private CompletableFuture<Session> open() {
        Session session = new Session();
        synchronized (this) {
            opening = session;
        }
        Duration helloWait = options.connectTimeout().plus(options.requestTimeout());
        Scheduler.Cancellable helloTimeout = options.scheduler().schedule(helloWait, () -> session.hello
                .completeExceptionally(new RelayTimeoutException("the relay sent no hello within " + helloWait.toMillis()
                        + " ms")));
        session.hello.whenComplete((hello, error) -> helloTimeout.cancel());
        http.newWebSocketBuilder().connectTimeout(options.connectTimeout()).buildAsync(uri, session)
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        session.hello.completeExceptionally(connectFailure(error));
                    }
                });
        return session.hello.thenCompose(hello -> {
            Credentials c;
            synchronized (this) {
                c = credentials;
            }
            if (c == null) {
                return CompletableFuture.completedFuture(session);
            }
            return authenticate(session, c).handle((ok, error) -> {
                if (error != null) {
                    RelayException cause = relayException(error);
                    if (cause instanceof RelayErrorException refused && refused.code() != ErrorCode.UNAVAILABLE
                            && refused.code() != ErrorCode.RATE_LIMITED) {
                        throw new CompletionException(new ReauthenticationRefused(cause));
                    }
                    throw new CompletionException(cause);
                }
                return session;
            });
        }).thenApply(s -> {
            boolean stale;
            synchronized (this) {
                stale = state == State.CLOSED || state == State.FAILED || s.dead;
                if (!stale) {
                    current = s;
                    attempt = 0;
                    state = State.CONNECTED;
                }
            }
            if (stale) {
                s.shutdown(WebSocket.NORMAL_CLOSURE, "bye");
                throw new CompletionException(new ConnectionLostException("the connection closed while opening"));
            }
            notifyState(State.CONNECTED, null);
            schedulePing(s);
            return s;
        }).whenComplete((s, error) -> {
            if (error != null) {
                session.shutdown(WebSocket.NORMAL_CLOSURE, "giving up");
                lost(session, relayException(error));
            }
        });
    }

    /** A refused re-authentication: fatal, not retried. */
    private static final class ReauthenticationRefused extends RuntimeException {
        ReauthenticationRefused(RelayException cause) {
            super(cause);
        }
    }

    /** The session is gone: fail its requests and, if it was the working connection, reconnect. */
    private void lost(Session session, RelayException why) {
        boolean reconnect;
        synchronized (this) {
            if (session.dead) {
                return;
            }
            session.dead = true;
            reconnect = current == session;
            if (current == session) {
                current = null;
            }
        }
        session.cancelPing();
        session.hello.completeExceptionally(why);
        pending.forEach((id, p) -> {
            if (p.session == session && pending.remove(id, p)) {
                p.timeout.cancel();
                p.answer.completeExceptionally(new ConnectionLostException("the connection dropped before the answer", why));
            }
        });
        if (reconnect) {
            scheduleReconnect(why);
        }
    }

    private void scheduleReconnect(RelayException why) {
        Duration delay;
        synchronized (this) {
            if (state == State.CLOSED || state == State.FAILED) {
                return;
            }
            delay = options.backoff().delay(attempt++, options.jitter().getAsDouble());
            state = State.RECONNECTING;
            reconnectTask = options.scheduler().schedule(delay, this::reconnect);
        }
        notifyState(State.RECONNECTING, why);
    }

    private void reconnect() {
        synchronized (this) {
            if (state != State.RECONNECTING) {
                return;
            }
        }
        setState(State.CONNECTING, null);
        open().whenComplete((session, error) -> {
            if (error == null) {
                return;
            }
            Throwable cause = unwrap(error);
            if (cause instanceof ReauthenticationRefused refused) {
                setState(State.FAILED, (RelayException) refused.getCause());
            } else {
                RelayException relayError = relayException(cause);
                if (relayError instanceof PinMismatchException || relayError instanceof ProtocolVersionException) {
                    setState(State.FAILED, relayError);
                } else {
                    scheduleReconnect(relayError);
                }
            }
        });
    }

    private void setState(State next, RelayException cause) {
        synchronized (this) {
            if (state == State.CLOSED || (state == State.FAILED && next != State.CLOSED)) {
                return;
            }
            state = next;
        }
        notifyState(next, cause);
    }

    private void notifyState(State next, RelayException cause) {
        try {
            listener.onStateChanged(next, Optional.ofNullable(cause));
        } catch (RuntimeException e) {
            // a listener's failure must not break the connection
        }
    }

    private void schedulePing(Session session) {
        session.pingTask = options.scheduler().schedule(options.pingInterval(), () -> {
            if (session.dead) {
                return;
            }
            if (session.awaitingPong) {
                session.shutdown(-1, null);
                lost(session, new ConnectionLostException("the relay did not answer a ping within "
                        + options.pingInterval().toSeconds() + " s"));
                return;
            }
            session.awaitingPong = true;
            session.enqueue(ws -> ws.sendPing(ByteBuffer.allocate(0)));
            schedulePing(session);
        });
    }

    // --- requests ---

    private Session usable() throws ConnectionLostException {
        synchronized (this) {
            if (current == null) {
                throw new ConnectionLostException("not connected to the relay (" + state + ")");
            }
            return current;
        }
    }

    private CompletableFuture<JsonNode> request(LongFunction<Frames.Request> frame) {
        try {
            return request(usable(), frame);
        } catch (ConnectionLostException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<JsonNode> request(Session session, LongFunction<Frames.Request> make) {
        long id = ids.incrementAndGet();
        Frames.Request frame;
        try {
            frame = make.apply(id);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        String type = frame.getClass().getSimpleName();
        Scheduler.Cancellable timeout = options.scheduler().schedule(options.requestTimeout(), () -> {
            Pending p = pending.remove(id);
            if (p != null) {
                p.answer.completeExceptionally(new RelayTimeoutException("the relay did not answer " + type + " within "
                        + options.requestTimeout().toMillis() + " ms"));
            }
        });
        pending.put(id, new Pending(session, answer, timeout));
        if (session.dead && pending.remove(id) != null) { // lost() may have run before the put
            timeout.cancel();
            answer.completeExceptionally(new ConnectionLostException("the connection dropped"));
            return answer;
        }
        String text = Wire.encode(frame);
        session.enqueue(ws -> ws.sendText(text, true));
        return answer;
    }

    private void answer(long id, JsonNode body, RelayException error) {
        Pending p = pending.remove(id);
        if (p == null) {
            return; // timed out already, or never ours
        }
        p.timeout.cancel();
        if (error != null) {
            p.answer.completeExceptionally(error);
        } else {
            p.answer.complete(body);
        }
    }

    private static PreKeyCounts counts(JsonNode body) {
        JsonNode oneTime = body.get("oneTime");
        JsonNode kem = body.get("kem");
        if (oneTime == null || kem == null || !oneTime.isInt() || !kem.isInt() || oneTime.intValue() < 0
                || kem.intValue() < 0) {
            throw new CompletionException(new BadResponseException("prekey counts must be two non-negative integers"));
        }
        return new PreKeyCounts(oneTime.intValue(), kem.intValue());
    }

    /** An object with all the {@code required} fields, any of the {@code optional} ones, and no other. */
    private static void requireFields(JsonNode node, String what, List<String> required, List<String> optional)
            throws BadResponseException {
        if (node == null || !node.isObject()) {
            throw new BadResponseException(what + " must be an object");
        }
        for (String field : required) {
            if (!node.has(field)) {
                throw new BadResponseException(what + " lacks " + field);
            }
        }
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!required.contains(name) && !optional.contains(name)) {
                throw new BadResponseException(what + " has an unknown field " + name);
            }
        }
    }

    /** An object with exactly these fields. */
    private static void requireFields(JsonNode node, String what, String... fields) throws BadResponseException {
        if (node == null || !node.isObject() || node.size() != fields.length) {
            throw new BadResponseException(what + " must be an object with exactly " + String.join(", ", fields));
        }
        for (String field : fields) {
            if (!node.has(field)) {
                throw new BadResponseException(what + " lacks " + field);
            }
        }
    }

    private static JsonNode array(JsonNode node, String what) throws BadResponseException {
        if (node == null || !node.isArray()) {
            throw new BadResponseException(what + " must be an array");
        }
        return node;
    }

    private static byte[] binary(JsonNode node, String what) throws BadResponseException {
        if (node == null || !node.isTextual()) {
            throw new BadResponseException(what + " must be base64 text");
        }
        try {
            return node.binaryValue();
        } catch (IOException | IllegalArgumentException e) {
            throw new BadResponseException(what + " is not base64");
        }
    }

    // --- errors ---

    private static Throwable unwrap(Throwable error) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof java.util.concurrent.ExecutionException)
                && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    private static RelayException relayException(Throwable error) {
        Throwable e = unwrap(error);
        if (e instanceof ReauthenticationRefused r) {
            return (RelayException) r.getCause();
        }
        if (e instanceof RelayException r) {
            return r;
        }
        return new ConnectionLostException("connection failed: " + e, e);
    }

    /** A pin mismatch anywhere in the cause chain wins; anything else means the relay could not be reached. */
    private RelayException connectFailure(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof PinningTrustManager.Mismatch mismatch) {
                return new PinMismatchException(mismatch.expected, mismatch.presented);
            }
            if (e.getCause() == e) {
                break;
            }
        }
        Throwable root = unwrap(error);
        return new RelayUnreachableException("cannot open a TLS 1.3 WebSocket to " + uri + ": " + root, root);
    }

    // --- one WebSocket ---

    /** One WebSocket and what belongs to it; events of a replaced socket change nothing. */
    private final class Session implements WebSocket.Listener {
        final CompletableFuture<Frames.Hello> hello = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        private CompletableFuture<?> sends = CompletableFuture.completedFuture(null);
        private volatile WebSocket ws;
        volatile byte[] challenge;
        volatile boolean dead;
        volatile boolean awaitingPong;
        volatile Scheduler.Cancellable pingTask;

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            webSocket.request(1);
        }

        /** Sends one at a time: the JDK refuses a send while the previous one is incomplete. */
        synchronized void enqueue(java.util.function.Function<WebSocket, CompletableFuture<WebSocket>> send) {
            sends = sends.handle((x, e) -> null).thenCompose(x -> {
                WebSocket socket = ws;
                if (socket == null || dead) {
                    return CompletableFuture.completedFuture(null);
                }
                return send.apply(socket).whenComplete((s, error) -> {
                    if (error != null) {
                        lost(this, new ConnectionLostException("sending failed: " + unwrap(error), unwrap(error)));
                    }
                });
            });
        }

        void shutdown(int code, String reason) {
            cancelPing();
            WebSocket socket = ws;
            if (socket == null) {
                return;
            }
            if (code < 0) {
                socket.abort();
                return;
            }
            try {
                socket.sendClose(code, reason).whenComplete((s, e) -> socket.abort());
            } catch (RuntimeException e) {
                socket.abort();
            }
        }

        void cancelPing() {
            Scheduler.Cancellable task = pingTask;
            if (task != null) {
                task.cancel();
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            // Ask for the next message first: the JDK still calls the listener one message at a
            // time (WebSocket.Listener), and in our tests a drop that arrived while the demand
            // was zero was, rarely, never reported.
            webSocket.request(1);
            if (partial.length() + data.length() > Wire.MAX_FRAME) {
                partial.setLength(0);
                protocolError("frame larger than " + Wire.MAX_FRAME);
                return null;
            }
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    dispatch(Wire.decode(text));
                } catch (BadFrameException e) {
                    protocolError(e.getMessage());
                    return null;
                }
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            protocolError("binary frames are not part of the protocol");
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
            awaitingPong = false;
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            lost(this, new ConnectionLostException("the relay closed the connection (" + statusCode
                    + (reason == null || reason.isEmpty() ? "" : ", " + reason) + ")"));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            lost(this, new ConnectionLostException("the connection failed: " + error, error));
        }

        /** Closes with 1008: the JDK's WebSocket may not send 1002, 1003 or 1009 (see {@link WebSocket#sendClose}). */
        private void protocolError(String message) {
            BadResponseException why = new BadResponseException("the relay broke the protocol: " + message);
            shutdown(POLICY_VIOLATION, "protocol error");
            lost(this, new ConnectionLostException(why.getMessage(), why));
        }

        private void dispatch(Frame frame) {
            if (frame instanceof Frames.Hello h) {
                if (hello.isDone()) {
                    protocolError("a second hello");
                } else if (h.protocol() != Frames.PROTOCOL) {
                    ProtocolVersionException error = new ProtocolVersionException(h.protocol(), Frames.PROTOCOL);
                    hello.completeExceptionally(error);
                    shutdown(POLICY_VIOLATION, "protocol version " + Frames.PROTOCOL + " only");
                    lost(this, error);
                } else {
                    challenge = h.challenge();
                    hello.complete(h);
                }
            } else if (!hello.isDone()) {
                protocolError("the first frame must be hello");
            } else if (frame instanceof Frames.Ok ok) {
                answer(ok.id(), ok.body(), null);
            } else if (frame instanceof Frames.Error error) {
                if (error.id() != 0) {
                    answer(error.id(), null, new RelayErrorException(error.code(), error.message()));
                }
                // an error without id answers a frame we could not have sent; the relay closes after it
            } else if (frame instanceof Frames.Deliver deliver) {
                try {
                    listener.onDeliver(deliver);
                } catch (RuntimeException e) {
                    // the envelope stays in the mailbox until acknowledged; it comes again
                }
            } else if (frame instanceof Frames.QueueEmpty) {
                listener.onQueueEmpty();
            } else {
                protocolError("a client frame from the relay");
            }
        }
    }
}
