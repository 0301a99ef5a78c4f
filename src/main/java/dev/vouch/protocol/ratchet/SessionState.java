package dev.vouch.protocol.ratchet;

import dev.vouch.protocol.DuplicateMessageException;
import dev.vouch.protocol.InvalidMessageException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.crypto.AuthenticationFailedException;
import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.message.RatchetMessage;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * One Double Ratchet session with one remote device (Signal's specification, with AES-256-GCM as
 * the AEAD and the header as associated data).
 *
 * <p>Decryption computes everything on local values and changes this object only after the
 * ciphertext authenticated, so a refused message never alters the session. Limits:
 * {@value #MAX_SKIP} message keys may be skipped by one message, and at most
 * {@value #MAX_STORED_SKIPPED_KEYS} skipped keys are kept per session, the oldest dropped first
 * (a message delayed behind that many later ones can no longer be read).
 */
public final class SessionState {
    public static final int MAX_SKIP = 2000;
    public static final int MAX_STORED_SKIPPED_KEYS = 2000;
    /** Receiving ratchet keys remembered after their chain ended, to recognise replays of old messages. */
    public static final int MAX_RETIRED_RECEIVING_KEYS = 64;
    /** Each message key encrypts exactly one message, so a constant nonce is safe (Signal spec, 5.2). */
    private static final byte[] NONCE = new byte[AesGcm.NONCE_LENGTH];
    /** Both identity keys' encodings, the initiator's first: the start of every message's associated data. */
    private static final int ASSOCIATED_DATA_LENGTH = 2 * DeviceIdentityKey.SERIALIZED_LENGTH;
    /** Where the body (the two keys, without the encoding prefix) of each party's identity lies in it. */
    private static final int INITIATOR_IDENTITY = 2;
    private static final int RESPONDER_IDENTITY = DeviceIdentityKey.SERIALIZED_LENGTH + 2;
    private static final int IDENTITY_BODY = 64;

    private final boolean initiator;
    /** Built from {@link #associatedData} when first asked for; a decoded state that never needs them never builds them. */
    private DeviceIdentityKey localIdentity;
    private DeviceIdentityKey remoteIdentity;
    private final byte[] associatedData;
    private final byte[] baseKey;
    private RootKey rootKey;
    /** The sending ratchet key pair, owned by this state (never handed out without a copy). */
    private byte[] sendingRatchetPrivate;
    private byte[] sendingRatchetPublic;
    private ChainKey sendingChain;
    private byte[] receivingRatchetKey;
    private ChainKey receivingChain;
    private int previousCounter;
    /** Null while empty, as in most sessions: a decoded state then builds neither collection. */
    private ArrayDeque<RatchetPublicKey> retiredReceivingKeys;
    /** Null while empty. */
    private LinkedHashMap<SkippedKeyId, byte[]> skippedKeys;
    private PendingPreKey pendingPreKey;

    private SessionState(boolean initiator, DeviceIdentityKey localIdentity, DeviceIdentityKey remoteIdentity,
                         byte[] baseKey, RootKey rootKey, X25519.KeyPair sendingRatchetKey, ChainKey sendingChain,
                         byte[] receivingRatchetKey, ChainKey receivingChain, int previousCounter,
                         ArrayDeque<RatchetPublicKey> retired, LinkedHashMap<SkippedKeyId, byte[]> skipped,
                         PendingPreKey pendingPreKey) {
        this(initiator, identities(initiator, localIdentity, remoteIdentity), baseKey, rootKey,
                sendingRatchetKey.privateKey(), sendingRatchetKey.publicKey(), sendingChain, receivingRatchetKey,
                receivingChain, previousCounter, retired, skipped, pendingPreKey);
        this.localIdentity = localIdentity;
        this.remoteIdentity = remoteIdentity;
    }

    /** Takes ownership of every array. */
    private SessionState(boolean initiator, byte[] associatedData, byte[] baseKey, RootKey rootKey,
                         byte[] sendingRatchetPrivate, byte[] sendingRatchetPublic, ChainKey sendingChain,
                         byte[] receivingRatchetKey, ChainKey receivingChain, int previousCounter,
                         ArrayDeque<RatchetPublicKey> retired, LinkedHashMap<SkippedKeyId, byte[]> skipped,
                         PendingPreKey pendingPreKey) {
        this.initiator = initiator;
        this.associatedData = associatedData;
        this.baseKey = baseKey;
        this.rootKey = rootKey;
        this.sendingRatchetPrivate = sendingRatchetPrivate;
        this.sendingRatchetPublic = sendingRatchetPublic;
        this.sendingChain = sendingChain;
        this.receivingRatchetKey = receivingRatchetKey;
        this.receivingChain = receivingChain;
        this.previousCounter = previousCounter;
        this.retiredReceivingKeys = retired;
        this.skippedKeys = skipped;
        this.pendingPreKey = pendingPreKey;
    }

    /**
     * The initiator's state after PQXDH: it ratchets once against the responder's signed prekey,
     * so it can send at once.
     */
    public static SessionState initiator(DeviceIdentityKey local, DeviceIdentityKey remote, byte[] sharedSecret,
                                         byte[] baseKey, byte[] theirSignedPreKey, PendingPreKey pending,
                                         SecureRandom random) throws InvalidKeyMaterialException {
        X25519.KeyPair sending = X25519.generate(random);
        RootKey.Step step = new RootKey(sharedSecret).step(X25519.agree(sending.privateKey(), theirSignedPreKey));
        return new SessionState(true, local, remote, baseKey.clone(), step.rootKey(), sending, step.chainKey(),
                null, null, 0, null, null, pending);
    }

    /** The responder's state after PQXDH: its signed prekey is its first ratchet key. */
    public static SessionState responder(DeviceIdentityKey local, DeviceIdentityKey remote, byte[] sharedSecret,
                                         byte[] baseKey, X25519.KeyPair signedPreKey) {
        return new SessionState(false, local, remote, baseKey.clone(), new RootKey(sharedSecret), signedPreKey, null,
                null, null, 0, null, null, null);
    }

    /** The encodings of both identity keys, the initiator's first, as {@link DeviceIdentityKey#serialize()} gives them. */
    private static byte[] identities(boolean initiator, DeviceIdentityKey local, DeviceIdentityKey remote) {
        byte[] out = new byte[ASSOCIATED_DATA_LENGTH];
        putIdentity(out, initiator ? INITIATOR_IDENTITY : RESPONDER_IDENTITY, local);
        putIdentity(out, initiator ? RESPONDER_IDENTITY : INITIATOR_IDENTITY, remote);
        return out;
    }

    private static void putIdentity(byte[] out, int body, DeviceIdentityKey key) {
        out[body - 2] = (byte) Tag.VERSION;
        out[body - 1] = (byte) Tag.DEVICE_IDENTITY_KEY.code();
        System.arraycopy(key.signingKey(), 0, out, body, 32);
        System.arraycopy(key.agreementKey(), 0, out, body + 32, 32);
    }

    private int localIdentityBody() {
        return initiator ? INITIATOR_IDENTITY : RESPONDER_IDENTITY;
    }

    private int remoteIdentityBody() {
        return initiator ? RESPONDER_IDENTITY : INITIATOR_IDENTITY;
    }

    private DeviceIdentityKey identityAt(int body) {
        return new DeviceIdentityKey(Arrays.copyOfRange(associatedData, body, body + 32),
                Arrays.copyOfRange(associatedData, body + 32, body + 64));
    }

    public DeviceIdentityKey localIdentity() {
        DeviceIdentityKey key = localIdentity;
        if (key == null) {
            key = identityAt(localIdentityBody());
            localIdentity = key;
        }
        return key;
    }

    public DeviceIdentityKey remoteIdentity() {
        DeviceIdentityKey key = remoteIdentity;
        if (key == null) {
            key = identityAt(remoteIdentityBody());
            remoteIdentity = key;
        }
        return key;
    }

    /** The initiator's ephemeral key: it names the PQXDH run that created this session. */
    public byte[] baseKey() {
        return baseKey.clone();
    }

    public boolean hasBaseKey(byte[] candidate) {
        return Arrays.equals(baseKey, candidate);
    }

    /** Present while the initiator has not yet received anything in this session. */
    public PendingPreKey pendingPreKey() {
        return pendingPreKey;
    }

    public boolean canSend() {
        return sendingChain != null;
    }

    public int skippedKeyCount() {
        return skippedKeys == null ? 0 : skippedKeys.size();
    }

    /**
     * Encrypts an already padded plaintext and advances the sending chain.
     *
     * @param setupBytes the session-setup fields of the enclosing prekey message (authenticated
     *                   with the header), or an empty array for a bare ratchet message
     */
    public RatchetMessage encrypt(byte[] paddedPlaintext, byte[] setupBytes) {
        if (sendingChain == null) {
            throw new IllegalStateException("this session has not received its first message yet");
        }
        if (sendingChain.index() == Integer.MAX_VALUE) {
            throw new IllegalStateException("sending chain exhausted");
        }
        RatchetMessage message;
        try {
            // Associated data: both identities, then the prekey message's setup fields if any, then the header.
            message = RatchetMessage.seal(sendingChain.messageKey(), NONCE, sendingRatchetPublic, previousCounter,
                    sendingChain.index(), paddedPlaintext, associatedData, setupBytes);
        } catch (InvalidKeyMaterialException e) {
            throw new IllegalStateException("message key has a wrong length", e);
        }
        sendingChain = sendingChain.next();
        return message;
    }

    /**
     * Decrypts and returns the padded plaintext. The state changes only if the message
     * authenticates.
     *
     * @throws DuplicateMessageException when the message's key was already used
     * @throws InvalidMessageException when it fails authentication or would skip too many keys
     */
    public byte[] decrypt(RatchetMessage message, byte[] setupBytes) throws InvalidMessageException {
        int counter = message.counter();
        if (skippedKeys != null) {
            SkippedKeyId id = new SkippedKeyId(new RatchetPublicKey(message.ratchetKey()), counter);
            byte[] skippedKey = skippedKeys.get(id);
            if (skippedKey != null) {
                byte[] plaintext = open(skippedKey, message, setupBytes);
                skippedKeys.remove(id);
                if (skippedKeys.isEmpty()) {
                    skippedKeys = null;
                }
                return plaintext;
            }
        }

        if (receivingRatchetKey != null && message.hasRatchetKey(receivingRatchetKey)) {
            if (counter < receivingChain.index()) {
                throw new DuplicateMessageException("message " + counter + " of this chain was already received");
            }
            // The common case, the next message of the chain, skips nothing and needs no list.
            List<Map.Entry<SkippedKeyId, byte[]>> skipped =
                    counter == receivingChain.index() ? List.of() : new ArrayList<>();
            ChainKey chain = advance(receivingChain, new RatchetPublicKey(receivingRatchetKey), counter, skipped);
            byte[] plaintext = open(chain.messageKey(), message, setupBytes);
            receivingChain = chain.next();
            storeSkipped(skipped);
            return plaintext;
        }

        RatchetPublicKey theirKey = new RatchetPublicKey(message.ratchetKey());
        if (retiredReceivingKeys != null && retiredReceivingKeys.contains(theirKey)) {
            throw new DuplicateMessageException("message from an ended chain was already received");
        }
        return decryptWithNewRatchetKey(message, setupBytes, theirKey);
    }

    private byte[] decryptWithNewRatchetKey(RatchetMessage message, byte[] setupBytes, RatchetPublicKey theirKey)
            throws InvalidMessageException {
        List<Map.Entry<SkippedKeyId, byte[]>> skipped = new ArrayList<>();
        if (receivingChain != null) {
            if (message.previousCounter() < receivingChain.index()) {
                // The peer cannot have sent fewer messages on its old chain than we already read there.
                throw new InvalidMessageException("previous chain length is inconsistent");
            }
            advance(receivingChain, new RatchetPublicKey(receivingRatchetKey), message.previousCounter(), skipped);
        }
        RootKey.Step receiving;
        try {
            receiving = rootKey.step(X25519.agree(sendingRatchetPrivate, theirKey.bytes()));
        } catch (InvalidKeyMaterialException e) {
            throw new InvalidMessageException("ratchet key refused: " + e.getMessage());
        }
        ChainKey chain = advance(receiving.chainKey(), theirKey, message.counter(), skipped);
        byte[] plaintext = open(chain.messageKey(), message, setupBytes);

        // Authenticated: commit the receiving step, then ratchet our sending side.
        X25519.KeyPair nextSending = X25519.generate(CryptoRandom.get());
        RootKey.Step sending;
        try {
            sending = receiving.rootKey().step(X25519.agree(nextSending.privateKey(), theirKey.bytes()));
        } catch (InvalidKeyMaterialException e) {
            throw new IllegalStateException("authenticated ratchet key is invalid", e);
        }
        if (receivingRatchetKey != null) {
            if (retiredReceivingKeys == null) {
                retiredReceivingKeys = new ArrayDeque<>();
            }
            retiredReceivingKeys.addLast(new RatchetPublicKey(receivingRatchetKey));
            while (retiredReceivingKeys.size() > MAX_RETIRED_RECEIVING_KEYS) {
                retiredReceivingKeys.removeFirst();
            }
        }
        previousCounter = sendingChain == null ? 0 : sendingChain.index();
        receivingRatchetKey = theirKey.bytes();
        receivingChain = chain.next();
        sendingRatchetPrivate = nextSending.privateKey();
        sendingRatchetPublic = nextSending.publicKey();
        sendingChain = sending.chainKey();
        rootKey = sending.rootKey();
        pendingPreKey = null;
        storeSkipped(skipped);
        return plaintext;
    }

    /** Walks {@code chain} up to {@code target}, collecting the keys of the messages in between. */
    private static ChainKey advance(ChainKey chain, RatchetPublicKey key, int target,
                                    List<Map.Entry<SkippedKeyId, byte[]>> skipped) throws InvalidMessageException {
        // In long: a counter near Integer.MAX_VALUE plus keys already skipped on the old chain
        // must not wrap around to a small number and pass the bound.
        if ((long) target - chain.index() + skipped.size() > MAX_SKIP) {
            throw new InvalidMessageException("message would skip more than " + MAX_SKIP + " keys");
        }
        ChainKey current = chain;
        while (current.index() < target) {
            skipped.add(Map.entry(new SkippedKeyId(key, current.index()), current.messageKey()));
            current = current.next();
        }
        return current;
    }

    private void storeSkipped(List<Map.Entry<SkippedKeyId, byte[]>> skipped) {
        if (skipped.isEmpty()) {
            return; // the stored keys are within their bound already: only adding can exceed it
        }
        if (skippedKeys == null) {
            skippedKeys = new LinkedHashMap<>();
        }
        for (Map.Entry<SkippedKeyId, byte[]> entry : skipped) {
            skippedKeys.put(entry.getKey(), entry.getValue());
        }
        Iterator<SkippedKeyId> oldest = skippedKeys.keySet().iterator();
        while (skippedKeys.size() > MAX_STORED_SKIPPED_KEYS) {
            oldest.next();
            oldest.remove();
        }
    }

    private byte[] open(byte[] messageKey, RatchetMessage message, byte[] setupBytes) throws InvalidMessageException {
        try {
            return message.open(messageKey, NONCE, associatedData, setupBytes);
        } catch (AuthenticationFailedException | InvalidKeyMaterialException e) {
            throw new InvalidMessageException("message failed authentication");
        }
    }

    /** The exact number of bytes {@link #write} appends. */
    public int encodedLength() {
        int length = 1 + 2 * IDENTITY_BODY + 32 + 32 + 64
                + chainLength(sendingChain) + 1 + (receivingRatchetKey != null ? 32 : 0) + chainLength(receivingChain)
                + 4 + 2 + 32 * retiredCount() + 4 + (32 + 4 + 32) * skippedKeyCount() + 1;
        if (pendingPreKey != null) {
            length += 4 + 1 + (pendingPreKey.oneTimePreKeyId().isPresent() ? 4 : 0) + 4 + 1088;
        }
        return length;
    }

    private int retiredCount() {
        return retiredReceivingKeys == null ? 0 : retiredReceivingKeys.size();
    }

    private static int chainLength(ChainKey chain) {
        return chain == null ? 1 : 1 + 32 + 4;
    }

    /** Deterministic encoding: equal states give equal bytes. */
    public void write(ByteWriter w) {
        w.bool(initiator).fixed(associatedData, localIdentityBody(), IDENTITY_BODY)
                .fixed(associatedData, remoteIdentityBody(), IDENTITY_BODY)
                .fixed(baseKey).fixed(rootKey.keyBytes())
                .fixed(sendingRatchetPrivate).fixed(sendingRatchetPublic);
        writeChain(w, sendingChain);
        w.bool(receivingRatchetKey != null);
        if (receivingRatchetKey != null) {
            w.fixed(receivingRatchetKey);
        }
        writeChain(w, receivingChain);
        w.u32(previousCounter);
        w.u16(retiredCount());
        for (RatchetPublicKey key : retiredReceivingKeys == null ? List.<RatchetPublicKey>of() : retiredReceivingKeys) {
            w.fixed(key.bytes());
        }
        w.u32(skippedKeyCount());
        for (Map.Entry<SkippedKeyId, byte[]> entry : skippedKeys == null ? Map.<SkippedKeyId, byte[]>of().entrySet()
                : skippedKeys.entrySet()) {
            w.fixed(entry.getKey().ratchetKey().bytes()).u32(entry.getKey().counter()).fixed(entry.getValue());
        }
        w.bool(pendingPreKey != null);
        if (pendingPreKey != null) {
            w.u32(pendingPreKey.signedPreKeyId()).bool(pendingPreKey.oneTimePreKeyId().isPresent());
            if (pendingPreKey.oneTimePreKeyId().isPresent()) {
                w.u32(pendingPreKey.oneTimePreKeyId().getAsInt());
            }
            w.u32(pendingPreKey.kemPreKeyId()).fixed(pendingPreKey.kemCiphertext());
        }
    }

    public static SessionState read(ByteReader r) throws MalformedDataException {
        boolean initiator = r.bool();
        // The two identity keys go straight into the associated data they make up.
        byte[] identities = new byte[ASSOCIATED_DATA_LENGTH];
        int localBody = initiator ? INITIATOR_IDENTITY : RESPONDER_IDENTITY;
        int remoteBody = initiator ? RESPONDER_IDENTITY : INITIATOR_IDENTITY;
        r.fixedInto(identities, localBody, IDENTITY_BODY);
        r.fixedInto(identities, remoteBody, IDENTITY_BODY);
        identities[INITIATOR_IDENTITY - 2] = (byte) Tag.VERSION;
        identities[INITIATOR_IDENTITY - 1] = (byte) Tag.DEVICE_IDENTITY_KEY.code();
        identities[RESPONDER_IDENTITY - 2] = (byte) Tag.VERSION;
        identities[RESPONDER_IDENTITY - 1] = (byte) Tag.DEVICE_IDENTITY_KEY.code();
        byte[] baseKey = r.fixed(32);
        RootKey rootKey = new RootKey(r.fixed(32), true);
        byte[] sendingPrivate = r.fixed(32);
        byte[] sendingPublic = r.fixed(32);
        ChainKey sendingChain = readChain(r);
        byte[] receivingKey = r.bool() ? r.fixed(32) : null;
        ChainKey receivingChain = readChain(r);
        if ((receivingKey == null) != (receivingChain == null)) {
            throw new MalformedDataException("session state: receiving key and chain must come together");
        }
        int previousCounter = r.u32(0, Integer.MAX_VALUE);
        int retiredCount = r.u16();
        if (retiredCount > MAX_RETIRED_RECEIVING_KEYS) {
            throw new MalformedDataException("session state: too many retired keys");
        }
        ArrayDeque<RatchetPublicKey> retired = retiredCount == 0 ? null : new ArrayDeque<>(retiredCount);
        for (int i = 0; i < retiredCount; i++) {
            retired.addLast(new RatchetPublicKey(r.fixed(32)));
        }
        int skippedCount = r.u32(0, MAX_STORED_SKIPPED_KEYS);
        LinkedHashMap<SkippedKeyId, byte[]> skipped = skippedCount == 0 ? null : new LinkedHashMap<>(skippedCount * 2);
        for (int i = 0; i < skippedCount; i++) {
            skipped.put(new SkippedKeyId(new RatchetPublicKey(r.fixed(32)), r.u32(0, Integer.MAX_VALUE)), r.fixed(32));
        }
        PendingPreKey pending = null;
        if (r.bool()) {
            int spkId = r.u32();
            OptionalInt opkId = r.bool() ? OptionalInt.of(r.u32()) : OptionalInt.empty();
            pending = new PendingPreKey(spkId, opkId, r.u32(), r.fixed(1088));
        }
        return new SessionState(initiator, identities, baseKey, rootKey, sendingPrivate, sendingPublic, sendingChain,
                receivingKey, receivingChain, previousCounter, retired, skipped, pending);
    }

    private static void writeChain(ByteWriter w, ChainKey chain) {
        w.bool(chain != null);
        if (chain != null) {
            w.fixed(chain.keyBytes()).u32(chain.index());
        }
    }

    private static ChainKey readChain(ByteReader r) throws MalformedDataException {
        return r.bool() ? new ChainKey(r.fixed(32), r.u32(0, Integer.MAX_VALUE), true) : null;
    }

    /** A ratchet public key as a map key. */
    record RatchetPublicKey(byte[] bytes) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RatchetPublicKey k && Arrays.equals(bytes, k.bytes);
        }

        @Override
        public int hashCode() {
            return (bytes[0] << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
        }
    }

    record SkippedKeyId(RatchetPublicKey ratchetKey, int counter) {
    }

    @Override
    public String toString() {
        return "SessionState[" + (initiator ? "initiator" : "responder") + ", remote=" + remoteIdentity + "]";
    }
}
