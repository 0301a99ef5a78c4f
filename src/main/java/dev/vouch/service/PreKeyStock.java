package dev.vouch.service;

import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.KemPreKeyPublic;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.OneTimePreKeyPublic;
import dev.vouch.protocol.keys.SignedPreKey;
import dev.vouch.protocol.state.StateUnavailableException;
import dev.vouch.relay.client.RelayClient;
import dev.vouch.relay.client.RelayConnection;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.dao.ProtocolStateDao;
import dev.vouch.store.dao.SettingsDao;
import dev.vouch.store.model.Account;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Keeps this device's prekeys stocked on the relay (docs/client-transport.md, "Prekeys"): tops up
 * one-time X25519 and ML-KEM prekeys when the relay holds fewer than {@link #LOW_WATER} of either,
 * and replaces the signed prekey and the last-resort ML-KEM prekey once a week. Private parts are
 * stored before the public parts are uploaded, so a crash in between only wastes ids.
 */
final class PreKeyStock {
    static final int BATCH = 100;
    static final int LOW_WATER = 25;
    static final Duration ROTATION = Duration.ofDays(7);
    /** How long a replaced signed prekey is kept: the relay's mailbox expiry, plus a day. */
    static final Duration RETENTION = Duration.ofDays(31);

    private static final String NEXT_ONE_TIME = "prekeys.next-one-time-id";
    private static final String NEXT_KEM = "prekeys.next-kem-id";
    private static final String NEXT_SIGNED = "prekeys.next-signed-id";
    private static final String SIGNED_AT = "prekeys.signed-rotated-at";
    private static final String SIGNED_ID = "prekeys.signed-id";
    private static final String LAST_RESORT_ID = "prekeys.last-resort-id";
    /** Replaced signed prekeys still kept, as {@code id:replacedAtMillis} separated by commas. */
    private static final String SIGNED_HISTORY = "prekeys.signed-replaced";

    private final ProfileStore store;
    private final SettingsDao settings;
    private final ProtocolStateDao keys;
    private final Account account;
    private final Clock clock;
    private final SecureRandom random;

    PreKeyStock(ProfileStore store, ProtocolStateDao keys, Account account, Clock clock, SecureRandom random) {
        this.store = store;
        this.settings = store.settings();
        this.keys = keys;
        this.account = account;
        this.clock = clock;
        this.random = random;
    }

    /** Asks the relay for its counts and uploads what is missing or due; returns the counts after. */
    RelayConnection.PreKeyCounts maintain(RelayClient relay) throws ServiceException, StoreException {
        RelayConnection.PreKeyCounts counts = RelayCalls.await(relay.preKeyCounts());
        long rotatedAt = settings.get(SIGNED_AT).map(Long::parseLong).orElse(0L);
        boolean rotate = clock.millis() - rotatedAt >= ROTATION.toMillis() || settings.get(SIGNED_ID).isEmpty();
        if (!rotate && counts.oneTime() >= LOW_WATER && counts.kem() >= LOW_WATER) {
            return counts;
        }
        try {
            int oneTimeCount = counts.oneTime() < LOW_WATER ? BATCH : 0;
            int kemCount = counts.kem() < LOW_WATER ? BATCH : 0;
            Batch batch = generate(rotate, oneTimeCount, kemCount);
            RelayConnection.PreKeyCounts after = RelayCalls.await(relay.uploadPreKeys(batch.signed.publicPart(),
                    batch.oneTime, batch.kem, batch.lastResort.map(KemPreKey::publicPart)));
            if (rotate) {
                rotated(batch);
            }
            return after;
        } catch (StateUnavailableException e) {
            throw new StoreException("could not store new prekeys: " + e.getMessage());
        }
    }

    /**
     * Records a rotation only once the relay has the new keys (a failed upload rotates again next
     * time), and deletes signed prekeys replaced more than {@link #RETENTION} ago: by then the
     * relay has dropped every envelope that could still name them.
     */
    private void rotated(Batch batch) throws StoreException, StateUnavailableException {
        long now = clock.millis();
        List<String> kept = new ArrayList<>();
        List<Integer> expired = new ArrayList<>();
        for (String entry : settings.get(SIGNED_HISTORY).orElse("").split(",")) {
            if (entry.isEmpty()) {
                continue;
            }
            String[] idAndReplacedAt = entry.split(":");
            if (now - Long.parseLong(idAndReplacedAt[1]) > RETENTION.toMillis()) {
                expired.add(Integer.parseInt(idAndReplacedAt[0]));
            } else {
                kept.add(entry);
            }
        }
        Optional<String> previous = settings.get(SIGNED_ID);
        previous.ifPresent(id -> kept.add(id + ":" + now));
        store.context().database().transaction(connection -> {
            try {
                for (int id : expired) {
                    keys.removeSignedPreKey(id);
                }
            } catch (StateUnavailableException e) {
                throw new StoreException(e.getMessage());
            }
            settings.put(SIGNED_HISTORY, String.join(",", kept));
            settings.put(SIGNED_ID, Integer.toString(batch.signed.id()));
            settings.put(LAST_RESORT_ID, Integer.toString(batch.lastResort.orElseThrow().id()));
            settings.put(SIGNED_AT, Long.toString(now));
            return null;
        });
    }

    private record Batch(SignedPreKey signed, List<OneTimePreKeyPublic> oneTime, List<KemPreKeyPublic> kem,
                         Optional<KemPreKey> lastResort) {
    }

    /** Generates and stores the keys of one upload in one transaction. */
    private Batch generate(boolean rotate, int oneTimeCount, int kemCount) throws StoreException, StateUnavailableException {
        return store.context().database().transaction(connection -> {
            long now = clock.millis();
            try {
                SignedPreKey signed;
                Optional<KemPreKey> lastResort = Optional.empty();
                if (rotate) {
                    int signedId = next(NEXT_SIGNED, 1);
                    signed = SignedPreKey.generate(signedId, account.deviceIdentity(), now, random);
                    keys.storeSignedPreKey(signed);
                    KemPreKey resort = KemPreKey.generate(next(NEXT_KEM, 1), true, account.deviceIdentity(), now, random);
                    keys.storeKemPreKey(resort);
                    lastResort = Optional.of(resort);
                } else {
                    int signedId = Integer.parseInt(settings.get(SIGNED_ID).orElseThrow());
                    signed = keys.loadSignedPreKey(signedId).orElseThrow(() -> new StoreException(
                            "the current signed prekey " + signedId + " is missing from the store"));
                }
                List<OneTimePreKeyPublic> oneTime = new ArrayList<>(oneTimeCount);
                int oneTimeFrom = next(NEXT_ONE_TIME, oneTimeCount);
                for (int i = 0; i < oneTimeCount; i++) {
                    OneTimePreKey key = OneTimePreKey.generate(oneTimeFrom + i, random);
                    keys.storeOneTimePreKey(key);
                    oneTime.add(key.publicPart());
                }
                List<KemPreKeyPublic> kem = new ArrayList<>(kemCount);
                int kemFrom = next(NEXT_KEM, kemCount);
                for (int i = 0; i < kemCount; i++) {
                    KemPreKey key = KemPreKey.generate(kemFrom + i, false, account.deviceIdentity(), now, random);
                    keys.storeKemPreKey(key);
                    kem.add(key.publicPart());
                }
                return new Batch(signed, oneTime, kem, lastResort);
            } catch (StateUnavailableException e) {
                throw new StoreException(e.getMessage());
            }
        });
    }

    /** Reserves {@code count} consecutive ids (1 upward, wrapping before the 24-bit limit) and returns the first. */
    private int next(String counter, int count) throws StoreException {
        int first = settings.get(counter).map(Integer::parseInt).orElse(1);
        if (first + count >= 0xFFFFFF) {
            first = 1;
        }
        settings.put(counter, Integer.toString(first + count));
        return first;
    }
}
