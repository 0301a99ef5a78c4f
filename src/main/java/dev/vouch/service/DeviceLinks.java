package dev.vouch.service;

import dev.vouch.archive.profile.ArchiveItem;
import dev.vouch.archive.profile.ContentsReader;
import dev.vouch.archive.profile.ProfileExporter;
import dev.vouch.archive.profile.ProfileImporter;
import dev.vouch.archive.profile.TransferMonitor;
import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.crypto.AuthenticationFailedException;
import dev.vouch.protocol.crypto.Hkdf;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.protocol.crypto.Sha;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.qr.LinkCode;
import dev.vouch.relay.api.Frames;
import dev.vouch.relay.client.RelayClient;
import dev.vouch.store.StoreException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The provisioning channel of a device link (docs/devices.md, "Linking"): mailbox names, the sealed
 * offer (existing device to new device) and the sealed reply (new device to existing device), and
 * their payloads. Sealing is X25519 between the new device's code key and a fresh key of the
 * existing device, HKDF-SHA-256 with the code's one-time secret as salt, and AES-256-GCM; the relay
 * carries only the sealed bytes and cannot open, alter or forge either message without the secret,
 * which travels only in the code shown on the new device's screen.
 */
final class DeviceLinks {
    /** How long a link code is valid: as long as the relay keeps a provisioning mailbox. */
    static final Duration CODE_LIFETIME = Duration.ofMinutes(10);
    /** Newest messages per conversation a link carries at most; halved until the offer fits. */
    static final int RECENT_MESSAGES = 200;
    /** How often a waiting device asks for its provisioning mailbox. */
    static final Duration POLL = Duration.ofMillis(250);

