package dev.vouch.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.vouch.protocol.ProtocolException;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.KemPreKeyPublic;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.OneTimePreKeyPublic;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.protocol.keys.SignedPreKey;
import dev.vouch.protocol.keys.SignedPreKeyPublic;
import dev.vouch.protocol.message.PreKeyMessage;
import dev.vouch.protocol.message.RatchetMessage;
import dev.vouch.protocol.sealed.ContentType;
import dev.vouch.protocol.sealed.SealedContent;
import dev.vouch.protocol.sealed.SealedEnvelope;
import dev.vouch.protocol.sealed.SealedSender;
import dev.vouch.protocol.sealed.SenderCertificate;
import dev.vouch.protocol.state.SessionRecord;
import dev.vouch.testing.Fuzz.Codec;
import dev.vouch.testing.Fuzz.Sample;
import dev.vouch.transparency.log.LogEntry;
import dev.vouch.transparency.log.LogSigner;
import dev.vouch.transparency.log.SignedTreeHead;
import dev.vouch.transparency.log.TreeHead;
import dev.vouch.transparency.merkle.ConsistencyProof;
import dev.vouch.transparency.merkle.InclusionProof;
import dev.vouch.transparency.merkle.MerkleTree;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One valid encoding (or a few, of different shapes) of every type in the {@link Tag} registry,
 * each with the decoder that reads it, built once per test run. Decoding tests, the encoding
 * contract test and the decoder fuzzers all draw from here, so a new type added to the registry
 * needs one entry here to be covered by all of them.
 */
public final class Encodings {
    /** The decoder of one type, re-encoding what it accepted, with valid samples of that type. */
    public record Entry(Tag tag, Codec codec, List<Sample> samples) {
        public Sample first() {
            return samples.get(0);
        }

        @Override
        public String toString() {
            return tag.name();
        }
    }

    private static final Map<Tag, Entry> ENTRIES = build();

    private Encodings() {
    }

    public static Entry of(Tag tag) {
        return ENTRIES.get(tag);
    }

    /** Every registered type, in registry order. */
    public static List<Entry> all() {
        return List.copyOf(ENTRIES.values());
    }

