package dev.vouch.relay.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.ConstantTime;
import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.protocol.keys.AccountIdentityKey;
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
import dev.vouch.relay.api.Handles;
import dev.vouch.relay.api.Wire;
import dev.vouch.relay.server.RelayStorage.AccountDevices;
import dev.vouch.relay.server.RelayStorage.BoundDevice;
import dev.vouch.relay.server.RelayStorage.ClaimedAccount;
import dev.vouch.relay.server.RelayStorage.ClaimedDevice;
import dev.vouch.relay.server.RelayStorage.Envelope;
import dev.vouch.relay.server.RelayStorage.PreKey;
import dev.vouch.relay.server.RelayStorage.PreKeyCounts;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

/**
 * One client connection and its state machine: {@code hello} with a fresh challenge, then
 * {@code register} or {@code authenticate} makes it a device's connection; a sealed {@code send}
 * works either way, an identified one (without access key) only on a device's connection. Jetty
 * hands this listener one message at a time, so requests are handled in order; mailbox deliveries
 * may also be started from other connections' threads.
 * Public only because Jetty calls the listener methods through method handles.
 */
public final class RelayConnection implements Session.Listener.AutoDemanding {
    /** The WebSocket close code for a frame over the size limit. */
    static final int CLOSE_TOO_LARGE = 1009;
    static final int CLOSE_POLICY = 1008;

    private final RelayCore core;
    private final String remoteAddress;
    private final byte[] challenge = CryptoRandom.bytes(Frames.CHALLENGE_LENGTH);
    private volatile Session session;
    private volatile Outbox outbox;
    private volatile DeviceAddress device;
    private volatile DeviceIdentityKey deviceKey;
    private int badFrames;

    // mailbox delivery, guarded by deliveryLock
    private final Object deliveryLock = new Object();
    private long cursor;
    private int inFlight;
    private boolean draining;
    private boolean again;
    private boolean mayHaveMore = true;
    /** Whether this connection was told its mailbox backlog is delivered ({@link Frames.QueueEmpty}). */
    private boolean queueEmptySent;
    private boolean closed;

    RelayConnection(RelayCore core, String remoteAddress) {
        this.core = core;
        this.remoteAddress = remoteAddress;
    }

    @Override
    public void onWebSocketOpen(Session session) {
        this.session = session;
        this.outbox = new Outbox(new Outbox.Transport() {
            @Override
            public void send(String text, Runnable written, java.util.function.Consumer<Throwable> failed) {
                session.sendText(text, Callback.from(written, failed));
            }

            @Override
            public void close(int code, String reason) {
                core.events.emit("closing", RelayEvents.fields("code", code, "reason", reason));
                session.close(code, reason, Callback.NOOP);
            }

            @Override
            public void disconnect() {
                session.disconnect();
            }
        }, core.limits.maxQueuedFrames(), core.limits.writeTimeout());
        core.opened(this);
        send(new Frames.Hello(Frames.PROTOCOL, challenge, core.clock.millis()));
    }

