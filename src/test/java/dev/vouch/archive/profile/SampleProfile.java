package dev.vouch.archive.profile;

import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.SignedPreKey;
import dev.vouch.service.MessageUids;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.dao.MessageDao;
import dev.vouch.store.dao.ProtocolStateDao;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.ProfileKey;
import dev.vouch.store.model.VerificationState;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A real profile (SQLite, sealed columns) filled at the store level with one of everything an
 * archive carries: settings, the account, contacts in each verification state with key history and
 * devices, prekeys of every kind, and conversations of messages with and without message ids.
 */
final class SampleProfile {
    static final Argon2id.Params FAST = new Argon2id.Params(64, 1, 1);
    static final Instant START = Instant.parse("2026-11-01T09:00:00Z");
    static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-28T12:00:00Z"), ZoneOffset.UTC);

    private SampleProfile() {
    }

    /** An empty profile in {@code dir}, unlocked. */
    static ProfileStore empty(Path dir) throws Exception {
        return ProfileStore.create(dir, "store passphrase".toCharArray(), FAST, CLOCK);
    }

    /** A profile of {@code handle} with {@code messages} messages spread over three conversations. */
    static ProfileStore create(Path dir, String handle, int messages, long seed) throws Exception {
        SecureRandom random = new SecureRandom();
        ProfileStore store = empty(dir);
        DeviceIdentity device = DeviceIdentity.generate(random);
        store.accounts().save(new Account(handle, 1, AccountIdentity.generate(random), device));
        store.settings().put("relay.invite", "vouch-relay://127.0.0.1:4433#pins");
        store.settings().put("account.profile-key", "c2VjcmV0IHByb2ZpbGUga2V5IGJ5dGVzIDMyIGxvbmc=");
        store.settings().put("account.registered", "1764000000000");
        store.settings().put("prekeys.next-one-time-id", "3");
        store.settings().put("log.head", "a signed tree head");
        store.settings().put("review.remind-later.dave", "1764100000000");

        ProtocolStateDao protocol = store.protocolState();
        protocol.storeSignedPreKey(SignedPreKey.generate(7, device, START.toEpochMilli(), random));
        protocol.storeOneTimePreKey(OneTimePreKey.generate(1, random));
        protocol.storeOneTimePreKey(OneTimePreKey.generate(2, random));
        protocol.storeKemPreKey(KemPreKey.generate(9, true, device, START.toEpochMilli(), random));

        String[] peers = {"bob", "carol", "dave"};
        VerificationState[] states = {VerificationState.VERIFIED, VerificationState.UNVERIFIED,
            VerificationState.CHANGED_AFTER_VERIFIED};
        for (int i = 0; i < peers.length; i++) {
            Contact c = store.contacts().add(peers[i], peers[i].toUpperCase(), START.plus(Duration.ofHours(i)));
            AccountIdentity theirs = AccountIdentity.generate(random);
            byte[] profileKey = new byte[ProfileKey.LENGTH];
            random.nextBytes(profileKey);
            store.contacts().update(new Contact(c.id(), c.handle(), c.displayName(), states[i],
                    java.util.Optional.of(theirs.publicKey()), c.addedAt(), java.util.Optional.of(new ProfileKey(profileKey))));
            store.contacts().addEvent(c.id(), c.addedAt(), KeyEvent.Type.FIRST_SEEN, "account key 1111 2222");
            if (states[i] != VerificationState.UNVERIFIED) {
                store.contacts().addEvent(c.id(), c.addedAt().plusSeconds(60), KeyEvent.Type.VERIFIED, "by QR code");
            }
            if (states[i] == VerificationState.CHANGED_AFTER_VERIFIED) {
                store.contacts().addEvent(c.id(), c.addedAt().plusSeconds(120), KeyEvent.Type.ACCOUNT_KEY_CHANGED,
                        "1111 2222 -> 3333 4444");
            }
            protocol.saveIdentity(new ProtocolAddress(peers[i], 1), DeviceIdentity.generate(random).publicKey());
        }
        fill(store, handle, messages, seed);
        return store;
    }

    /** Adds {@code count} messages round-robin to bob, carol and dave, in batches. */
    static void fill(ProfileStore store, String handle, int count, long seed) throws Exception {
        Random random = new Random(seed);
        String[] peers = {"bob", "carol", "dave"};
        long[] conversations = new long[peers.length];
        for (int i = 0; i < peers.length; i++) {
            conversations[i] = store.conversations().open(peers[i]);
        }
        MessageStatus[] outgoing = {MessageStatus.DELIVERED, MessageStatus.SENT, MessageStatus.QUEUED, MessageStatus.HELD,
            MessageStatus.FAILED};
        MessageStatus[] incoming = {MessageStatus.READ, MessageStatus.UNREAD};
        List<MessageDao.NewMessage> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int p = i % peers.length;
            boolean ours = random.nextBoolean();
            Instant sent = START.plus(Duration.ofDays(seed)).plusSeconds(37L * i);
            String text = "message " + i + " " + "x".repeat(random.nextInt(120));
            MessageBody body = MessageBody.text(ours ? Direction.OUTGOING : Direction.INCOMING, ours ? handle : peers[p],
                    1, sent, sent.plusMillis(250), text);
            if (i % 4 != 0) {
                byte[] id = new byte[16];
                random.nextBytes(id);
                body = body.withMessageId(id);
            }
            byte[] uid = MessageUids.of(body); // as the messenger stores them
            MessageStatus status = ours ? outgoing[random.nextInt(outgoing.length)] : incoming[random.nextInt(incoming.length)];
            batch.add(new MessageDao.NewMessage(conversations[p], uid, status, body));
            if (batch.size() == 10_000) {
                store.messages().insertAll(batch);
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.messages().insertAll(batch);
        }
    }

    /**
     * Everything the profile holds, as the exporter reads it, in a byte string: two profiles hold
     * the same things exactly when their snapshots are equal (the clock is fixed, so the header is too).
     */
    static byte[] snapshot(ProfileStore store, ArchiveItem.Scope scope) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new ProfileExporter(store, CLOCK).export(scope, out, TransferMonitor.NONE);
        return out.toByteArray();
    }
}