    private static final int VERSION = 1;
    private static final byte[] KDF_INFO = "Vouch device link v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFER_AAD = "Vouch device link offer v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] REPLY_AAD = "Vouch device link reply v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MAILBOX_LABEL = "Vouch device link mailbox v1\0".getBytes(StandardCharsets.US_ASCII);

    private DeviceLinks() {
    }

    /** The mailbox the offer goes to: named from the code alone, so only its holders know it. */
    static String offerMailbox(LinkCode code) {
        return mailbox(code, 1);
    }

    /** The mailbox the new device answers in. */
    static String replyMailbox(LinkCode code) {
        return mailbox(code, 2);
    }

    private static String mailbox(LinkCode code, int direction) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                Sha.sha256(MAILBOX_LABEL, code.secret(), code.ephemeralKey(), new byte[] {(byte) direction}));
    }

    /** What a used code is remembered by on the accepting device (never the secret itself). */
    static String codeId(LinkCode code) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(
                Sha.sha256("Vouch device link code id v1\0".getBytes(StandardCharsets.US_ASCII), code.secret()));
    }

    /** The two channel keys: offer, then reply. */
    private static byte[][] keys(byte[] shared, LinkCode code, byte[] existingEphemeral) {
        byte[] info = new ByteWriter().fixed(KDF_INFO).fixed(code.ephemeralKey()).fixed(existingEphemeral).toByteArray();
        byte[] okm = Hkdf.derive(code.secret(), shared, info, 2 * AesGcm.KEY_LENGTH);
        return new byte[][] {java.util.Arrays.copyOfRange(okm, 0, 32), java.util.Arrays.copyOfRange(okm, 32, 64)};
    }

    // ----- the offer: existing device -> new device

    /** The account, sealed for the new device; holds the account key, never this device's own keys. */
    record Offer(String handle, AccountIdentity accountIdentity, byte[] profileKey, int deviceId, String deviceName,
                 DeviceIdentityKey deviceKey, SignedDeviceList currentList, String invite, byte[] contents) {
        byte[] encode() {
            return new ByteWriter().u8(VERSION).bytes(handle.getBytes(StandardCharsets.UTF_8))
                    .bytes(accountIdentity.serializePrivate()).bytes(profileKey).u32(deviceId)
                    .bytes(deviceName.getBytes(StandardCharsets.UTF_8)).bytes(deviceKey.serialize())
                    .bytes(currentList.serialize()).bytes(invite.getBytes(StandardCharsets.UTF_8)).bytes(contents)
                    .toByteArray();
        }

        static Offer decode(byte[] data) throws MalformedDataException {
            ByteReader r = new ByteReader(data, "link offer");
            if (r.u8() != VERSION) {
                throw new MalformedDataException("link offer: unknown version");
            }
            String handle = new String(r.bytes(64), StandardCharsets.UTF_8);
            AccountIdentity account = AccountIdentity.decodePrivate(r.bytes(256));
            byte[] profileKey = r.bytes(64);
            int deviceId = r.u32(1, Integer.MAX_VALUE);
            String name = new String(r.bytes(SignedDeviceList.MAX_NAME_BYTES), StandardCharsets.UTF_8);
            DeviceIdentityKey key = DeviceIdentityKey.decode(r.bytes(256));
            SignedDeviceList list;
            try {
                list = SignedDeviceList.decode(r.bytes(SignedDeviceList.MAX_ENCODED_LENGTH), account.publicKey());
            } catch (InvalidSignatureException e) {
                throw new MalformedDataException("link offer: the device list is not signed by the account key");
            }
            String invite = new String(r.bytes(LinkCode.MAX_INVITE_BYTES), StandardCharsets.UTF_8);
            byte[] contents = r.bytes(Frames.MAX_PROVISION);
            r.end();
            return new Offer(handle, account, profileKey, deviceId, name, key, list, invite, contents);
        }
    }

    /** An opened offer, with the reply key for the answer. */
    record Opened(Offer offer, byte[] replyKey, byte[] existingEphemeral) {
    }

    static Opened openOffer(LinkCode code, byte[] ephemeralPrivate, byte[] sealed) throws LinkRefusedException {
        try {
            ByteReader r = new ByteReader(sealed, "sealed link offer");
            if (r.u8() != VERSION) {
                throw new MalformedDataException("unknown version");
            }
            byte[] theirs = r.fixed(X25519.KEY_LENGTH);
            byte[] nonce = r.fixed(AesGcm.NONCE_LENGTH);
            byte[][] keys = keys(X25519.agree(ephemeralPrivate, theirs), code, theirs);
            byte[] plain = AesGcm.decrypt(keys[0], nonce, r.rest(), aad(OFFER_AAD, code, theirs));
            return new Opened(Offer.decode(plain), keys[1], theirs);
        } catch (MalformedDataException | InvalidKeyMaterialException | AuthenticationFailedException
                 | IllegalArgumentException e) {
            throw tampered("the provisioning message", e);
        }
    }

    // ----- the reply: new device -> existing device

    /** The new device registered as {@code deviceId} with {@code deviceKey}, bound by the account key. */
    record Reply(int deviceId, DeviceIdentityKey deviceKey) {
    }

    static byte[] sealReply(Opened opened, LinkCode code, Reply reply, SecureRandom random) {
        byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
        random.nextBytes(nonce);
        byte[] plain = new ByteWriter().u8(VERSION).u32(reply.deviceId()).bytes(reply.deviceKey().serialize())
                .toByteArray();
        try {
            byte[] sealed = AesGcm.encrypt(opened.replyKey(), nonce, plain,
                    aad(REPLY_AAD, code, opened.existingEphemeral()));
            return new ByteWriter().u8(VERSION).fixed(nonce).fixed(sealed).toByteArray();
        } catch (InvalidKeyMaterialException e) {
            throw new IllegalStateException("a derived key has the wrong length", e);
        }
    }

    /** Opens the reply with the key this device derived when it sealed the offer. */
    static Reply openReply(byte[] replyKey, byte[] existingEphemeral, LinkCode code, byte[] sealed)
            throws LinkRefusedException {
        try {
            ByteReader r = new ByteReader(sealed, "sealed link reply");
            if (r.u8() != VERSION) {
                throw new MalformedDataException("unknown version");
            }
            byte[] nonce = r.fixed(AesGcm.NONCE_LENGTH);
            ByteReader plain = new ByteReader(AesGcm.decrypt(replyKey, nonce, r.rest(),
                    aad(REPLY_AAD, code, existingEphemeral)), "link reply");
            if (plain.u8() != VERSION) {
                throw new MalformedDataException("unknown version");
            }
            Reply reply = new Reply(plain.u32(1, Integer.MAX_VALUE), DeviceIdentityKey.decode(plain.bytes(256)));
            plain.end();
            return reply;
        } catch (MalformedDataException | InvalidKeyMaterialException | AuthenticationFailedException
                 | IllegalArgumentException e) {
            throw tampered("the new device's answer", e);
        }
    }

    /**
     * The offer sealed to the code, {@code 01 | existing ephemeral (32) | nonce (12) | AES-GCM}, with
     * the key and ephemeral this device opens the reply with.
     */
    record Sealed(byte[] bytes, byte[] replyKey, byte[] existingEphemeral) {
    }

    static Sealed sealOffer(LinkCode code, Offer offer, SecureRandom random) throws LinkRefusedException {
        X25519.KeyPair ephemeral = X25519.generate(random);
        try {
            byte[][] keys = keys(X25519.agree(ephemeral.privateKey(), code.ephemeralKey()), code, ephemeral.publicKey());
            byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
            random.nextBytes(nonce);
            byte[] sealed = AesGcm.encrypt(keys[0], nonce, offer.encode(), aad(OFFER_AAD, code, ephemeral.publicKey()));
            return new Sealed(new ByteWriter().u8(VERSION).fixed(ephemeral.publicKey()).fixed(nonce).fixed(sealed)
                    .toByteArray(), keys[1], ephemeral.publicKey());
        } catch (InvalidKeyMaterialException e) {
            throw new LinkRefusedException(LinkRefusedException.Reason.NOT_A_LINK_CODE,
                    "the link code's key is not usable: " + e.getMessage());
        }
    }

    private static byte[] aad(byte[] label, LinkCode code, byte[] existingEphemeral) {
        return new ByteWriter().fixed(label).fixed(code.ephemeralKey()).fixed(code.deviceKey()).fixed(existingEphemeral)
                .toByteArray();
    }

    private static LinkRefusedException tampered(String what, Exception e) {
        return new LinkRefusedException(LinkRefusedException.Reason.TAMPERED, what + " does not open: it was altered,"
                + " or it is not for this link code (" + e.getMessage() + ")");
    }

    // ----- the transfer

    /** The contacts, key history and newest messages, in the archive contents format (scope LINK). */
    static byte[] contents(dev.vouch.store.ProfileStore store, java.time.Clock clock, int perConversation)
            throws StoreException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            new ProfileExporter(store, clock).export(ArchiveItem.Scope.LINK, perConversation, out, TransferMonitor.NONE);
        } catch (IOException e) {
            throw new StoreException("cannot write the link's contents: " + e.getMessage(), e);
        }
        return out.toByteArray();
    }

    /** Merges the transferred contents into the new device's profile, all or nothing. */
    static ProfileImporter.Result importContents(dev.vouch.store.ProfileStore store, byte[] contents)
            throws LinkRefusedException, StoreException {
        try (ContentsReader reader = new ContentsReader(new ByteArrayInputStream(contents))) {
            if (reader.header().scope() != ArchiveItem.Scope.LINK) {
                throw new LinkRefusedException(LinkRefusedException.Reason.TAMPERED,
                        "the provisioning message carries contents of another kind than a link's");
            }
            return new ProfileImporter(store).importFrom(reader, TransferMonitor.NONE);
        } catch (IOException e) {
            throw new LinkRefusedException(LinkRefusedException.Reason.TAMPERED,
                    "the provisioning message's contents do not read: " + e.getMessage());
        }
    }

    /**
     * Asks a provisioning mailbox every {@link #POLL} until it holds a message, {@code wait} has
     * passed, or the code expires by {@code clock}.
     */
    static Optional<byte[]> poll(RelayClient relay, String mailbox, Duration wait, Instant expiry, java.time.Clock clock)
            throws RelayFailureException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            Optional<byte[]> found = RelayCalls.await(relay.fetchProvision(mailbox));
            if (found.isPresent() || System.nanoTime() - deadline >= 0 || !clock.instant().isBefore(expiry)) {
                return found;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RelayFailureException("interrupted while waiting for the other device");
            }
        }
    }
}