    private static Map<Tag, Entry> build() {
        SecureRandom random = new SecureRandom();
        AccountIdentity account = AccountIdentity.generate(random);
        DeviceIdentity device = DeviceIdentity.generate(random);
        SignedPreKey signedPreKey = SignedPreKey.generate(7, device, 1_700_000_000_000L, random);
        OneTimePreKey oneTimePreKey = OneTimePreKey.generate(8, random);
        KemPreKey kemPreKey = KemPreKey.generate(9, false, device, 1_700_000_000_001L, random);
        KemPreKey lastResort = KemPreKey.generate(10, true, device, 1_700_000_000_002L, random);
        Conversation conversation = Conversation.run(random);

        Map<Tag, Entry> entries = new EnumMap<>(Tag.class);
        add(entries, Tag.ACCOUNT_IDENTITY_KEY, b -> AccountIdentityKey.decode(b).serialize(),
                new Sample("account identity key", account.publicKey().serialize()));
        add(entries, Tag.DEVICE_IDENTITY_KEY, b -> DeviceIdentityKey.decode(b).serialize(),
                new Sample("device identity key", device.publicKey().serialize()));
        add(entries, Tag.SIGNED_PREKEY, b -> SignedPreKeyPublic.decode(b).serialize(),
                new Sample("signed prekey", signedPreKey.publicPart().serialize(), 2));
        add(entries, Tag.ONE_TIME_PREKEY, b -> OneTimePreKeyPublic.decode(b).serialize(),
                new Sample("one-time prekey", oneTimePreKey.publicPart().serialize(), 2));
        add(entries, Tag.KEM_PREKEY, b -> KemPreKeyPublic.decode(b).serialize(),
                new Sample("one-time ML-KEM prekey", kemPreKey.publicPart().serialize(), 2),
                new Sample("last-resort ML-KEM prekey", lastResort.publicPart().serialize(), 2));
        add(entries, Tag.ACCOUNT_IDENTITY_PRIVATE, b -> AccountIdentity.decodePrivate(b).serializePrivate(),
                new Sample("account identity private", account.serializePrivate()));
        add(entries, Tag.DEVICE_IDENTITY_PRIVATE, b -> DeviceIdentity.decodePrivate(b).serializePrivate(),
                new Sample("device identity private", device.serializePrivate()));
        add(entries, Tag.SIGNED_PREKEY_PRIVATE, b -> SignedPreKey.decodePrivate(b).serializePrivate(),
                new Sample("signed prekey private", signedPreKey.serializePrivate(), 2, 102, 106));
        add(entries, Tag.ONE_TIME_PREKEY_PRIVATE, b -> OneTimePreKey.decodePrivate(b).serializePrivate(),
                new Sample("one-time prekey private", oneTimePreKey.serializePrivate(), 2));
        add(entries, Tag.KEM_PREKEY_PRIVATE, b -> KemPreKey.decodePrivate(b).serializePrivate(),
                new Sample("ML-KEM prekey private", kemPreKey.serializePrivate(), 2, 135, 139),
                new Sample("last-resort ML-KEM prekey private", lastResort.serializePrivate(), 2, 135, 139));
        try {
            add(entries, Tag.PREKEY_BUNDLE, b -> PreKeyBundle.decode(b).serialize(),
                    new Sample("bundle with one-time prekey", PreKeyBundle.verified(3, device.publicKey(),
                            signedPreKey.publicPart(), oneTimePreKey.publicPart(), kemPreKey.publicPart()).serialize(),
                            2, 70, 171, 207),
                    new Sample("bundle without one-time prekey", PreKeyBundle.verified(3, device.publicKey(),
                            signedPreKey.publicPart(), null, lastResort.publicPart()).serialize(), 2, 70, 171));
        } catch (ProtocolException e) {
            throw new AssertionError("own bundle must verify", e);
        }
        add(entries, Tag.RATCHET_MESSAGE, b -> RatchetMessage.decode(b).serialize(), conversation.ratchetMessages());
        add(entries, Tag.PREKEY_MESSAGE, b -> PreKeyMessage.decode(b).serialize(), conversation.preKeyMessages());
        add(entries, Tag.SESSION_RECORD, b -> SessionRecord.decode(b).serialize(), conversation.sessionRecords());
        addSealed(entries, device, conversation, random);
        try {
            DeviceIdentity second = DeviceIdentity.generate(random);
            add(entries, Tag.SIGNED_DEVICE_LIST, b -> SignedDeviceList.decode(b, account.publicKey()).serialize(),
                    new Sample("device list of one", SignedDeviceList.sign(account, "alice", 1, List.of(
                            new SignedDeviceList.Device(1, device.publicKey(), "Laptop",
                                    java.time.Instant.ofEpochMilli(1_700_000_000_000L)))).serialize(), 8, 12, 17),
                    new Sample("device list of two, one unnamed", SignedDeviceList.sign(account, "alice", 7, List.of(
                            new SignedDeviceList.Device(1, device.publicKey(), "Laptop",
                                    java.time.Instant.ofEpochMilli(1_700_000_000_000L)),
                            new SignedDeviceList.Device(2, second.publicKey(), "",
                                    java.time.Instant.ofEpochMilli(1_700_000_000_123L)))).serialize(), 8, 12, 17));
        } catch (ProtocolException e) {
            throw new AssertionError("own device list must sign", e);
        }
        addTransparency(entries, account, random);
        if (entries.size() != Tag.values().length) {
            throw new AssertionError("every registered type needs a sample here");
        }
        return entries;
    }

    /** Envelopes and their layer-2 contents around a prekey message and a ratchet message. */
    private static void addSealed(Map<Tag, Entry> entries, DeviceIdentity sender, Conversation conversation,
                                  SecureRandom random) {
        DeviceIdentity recipient = DeviceIdentity.generate(random);
        SenderCertificate certificate = new SenderCertificate("alice", 1, sender.publicKey());
        List<Sample> contents = new ArrayList<>();
        List<Sample> envelopes = new ArrayList<>();
        byte[][] inners = {conversation.ratchetMessages().get(0).bytes(), new byte[] {1, 2, 3}};
        String[] names = {"around a ratchet message", "around three bytes"};
        try {
            for (int i = 0; i < inners.length; i++) {
                SealedContent content = new SealedContent(certificate, ContentType.SESSION_MESSAGE, inners[i]);
                contents.add(sealedContent("sealed content " + names[i], content.serialize()));
            }
            envelopes.add(sealedEnvelope("sealed envelope around a ratchet message", SealedSender.seal(sender,
                    certificate, recipient.publicKey(), ContentType.SESSION_MESSAGE, inners[0], random)));
        } catch (ProtocolException e) {
            throw new AssertionError("sealing a sample must succeed", e);
        }
        add(entries, Tag.SEALED_CONTENT, b -> SealedContent.decode(b).serialize(), contents);
        add(entries, Tag.SEALED_ENVELOPE, b -> SealedEnvelope.decode(b).serialize(), envelopes);
    }