    @Override
    public void onWebSocketText(String text) {
        if (utf8Length(text) > Wire.MAX_FRAME) {
            error(0, ErrorCode.TOO_LARGE, "a frame is at most " + Wire.MAX_FRAME + " bytes");
            session.close(CLOSE_TOO_LARGE, "frame too large", Callback.NOOP);
            return;
        }
        Frame frame;
        try {
            frame = Wire.decode(text);
        } catch (BadFrameException e) {
            badFrame(idOf(text), e.getMessage());
            return;
        }
        if (!(frame instanceof Frames.Request request)) {
            badFrame(idOf(text), "clients send requests, not " + frame.getClass().getSimpleName().toLowerCase(Locale.ROOT));
            return;
        }
        try {
            handle(request);
        } catch (RelayStorageException e) {
            core.events.emit("storage-error", RelayEvents.fields("request", typeOf(request), "error", e.getMessage()));
            error(request.id(), ErrorCode.UNAVAILABLE, "the relay's storage failed; try again later");
        } catch (RuntimeException e) {
            core.events.emit("internal-error", RelayEvents.fields("request", typeOf(request), "error", e.toString()));
            error(request.id(), ErrorCode.UNAVAILABLE, "the relay failed to handle this request");
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        callback.succeed();
        badFrame(0, "binary frames are not part of the protocol: send UTF-8 JSON text frames");
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        synchronized (deliveryLock) {
            closed = true;
        }
        core.closed(this);
        DeviceAddress current = device;
        if (current != null) {
            core.offline(current, this);
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        core.events.emit("connection-error", RelayEvents.fields("error", cause.getClass().getSimpleName()));
    }

    /**
     * Drops the connection if a frame has waited longer than the write timeout at {@code now}
     * ({@link System#nanoTime}); false when it is gone, so the relay stops checking it.
     */
    boolean checkWrites(long now) {
        Session s = session;
        if (s == null || !s.isOpen()) {
            return false;
        }
        return !outbox.checkWrites(now);
    }

    /** Another connection authenticated as this device: this one stops receiving and closes. */
    void replaced() {
        synchronized (deliveryLock) {
            closed = true;
        }
        Session s = session;
        if (s != null) {
            s.close(1000, "another connection took over for this device", Callback.NOOP);
        }
    }

    /**
     * This device was dropped from its account's signed device list: an error frame with id 0 and
     * code {@code device-removed} says so, then the connection closes; nothing more is delivered.
     */
    void removedFromAccount() {
        synchronized (deliveryLock) {
            closed = true;
        }
        error(0, ErrorCode.DEVICE_REMOVED, DEVICE_REMOVED);
        Session s = session;
        if (s != null) {
            s.close(CLOSE_POLICY, "device removed from its account", Callback.NOOP);
        }
    }

    private static final String DEVICE_REMOVED = "this device was removed from its account's device list";

    private void handle(Frames.Request request) throws RelayStorageException {
        if (request instanceof Frames.Register r) {
            register(r);
        } else if (request instanceof Frames.Authenticate a) {
            authenticate(a);
        } else if (request instanceof Frames.Send s) {
            send(s);
        } else if (request instanceof Frames.Provision p) {
            provision(p);
        } else if (request instanceof Frames.FetchProvision f) {
            ObjectNode body = object();
            core.provisioning.take(f.mailbox()).ifPresent(bytes -> body.put("body", bytes));
            ok(f.id(), body);
        } else if (device == null) {
            error(request.id(), ErrorCode.UNAUTHENTICATED, "register or authenticate first");
        } else if (request instanceof Frames.UploadPreKeys u) {
            uploadPreKeys(u);
        } else if (request instanceof Frames.PreKeyCounts c) {
            PreKeyCounts counts = core.storage.preKeyCounts(device);
            ok(c.id(), counts(counts));
        } else if (request instanceof Frames.FetchBundles f) {
            fetchBundles(f);
        } else if (request instanceof Frames.Lookup l) {
            lookup(l);
        } else if (request instanceof Frames.LogHead h) {
            logAnswer(h.id(), () -> core.transparency.logHead(device, h.from()));
        } else if (request instanceof Frames.LogEntries e) {
            logAnswer(e.id(), () -> core.transparency.logEntries(device, e.from(), e.limit()));
        } else if (request instanceof Frames.PublishDeviceList p) {
            publishDeviceList(p);
        } else if (request instanceof Frames.Ack a) {
            // Only this device's mailbox is touched: another device's envelope id simply matches nothing.
            core.storage.deleteEnvelope(device, a.envelopeId());
            ok(a.id(), object());
        } else {
            badFrame(request.id(), "unknown request");
        }
    }

    /** Provisioning needs no authentication: the new device has none yet, and the message is sealed. */
    private void provision(Frames.Provision p) {
        if (!core.registrations.tryAcquire(remoteAddress)) {
            rateLimited(p.id(), "provision", core.limits.registrationsPerMinute()
                    + " registrations and provisioning messages per minute from one address");
            return;
        }
        switch (core.provisioning.put(p.mailbox(), p.body())) {
            case STORED -> ok(p.id(), object());
            case FULL -> error(p.id(), ErrorCode.MAILBOX_FULL, "this provisioning mailbox already holds its message");
            case NO_ROOM -> error(p.id(), ErrorCode.UNAVAILABLE, "too many device links in flight; try again later");
        }
    }

    private void register(Frames.Register r) throws RelayStorageException {
        if (device != null) {
            error(r.id(), ErrorCode.FORBIDDEN, "this connection is already authenticated");
            return;
        }
        if (!core.registrations.tryAcquire(remoteAddress)) {
            rateLimited(r.id(), "register", core.limits.registrationsPerMinute()
                    + " registrations per minute from one address");
            return;
        }
        Optional<String> handle = Handles.normalize(r.handle());
        if (handle.isEmpty()) {
            error(r.id(), ErrorCode.HANDLE_INVALID, Handles.RULE);
            return;
        }
        AccountIdentityKey accountKey;
        DeviceIdentityKey deviceIdentity;
        try {
            accountKey = AccountIdentityKey.decode(r.accountKey());
            deviceIdentity = DeviceIdentityKey.decode(r.deviceKey());
        } catch (MalformedDataException e) {
            badFrame(r.id(), "accountKey or deviceKey is not a key encoding: " + e.getMessage());
            return;
        }
        if (!accountKey.verify(AuthStrings.deviceBinding(handle.get(), r.deviceId(), deviceIdentity), r.deviceBinding())) {
            error(r.id(), ErrorCode.BAD_SIGNATURE, "deviceBinding is not the account key's signature over the binding");
            return;
        }
        if (!deviceIdentity.verify(AuthStrings.authentication(challenge, handle.get(), r.deviceId()), r.signature())) {
            error(r.id(), ErrorCode.BAD_SIGNATURE, "signature is not the device key's signature over this challenge");
            return;
        }
        DeviceAddress address = new DeviceAddress(handle.get(), r.deviceId());
        RelayStorage.Registration outcome = core.storage.register(new RelayStorage.Device(address,
                accountKey.serialize(), deviceIdentity.serialize(), r.accessKey()), r.deviceBinding(),
                core.clock.instant());
        if (outcome == RelayStorage.Registration.TAKEN) {
            error(r.id(), ErrorCode.HANDLE_TAKEN, "this handle belongs to another account key");
            return;
        }
        if (outcome == RelayStorage.Registration.REMOVED) {
            error(r.id(), ErrorCode.DEVICE_REMOVED, "device " + r.deviceId() + " was removed from this account's"
                    + " device list; its id is not given out again");
            return;
        }
        core.events.emit("registered", RelayEvents.fields("outcome", outcome.name().toLowerCase(Locale.ROOT)));
        authenticated(r.id(), address, deviceIdentity);
    }

    private void authenticate(Frames.Authenticate a) throws RelayStorageException {
        if (device != null) {
            error(a.id(), ErrorCode.FORBIDDEN, "this connection is already authenticated");
            return;
        }
        Optional<String> handle = Handles.normalize(a.handle());
        if (handle.isEmpty()) {
            error(a.id(), ErrorCode.HANDLE_INVALID, Handles.RULE);
            return;
        }
        DeviceAddress address = new DeviceAddress(handle.get(), a.deviceId());
        Optional<RelayStorage.Device> stored = core.storage.device(address);
        if (stored.isEmpty()) {
            if (core.storage.removed(address)) {
                error(a.id(), ErrorCode.DEVICE_REMOVED, DEVICE_REMOVED);
            } else {
                error(a.id(), ErrorCode.UNKNOWN_ACCOUNT, "no such registered device");
            }
            return;
        }
        DeviceIdentityKey identity;
        try {
            identity = DeviceIdentityKey.decode(stored.get().deviceKey());
        } catch (MalformedDataException e) {
            throw new IllegalStateException("a stored device key does not decode", e);
        }
        if (!identity.verify(AuthStrings.authentication(challenge, handle.get(), a.deviceId()), a.signature())) {
            error(a.id(), ErrorCode.BAD_SIGNATURE, "signature is not the device key's signature over this challenge");
            return;
        }
        core.events.emit("authenticated");
        authenticated(a.id(), address, identity);
    }

    private void authenticated(long requestId, DeviceAddress address, DeviceIdentityKey identity) {
        this.deviceKey = identity;
        this.device = address;
        core.transparency.authenticated(address);
        ok(requestId, object());
        synchronized (deliveryLock) {
            if (closed) {
                return;
            }
        }
        core.online(address, this);
        deliverPending();
    }

    private void uploadPreKeys(Frames.UploadPreKeys u) throws RelayStorageException {
        Optional<byte[]> signed = Optional.empty();
        List<PreKey> oneTime = new ArrayList<>();
        List<PreKey> kem = new ArrayList<>();
        Optional<byte[]> lastResort = Optional.empty();
        try {
            if (u.signedPreKey() != null) {
                SignedPreKeyPublic spk = SignedPreKeyPublic.decode(u.signedPreKey());
                spk.verify(deviceKey);
                signed = Optional.of(spk.serialize());
            }
            for (byte[] encoded : u.oneTimePreKeys()) {
                OneTimePreKeyPublic key = OneTimePreKeyPublic.decode(encoded);
                oneTime.add(new PreKey(key.id(), key.serialize()));
            }
            for (byte[] encoded : u.kemPreKeys()) {
                KemPreKeyPublic key = KemPreKeyPublic.decode(encoded);
                key.verify(deviceKey);
                if (key.lastResort()) {
                    badFrame(u.id(), "kemPreKeys holds one-time keys; the last-resort key goes in lastResortKemPreKey");
                    return;
                }
                kem.add(new PreKey(key.id(), key.serialize()));
            }
            if (u.lastResortKemPreKey() != null) {
                KemPreKeyPublic key = KemPreKeyPublic.decode(u.lastResortKemPreKey());
                key.verify(deviceKey);
                if (!key.lastResort()) {
                    badFrame(u.id(), "lastResortKemPreKey is not marked as a last-resort key");
                    return;
                }
                lastResort = Optional.of(key.serialize());
            }
        } catch (MalformedDataException e) {
            badFrame(u.id(), "a prekey is not a prekey encoding: " + e.getMessage());
            return;
        } catch (InvalidSignatureException e) {
            error(u.id(), ErrorCode.BAD_SIGNATURE, e.getMessage() + " (signed by another device key?)");
            return;
        }
        try {
            PreKeyCounts counts = core.storage.storePreKeys(device,
                    new RelayStorage.PreKeyUpload(signed, oneTime, kem, lastResort), core.limits.maxPreKeysPerKind());
            ok(u.id(), counts(counts));
        } catch (QuotaExceededException e) {
            error(u.id(), ErrorCode.QUOTA_EXCEEDED, e.getMessage());
        }
    }

    private void fetchBundles(Frames.FetchBundles f) throws RelayStorageException {
        // Counted before anything else, so refused and unknown handles cost as much as real ones.
        if (!core.fetches.tryAcquire(device)) {
            rateLimited(f.id(), "fetchBundles", core.limits.fetchBundlesPerMinute()
                    + " fetchBundles per minute from one device");
            return;
        }
        Optional<String> handle = Handles.normalize(f.handle());
        if (handle.isEmpty()) {
            error(f.id(), ErrorCode.HANDLE_INVALID, Handles.RULE);
            return;
        }
        Optional<LogService.Answer<ClaimedAccount>> claimed = core.transparency.bundles(device, handle.get());
        if (claimed.isEmpty()) {
            error(f.id(), ErrorCode.UNKNOWN_ACCOUNT, "no account has this handle");
            return;
        }
        ObjectNode body = object();
        body.put("accountKey", claimed.get().keys().accountKey());
        ArrayNode bundles = body.putArray("bundles");
        for (ClaimedDevice d : claimed.get().keys().devices()) {
            try {
                PreKeyBundle bundle = PreKeyBundle.verified(d.deviceId(), DeviceIdentityKey.decode(d.deviceKey()),
                        SignedPreKeyPublic.decode(d.signedPreKey()),
                        d.oneTimePreKey().isPresent() ? OneTimePreKeyPublic.decode(d.oneTimePreKey().get()) : null,
                        KemPreKeyPublic.decode(d.kemPreKey()));
                // The binding is passed on as stored: the client verifies it with the account key.
                bundles.addObject().put("bundle", bundle.serialize()).put("deviceBinding", d.deviceBinding());
            } catch (MalformedDataException | InvalidSignatureException e) {
                core.events.emit("bad-stored-prekeys", RelayEvents.fields("error", e.getClass().getSimpleName()));
            }
        }
        claimed.get().log().ifPresent(log -> body.set("log", log));
        ok(f.id(), body);
    }

    private void lookup(Frames.Lookup l) throws RelayStorageException {
        if (!core.lookups.tryAcquire(device)) {
            rateLimited(l.id(), "lookup", core.limits.lookupsPerMinute() + " lookups per minute from one device");
            return;
        }
        Optional<String> handle = Handles.normalize(l.handle());
        if (handle.isEmpty()) {
            error(l.id(), ErrorCode.HANDLE_INVALID, Handles.RULE);
            return;
        }
        Optional<LogService.Answer<AccountDevices>> found = core.transparency.lookup(device, handle.get());
        if (found.isEmpty()) {
            error(l.id(), ErrorCode.UNKNOWN_ACCOUNT, "no account has this handle");
            return;
        }
        ObjectNode body = object();
        body.put("accountKey", found.get().keys().accountKey());
        ArrayNode devices = body.putArray("devices");
        for (BoundDevice d : found.get().keys().devices()) {
            // Passed on as stored: the client verifies each binding with the account key.
            devices.addObject().put("deviceId", d.deviceId()).put("deviceKey", d.deviceKey())
                    .put("deviceBinding", d.deviceBinding());
        }
        // Passed on as stored: the client verifies it with the account key and against the log.
        found.get().keys().deviceList().ifPresent(list -> body.put("deviceList", list));
        found.get().log().ifPresent(log -> body.set("log", log));
        ok(l.id(), body);
    }

    /**
     * A new signed device list for this device's account: decoded strictly, signed by the
     * registered account key, for this handle, at a higher version, listing only registered devices
     * with their registered keys. Stored and logged in one transaction, or nothing changes.
     */
    private void publishDeviceList(Frames.PublishDeviceList p) throws RelayStorageException {
        Optional<RelayStorage.Device> self = core.storage.device(device);
        if (self.isEmpty()) {
            error(p.id(), ErrorCode.UNKNOWN_ACCOUNT, "this device is no longer registered");
            return;
        }
        SignedDeviceList list;
        try {
            list = SignedDeviceList.decode(p.deviceList(), AccountIdentityKey.decode(self.get().accountKey()));
        } catch (InvalidSignatureException e) {
            error(p.id(), ErrorCode.BAD_SIGNATURE, e.getMessage());
            return;
        } catch (MalformedDataException e) {
            badFrame(p.id(), "deviceList is not a valid device list: " + e.getMessage());
            return;
        }
        if (!list.handle().equals(device.handle())) {
            badFrame(p.id(), "deviceList is for " + list.handle() + ", not for this device's handle");
            return;
        }
        java.util.Map<Integer, byte[]> listed = new java.util.TreeMap<>();
        list.devices().forEach(d -> listed.put(d.deviceId(), d.key().serialize()));
        // The devices of the list it replaces that this one leaves out are removed with it (unlinking).
        java.util.Set<Integer> dropped = new java.util.TreeSet<>();
        Optional<byte[]> current = core.storage.deviceList(device.handle());
        if (current.isPresent()) {
            try {
                SignedDeviceList previous = SignedDeviceList.decode(current.get(),
                        AccountIdentityKey.decode(self.get().accountKey()));
                previous.devices().forEach(d -> dropped.add(d.deviceId()));
            } catch (MalformedDataException | InvalidSignatureException e) {
                throw new IllegalStateException("the stored device list does not verify", e);
            }
            dropped.removeAll(listed.keySet());
        }
        RelayStorage.ListUpdate outcome = core.storage.publishDeviceList(device.handle(), self.get().accountKey(),
                list.version(), listed, list.serialize(), dropped, core.clock.instant());
        switch (outcome) {
            case STORED -> {
                core.events.emit("device-list", RelayEvents.fields("devices", list.devices().size(),
                        "removed", dropped.size()));
                dropped.forEach(id -> core.removed(new DeviceAddress(device.handle(), id)));
                ObjectNode body = object();
                body.put("version", list.version());
                ok(p.id(), body);
            }
            case NOT_NEWER -> error(p.id(), ErrorCode.VERSION_NOT_NEWER, "the account already has a device list of"
                    + " version " + list.version() + " or higher");
            case UNKNOWN_DEVICE -> badFrame(p.id(), "every listed device must be registered with the listed key");
            case ACCOUNT_KEY_CHANGED -> error(p.id(), ErrorCode.BAD_SIGNATURE, "the account key changed meanwhile");
        }
    }

    /** A {@code logHead} or {@code logEntries} answer; a {@code from} beyond the log is a bad frame. */
    private void logAnswer(long id, LogRequest answer) throws RelayStorageException {
        try {
            ok(id, answer.body());
        } catch (LogService.BeyondTheLogException e) {
            badFrame(id, e.getMessage());
        }
    }

    @FunctionalInterface
    private interface LogRequest {
        ObjectNode body() throws RelayStorageException, LogService.BeyondTheLogException;
    }

    private void send(Frames.Send s) throws RelayStorageException {
        if (s.identified()) {
            // Without an access key the sender must name itself: the relay learns who sent this envelope.
            DeviceAddress sender = device;
            if (sender == null) {
                error(s.id(), ErrorCode.UNAUTHENTICATED, "a send without accessKey needs an authenticated connection;"
                        + " a sealed send carries the recipient's access key");
                return;
            }
            if (!core.identifiedSends.tryAcquire(sender)) {
                rateLimited(s.id(), "send", core.limits.identifiedSendsPerMinute()
                        + " sends without accessKey per minute from one device");
                return;
            }
        }
        Optional<String> handle = Handles.normalize(s.handle());
        if (handle.isEmpty()) {
            error(s.id(), ErrorCode.HANDLE_INVALID, Handles.RULE);
            return;
        }
        DeviceAddress recipient = new DeviceAddress(handle.get(), s.deviceId());
        Optional<RelayStorage.Device> stored = core.storage.device(recipient);
        if (stored.isEmpty()) {
            error(s.id(), ErrorCode.UNKNOWN_ACCOUNT, "no such registered device");
            return;
        }
        if (!s.identified() && !ConstantTime.equals(stored.get().accessKey(), s.accessKey())) {
            error(s.id(), ErrorCode.FORBIDDEN, "wrong access key for this device");
            return;
        }
        if (s.recipientKey() != null && !java.util.Arrays.equals(stored.get().deviceKey(), s.recipientKey())) {
            error(s.id(), ErrorCode.STALE_DEVICE, "the device has another key now; look it up again");
            return;
        }
        Instant now = core.clock.instant();
        try {
            core.storage.storeEnvelope(recipient, newEnvelopeId(), s.envelope(), now, core.limits.mailboxQuota());
        } catch (QuotaExceededException e) {
            error(s.id(), ErrorCode.QUOTA_EXCEEDED, e.getMessage());
            return;
        }
        ObjectNode body = object();
        body.put("time", now.toEpochMilli());
        ok(s.id(), body);
        core.mailboxChanged(recipient);
    }

    /**
     * Sends this device's mailbox envelopes it has not been sent yet on this connection, at most
     * {@link Limits#deliveryWindow()} at a time: each written frame makes room for the next, so a
     * full mailbox never fills the outgoing queue. Safe to call from any thread.
     */
    void deliverPending() {
        synchronized (deliveryLock) {
            mayHaveMore = true;
        }
        drain();
    }

    /**
     * A delivered frame was written: room for one more. The mailbox is read again only when it may
     * hold envelopes beyond the cursor (something arrived, or the last read filled the window),
     * not once per written frame.
     */
    private void delivered() {
        boolean more;
        synchronized (deliveryLock) {
            inFlight--;
            more = mayHaveMore;
        }
        if (more) {
            drain();
        }
    }

    private void drain() {
        synchronized (deliveryLock) {
            if (device == null || closed) {
                return;
            }
            if (draining) {
                again = true;
                return;
            }
            draining = true;
            again = false;
        }
        try {
            while (true) {
                int room;
                long after;
                synchronized (deliveryLock) {
                    room = core.limits.deliveryWindow() - inFlight;
                    after = cursor;
                    if (room <= 0 || closed) {
                        draining = false;
                        return;
                    }
                }
                List<Envelope> batch = core.storage.envelopes(device, after, room);
                for (Envelope e : batch) {
                    synchronized (deliveryLock) {
                        cursor = e.seq();
                        inFlight++;
                    }
                    boolean queued = outbox.send(Wire.encode(new Frames.Deliver(e.envelopeId(), e.body(),
                            e.received().toEpochMilli())), this::delivered);
                    if (!queued) {
                        synchronized (deliveryLock) {
                            draining = false;
                            closed = true;
                        }
                        return;
                    }
                }
                boolean done;
                boolean announceEmpty = false;
                synchronized (deliveryLock) {
                    done = batch.size() < room && !again;
                    if (done) {
                        mayHaveMore = false; // everything up to the cursor is sent; deliverPending() says when more comes
                        draining = false;
                        announceEmpty = !queueEmptySent;
                        queueEmptySent = true;
                    } else {
                        again = false;
                    }
                }
                if (announceEmpty) {
                    // queued after the deliveries above, so the client reads it after them
                    send(new Frames.QueueEmpty(core.clock.millis()));
                }
                if (done) {
                    return;
                }
            }
        } catch (RelayStorageException | RuntimeException e) {
            synchronized (deliveryLock) {
                draining = false;
            }
            core.events.emit("delivery-error", RelayEvents.fields("error", e.getClass().getSimpleName()));
        }
    }

    /** Refuses a request over its rate limit; {@code limit} says what the limit is, in words. */
    private void rateLimited(long id, String request, String limit) {
        core.events.emit("rate-limited", RelayEvents.fields("request", request));
        error(id, ErrorCode.RATE_LIMITED, "at most " + limit);
    }

    private void badFrame(long id, String message) {
        badFrames++;
        error(id, ErrorCode.BAD_FRAME, message);
        if (badFrames >= core.limits.maxBadFrames()) {
            core.events.emit("closing", RelayEvents.fields("code", CLOSE_POLICY, "reason", "bad-frames"));
            session.close(CLOSE_POLICY, "too many bad frames", Callback.NOOP);
        }
    }

    private void ok(long id, JsonNode body) {
        send(new Frames.Ok(id, body));
    }

    private void error(long id, ErrorCode code, String message) {
        send(new Frames.Error(id, code, message));
    }

    private void send(Frames.ServerFrame frame) {
        outbox.send(Wire.encode(frame), () -> { });
    }

    private static ObjectNode object() {
        return Wire.mapper().createObjectNode();
    }

    private static ObjectNode counts(PreKeyCounts counts) {
        ObjectNode body = object();
        body.put("oneTime", counts.oneTime());
        body.put("kem", counts.kem());
        return body;
    }

    private static String newEnvelopeId() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(CryptoRandom.bytes(16));
    }

    private static String typeOf(Frames.Request request) {
        return request.getClass().getSimpleName();
    }

    /** The request id of a frame that failed to decode, when it has a usable one; else 0. */
    private static long idOf(String text) {
        try {
            JsonNode node = Wire.mapper().readTree(text);
            JsonNode id = node == null ? null : node.get("id");
            if (id != null && id.isIntegralNumber() && id.canConvertToLong() && id.asLong() > 0) {
                return id.asLong();
            }
        } catch (Exception e) {
            // not JSON at all: the error carries id 0
        }
        return 0;
    }

    private static long utf8Length(String text) {
        if (text.length() <= Wire.MAX_FRAME / 3) {
            return text.length(); // cannot exceed the limit even if every char took three bytes
        }
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