    /** Tree heads, a log entry and proofs of several shapes from one small log. */
    private static void addTransparency(Map<Tag, Entry> entries, AccountIdentity account, SecureRandom random) {
        MerkleTree tree = new MerkleTree();
        for (int i = 0; i < 11; i++) {
            tree.append(new byte[] {(byte) i});
        }
        LogSigner signer = LogSigner.generate(random);
        TreeHead head = new TreeHead(11, tree.root(), 1_700_000_000_000L);
        TreeHead empty = new TreeHead(0, tree.root(0), 1_600_000_000_000L);
        int[] headFields = {2, 6, 42, 46}; // u64 size and timestamp, as two u32 halves each
        int[] proofFields = {2, 6, 10, 14}; // the two u64 sizes (or index and size)
        add(entries, Tag.TREE_HEAD, b -> TreeHead.decode(b).serialize(),
                new Sample("tree head of 11 leaves", head.serialize(), headFields),
                new Sample("tree head of the empty tree", empty.serialize(), headFields));
        add(entries, Tag.SIGNED_TREE_HEAD, b -> SignedTreeHead.decode(b).serialize(),
                new Sample("signed tree head of 11 leaves", signer.sign(head).serialize(), headFields),
                new Sample("signed tree head of the empty tree", signer.sign(empty).serialize(), headFields));
        byte[] entry = new LogEntry("alice", account.publicKey(), new byte[32], 3).serialize();
        byte[] longHandle = new LogEntry("zoë".repeat(16), account.publicKey(), new byte[32], Long.MAX_VALUE).serialize();
        add(entries, Tag.LOG_ENTRY, b -> LogEntry.decode(b).serialize(),
                new Sample("log entry", entry, entry.length - 8, entry.length - 4),
                new Sample("log entry with a 64-byte handle", longHandle, longHandle.length - 8, longHandle.length - 4));
        add(entries, Tag.INCLUSION_PROOF, b -> InclusionProof.decode(b).serialize(),
                new Sample("inclusion proof of leaf 5 of 11", tree.inclusionProof(5, 11).serialize(), proofFields),
                new Sample("inclusion proof of leaf 10 of 11", tree.inclusionProof(10, 11).serialize(), proofFields),
                new Sample("inclusion proof in a tree of one leaf", tree.inclusionProof(0, 1).serialize(), proofFields));
        add(entries, Tag.CONSISTENCY_PROOF, b -> ConsistencyProof.decode(b).serialize(),
                new Sample("consistency proof from 3 to 11", tree.consistencyProof(3, 11).serialize(), proofFields),
                new Sample("consistency proof from 4 to 11", tree.consistencyProof(4, 11).serialize(), proofFields),
                new Sample("consistency proof between equal sizes", tree.consistencyProof(7, 7).serialize(), proofFields));
    }

    /** Sealed content as a fuzzing sample, with its device id and inner length as u32 fields. */
    public static Sample sealedContent(String name, byte[] bytes) {
        return new Sample(name, bytes, 68, 136);
    }

    /** A sealed envelope as a fuzzing sample, with its layer-2 length as u32 field. */
    public static Sample sealedEnvelope(String name, byte[] bytes) {
        return new Sample(name, bytes, 116);
    }

    /** A ratchet message as a fuzzing sample, with its counters as u32 fields. */
    public static Sample ratchetMessage(String name, byte[] bytes) {
        return new Sample(name, bytes, 34, 38);
    }

    /** A prekey message as a fuzzing sample, with its prekey ids, inner length and inner counters as u32 fields. */
    public static Sample preKeyMessage(String name, byte[] bytes) {
        boolean oneTime = bytes[102] == 1;
        int length = (oneTime ? 107 : 103) + 4 + 1088;
        int inner = length + 4;
        return oneTime
                ? new Sample(name, bytes, 98, 103, 107, length, inner + 34, inner + 38)
                : new Sample(name, bytes, 98, 103, length, inner + 34, inner + 38);
    }

    private static void add(Map<Tag, Entry> entries, Tag tag, Codec codec, Sample... samples) {
        add(entries, tag, codec, List.of(samples));
    }

    private static void add(Map<Tag, Entry> entries, Tag tag, Codec codec, List<Sample> samples) {
        for (Sample sample : samples) {
            if ((sample.bytes()[1] & 0xFF) != tag.code()) {
                throw new AssertionError(sample + " is not a " + tag);
            }
        }
        entries.put(tag, new Entry(tag, codec, List.copyOf(samples)));
    }

    /**
     * Messages and session records of several shapes, from one conversation: prekey messages with
     * and without a one-time prekey, ratchet messages in both directions, and records that are
     * pending, have skipped and retired keys, and hold previous sessions (simultaneous setup).
     */
    private record Conversation(List<Sample> preKeyMessages, List<Sample> ratchetMessages, List<Sample> sessionRecords) {
        static Conversation run(SecureRandom random) {
            try {
                Party alice = new Party("alice", 1, random);
                Party bob = new Party("bob", 1, random);
                Party carol = new Party("carol", 2, random);
                List<Sample> preKey = new ArrayList<>();
                List<Sample> ratchet = new ArrayList<>();
                List<Sample> records = new ArrayList<>();

                alice.builderFor(bob).process(bob.bundle());
                records.add(record("pending initiator record", alice, bob));
                byte[] first = alice.cipherFor(bob).encrypt("hello".getBytes(UTF_8));
                preKey.add(preKeyMessage("prekey message with one-time prekey", first));
                carol.builderFor(bob).process(bob.lastResortBundle());
                preKey.add(preKeyMessage("prekey message without one-time prekey",
                        carol.cipherFor(bob).encrypt(new byte[300])));
                bob.cipherFor(alice).decrypt(first);
                records.add(record("fresh responder record", bob, alice));

                byte[] lost = alice.cipherFor(bob).encrypt(new byte[] {1});
                bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(new byte[] {2}));
                ratchet.add(ratchetMessage("ratchet message, responder to initiator",
                        bob.cipherFor(alice).encrypt("reply".getBytes(UTF_8))));
                for (int i = 0; i < 3; i++) {
                    alice.cipherFor(bob).decrypt(bob.cipherFor(alice).encrypt(new byte[] {3}));
                    bob.cipherFor(alice).decrypt(alice.cipherFor(bob).encrypt(new byte[] {4}));
                }
                ratchet.add(ratchetMessage("ratchet message, initiator to responder, 512-byte bucket",
                        alice.cipherFor(bob).encrypt(new byte[400])));
                records.add(record("record with skipped and retired keys", bob, alice));
                bob.cipherFor(alice).decrypt(lost);

                bob.builderFor(alice).process(alice.bundle()); // simultaneous setup: both sides keep two sessions
                alice.cipherFor(bob).decrypt(bob.cipherFor(alice).encrypt(new byte[] {5}));
                records.add(record("record with a previous session", alice, bob));
                records.add(record("record with a pending current session and a previous one", bob, alice));
                return new Conversation(preKey, ratchet, records);
            } catch (ProtocolException e) {
                throw new AssertionError("the sample conversation must succeed", e);
            }
        }

        private static Sample record(String name, Party owner, Party remote) {
            byte[] bytes = owner.store().rawSession(remote.address()).orElseThrow();
            return new Sample(name, bytes, SessionRecordLayout.u32Fields(bytes));
        }
    }

    /** Finds the u32 (and u16 count) fields of a serialized session record, following SessionState.write. */
    private static final class SessionRecordLayout {
        private final byte[] data;
        private final List<Integer> fields = new ArrayList<>();
        private int pos;

        private SessionRecordLayout(byte[] data) {
            this.data = data;
        }

        static int[] u32Fields(byte[] record) {
            SessionRecordLayout layout = new SessionRecordLayout(record);
            layout.pos = 2;
            int previous = record[layout.pos++];
            for (int i = 0; i <= previous; i++) {
                layout.state();
            }
            if (layout.pos != record.length) {
                throw new AssertionError("session record layout out of step with SessionState.write");
            }
            return layout.fields.stream().mapToInt(Integer::intValue).toArray();
        }

        private void state() {
            pos += 1 + 64 + 64 + 32 + 32 + 64;
            chain();
            if (data[pos++] == 1) {
                pos += 32;
            }
            chain();
            u32();
            fields.add(pos);
            int retired = ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
            pos += 2 + 32 * retired;
            int skipped = u32();
            for (int i = 0; i < skipped; i++) {
                pos += 32;
                u32();
                pos += 32;
            }
            if (data[pos++] == 1) {
                u32();
                boolean oneTime = data[pos++] == 1;
                if (oneTime) {
                    u32();
                }
                u32();
                pos += 1088;
            }
        }

        private void chain() {
            if (data[pos++] == 1) {
                pos += 32;
                u32();
            }
        }

        private int u32() {
            fields.add(pos);
            int v = ((data[pos] & 0xFF) << 24) | ((data[pos + 1] & 0xFF) << 16) | ((data[pos + 2] & 0xFF) << 8)
                    | (data[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }
    }
}
