package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.relay.server.RelayStorage.AccountDevices;
import dev.vouch.relay.server.RelayStorage.BoundDevice;
import dev.vouch.relay.server.RelayStorage.ClaimedAccount;
import dev.vouch.relay.server.RelayStorage.ClaimedDevice;
import dev.vouch.relay.server.RelayStorage.Device;
import dev.vouch.relay.server.RelayStorage.PreKey;
import dev.vouch.relay.server.RelayStorage.PreKeyCounts;
import dev.vouch.relay.server.RelayStorage.PreKeyUpload;
import dev.vouch.relay.server.RelayStorage.Quota;
import dev.vouch.relay.server.RelayStorage.Registration;
import dev.vouch.store.sqlite.Database;
import dev.vouch.store.sqlite.Migrations;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteRelayStorageTest {
    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    private static final DeviceAddress ALICE = new DeviceAddress("alice", 1);
    private static final byte[] BINDING = bytes("binding");

    @TempDir
    Path dir;
    SqliteRelayStorage storage;

    @BeforeEach
    void open() throws Exception {
        storage = SqliteRelayStorage.open(dir);
    }

    @AfterEach
    void close() {
        storage.close();
    }

    /** Real keys, one per number, since every registration logs the account key and device keys. */
    private static final Map<Integer, byte[]> ACCOUNT_KEYS = new ConcurrentHashMap<>();
    private static final Map<Integer, byte[]> DEVICE_KEYS = new ConcurrentHashMap<>();

    static byte[] accountKey(int n) {
        return ACCOUNT_KEYS.computeIfAbsent(n, k -> AccountIdentity.generate(new SecureRandom()).publicKey().serialize())
                .clone();
    }

    static byte[] deviceKey(int n) {
        return DEVICE_KEYS.computeIfAbsent(n, k -> DeviceIdentity.generate(new SecureRandom()).publicKey().serialize())
                .clone();
    }

    static Device device(DeviceAddress address, int accountKey, int deviceKey, int accessKey) {
        return new Device(address, accountKey(accountKey), deviceKey(deviceKey), new byte[] {(byte) accessKey});
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void registrationCreatesUpdatesAndRefusesTakenHandles() throws Exception {
        assertThat(storage.register(device(ALICE, 1, 1, 1), BINDING, T0)).isEqualTo(Registration.CREATED);
        assertThat(storage.device(ALICE)).contains(device(ALICE, 1, 1, 1));
        // the same device again rotates its access key
        assertThat(storage.register(device(ALICE, 1, 1, 2), BINDING, T0)).isEqualTo(Registration.UPDATED);
        assertThat(storage.device(ALICE).orElseThrow().accessKey()).containsExactly(2);
        // another account key: taken, nothing changes
        assertThat(storage.register(device(ALICE, 9, 1, 3), BINDING, T0)).isEqualTo(Registration.TAKEN);
        assertThat(storage.register(device(ALICE, 9, 9, 3), BINDING, T0)).isEqualTo(Registration.TAKEN);
        assertThat(storage.device(ALICE)).contains(device(ALICE, 1, 1, 2));
        // a second device of the same account
        DeviceAddress second = new DeviceAddress("alice", 2);
        assertThat(storage.register(device(second, 1, 2, 4), BINDING, T0)).isEqualTo(Registration.CREATED);
        assertThat(storage.device(new DeviceAddress("bob", 1))).isEmpty();
    }

    @Test
    void aListThatDropsADeviceRemovesItForGoodInTheSameTransaction() throws Exception {
        DeviceAddress second = new DeviceAddress("alice", 2);
        storage.register(device(ALICE, 1, 1, 1), BINDING, T0);
        storage.register(device(second, 1, 2, 1), BINDING, T0);
        storage.storeEnvelope(second, "e1", bytes("for the laptop"), T0, Quota.DEFAULT);
        assertThat(storage.publishDeviceList("alice", accountKey(1), 1, Map.of(1, deviceKey(1), 2, deviceKey(2)),
                bytes("list 1"), java.util.Set.of(), T0)).isEqualTo(RelayStorage.ListUpdate.STORED);
        assertThat(storage.deviceList("alice")).hasValueSatisfying(l -> assertThat(l).isEqualTo(bytes("list 1")));

        assertThat(storage.publishDeviceList("alice", accountKey(1), 2, Map.of(1, deviceKey(1)), bytes("list 2"),
                java.util.Set.of(2), T0)).isEqualTo(RelayStorage.ListUpdate.STORED);
        assertThat(storage.device(second)).as("removed, and not served from the cache either").isEmpty();
        assertThat(storage.removed(second)).isTrue();
        assertThat(storage.removed(ALICE)).isFalse();
        assertThat(storage.lookup("alice").orElseThrow().devices()).extracting(RelayStorage.BoundDevice::deviceId)
                .containsExactly(1);
        assertThat(storage.deviceList("alice")).hasValueSatisfying(l -> assertThat(l).isEqualTo(bytes("list 2")));
        assertThat(storage.register(device(second, 1, 2, 1), BINDING, T0)).as("an id is never given out again")
                .isEqualTo(Registration.REMOVED);
        assertThat(storage.device(second)).isEmpty();
        assertThat(storage.register(device(new DeviceAddress("alice", 3), 1, 3, 1), BINDING, T0))
                .isEqualTo(Registration.CREATED);
        // a refused list removes nothing
        assertThat(storage.publishDeviceList("alice", accountKey(1), 2, Map.of(3, deviceKey(3)), bytes("list 2b"),
                java.util.Set.of(1), T0)).isEqualTo(RelayStorage.ListUpdate.NOT_NEWER);
        assertThat(storage.device(ALICE)).isPresent();
        assertThat(storage.removed(ALICE)).isFalse();
    }

    @Test
    void prekeysAreCountedClaimedOnceAndFallBackToLastResort() throws Exception {
        storage.register(device(ALICE, 1, 1, 1), BINDING, T0);
        PreKeyCounts counts = storage.storePreKeys(ALICE, new PreKeyUpload(Optional.of(bytes("spk")),
                List.of(new PreKey(1, bytes("o1")), new PreKey(2, bytes("o2"))),
                List.of(new PreKey(7, bytes("k7"))), Optional.of(bytes("last"))), 100);
        assertThat(counts).isEqualTo(new PreKeyCounts(2, 1));

        ClaimedAccount first = storage.claimPreKeys("alice").orElseThrow();
        assertThat(first.accountKey()).isEqualTo(accountKey(1));
        assertThat(first.devices()).hasSize(1);
        assertThat(first.devices().get(0).deviceBinding()).isEqualTo(BINDING);
        assertThat(first.devices().get(0).signedPreKey()).isEqualTo(bytes("spk"));
        assertThat(first.devices().get(0).oneTimePreKey()).hasValueSatisfying(k -> assertThat(k).isEqualTo(bytes("o1")));
        assertThat(first.devices().get(0).kemPreKey()).isEqualTo(bytes("k7"));
        assertThat(storage.preKeyCounts(ALICE)).isEqualTo(new PreKeyCounts(1, 0));

        // the ML-KEM one-time keys ran out: no one-time X25519 key either (it is not spent), and the last-resort key
        ClaimedAccount second = storage.claimPreKeys("alice").orElseThrow();
        assertThat(second.devices().get(0).oneTimePreKey()).isEmpty();
        assertThat(second.devices().get(0).kemPreKey()).isEqualTo(bytes("last"));
        assertThat(storage.preKeyCounts(ALICE)).isEqualTo(new PreKeyCounts(1, 0));

        // a new ML-KEM key makes a pair again, with the X25519 key that was kept
        storage.storePreKeys(ALICE, new PreKeyUpload(Optional.empty(), List.of(), List.of(new PreKey(8, bytes("k8"))),
                Optional.empty()), 100);
        ClaimedAccount third = storage.claimPreKeys("alice").orElseThrow();
        assertThat(third.devices().get(0).oneTimePreKey()).hasValueSatisfying(k -> assertThat(k).isEqualTo(bytes("o2")));
        assertThat(third.devices().get(0).kemPreKey()).isEqualTo(bytes("k8"));

        // the X25519 ones ran out while an ML-KEM one is left: the same fallback, and the ML-KEM key is kept
        storage.storePreKeys(ALICE, new PreKeyUpload(Optional.empty(), List.of(), List.of(new PreKey(9, bytes("k9"))),
                Optional.empty()), 100);
        ClaimedAccount fourth = storage.claimPreKeys("alice").orElseThrow();
        assertThat(fourth.devices().get(0).oneTimePreKey()).isEmpty();
        assertThat(fourth.devices().get(0).kemPreKey()).isEqualTo(bytes("last"));
        assertThat(storage.preKeyCounts(ALICE)).isEqualTo(new PreKeyCounts(0, 1));
        assertThat(storage.claimPreKeys("nobody")).isEmpty();
    }

    @Test
    void lookupListsEveryBoundDeviceAndSpendsNoPrekey() throws Exception {
        DeviceAddress second = new DeviceAddress("alice", 2);
        storage.register(device(second, 1, 2, 2), bytes("binding-2"), T0);
        storage.register(device(ALICE, 1, 1, 1), bytes("binding-1"), T0);
        storage.storePreKeys(ALICE, new PreKeyUpload(Optional.of(bytes("spk")), List.of(new PreKey(1, bytes("o1"))),
                List.of(new PreKey(1, bytes("k1"))), Optional.of(bytes("last"))), 100);

        AccountDevices found = storage.lookup("alice").orElseThrow();
        assertThat(found.accountKey()).isEqualTo(accountKey(1));
        assertThat(found.devices()).extracting(BoundDevice::deviceId).containsExactly(1, 2);
        assertThat(found.devices().get(0).deviceKey()).isEqualTo(deviceKey(1));
        assertThat(found.devices().get(0).deviceBinding()).isEqualTo(bytes("binding-1"));
        assertThat(found.devices().get(1).deviceBinding()).isEqualTo(bytes("binding-2"));
        assertThat(storage.preKeyCounts(ALICE)).isEqualTo(new PreKeyCounts(1, 1));
        assertThat(storage.lookup("nobody")).isEmpty();

        // registering the same device again replaces its binding along with its access key
        assertThat(storage.register(device(ALICE, 1, 1, 3), bytes("binding-1b"), T0)).isEqualTo(Registration.UPDATED);
        assertThat(storage.lookup("alice").orElseThrow().devices().get(0).deviceBinding())
                .isEqualTo(bytes("binding-1b"));
        // a refused registration changes nothing
        assertThat(storage.register(device(ALICE, 9, 1, 3), bytes("forged"), T0)).isEqualTo(Registration.TAKEN);
        assertThat(storage.lookup("alice").orElseThrow().devices().get(0).deviceBinding())
                .isEqualTo(bytes("binding-1b"));
    }

    /**
     * The same device id with another device key, bound by the same account key (a reinstalled
     * device): its key, binding and access key are replaced, and the prekeys its old key signed
     * are dropped, so no bundle pairs the new key with them.
     */
    @Test
    void aDeviceRegisteredAgainWithAnotherKeyReplacesItAndDropsItsPrekeys() throws Exception {
        DeviceAddress second = new DeviceAddress("alice", 2);
        storage.register(device(ALICE, 1, 1, 1), bytes("binding-1"), T0);
        storage.register(device(second, 1, 2, 2), bytes("binding-2"), T0);
        for (DeviceAddress d : List.of(ALICE, second)) {
            storage.storePreKeys(d, new PreKeyUpload(Optional.of(bytes("spk")), List.of(new PreKey(1, bytes("o1"))),
                    List.of(new PreKey(1, bytes("k1"))), Optional.of(bytes("last"))), 100);
        }

        assertThat(storage.register(device(ALICE, 1, 9, 3), bytes("binding-9"), T0)).isEqualTo(Registration.REPLACED);
        assertThat(storage.device(ALICE)).contains(device(ALICE, 1, 9, 3));
        AccountDevices found = storage.lookup("alice").orElseThrow();
        assertThat(found.devices().get(0).deviceKey()).isEqualTo(deviceKey(9));
        assertThat(found.devices().get(0).deviceBinding()).isEqualTo(bytes("binding-9"));
        assertThat(storage.preKeyCounts(ALICE)).isEqualTo(new PreKeyCounts(0, 0));
        // the replaced device has no signed prekey until it uploads one; the other device is untouched
        assertThat(storage.claimPreKeys("alice").orElseThrow().devices()).extracting(ClaimedDevice::deviceId)
                .containsExactly(2);
        assertThat(storage.preKeyCounts(second)).isEqualTo(new PreKeyCounts(0, 0));
    }

    /**
     * A relay database from before bindings were kept (schema 1) opens; its devices still
     * authenticate and receive, but are left out of lookup and bundles, spending no prekey, until
     * they register again.
     */
    @Test
    void aSchemaOneDatabaseOpensAndItsDevicesAreListedOnceTheyRegisterAgain() throws Exception {
        Path old = dir.resolve("schema-1");
        Files.createDirectories(old);
        try (Database v1 = Database.open(old.resolve(SqliteRelayStorage.FILE_NAME), true,
                new Migrations("relay", List.of("V1__initial.sql")))) {
            v1.transaction(c -> {
                try (Statement st = c.createStatement()) {
                    st.execute("INSERT INTO accounts (id, handle, account_key, created_at) VALUES (1, 'alice', x'"
                            + HexFormat.of().formatHex(accountKey(1)) + "', 0)");
                    st.execute("INSERT INTO devices (id, account, device_id, device_key, access_key, signed_prekey,"
                            + " last_resort_kem_prekey, created_at) VALUES (1, 1, 1, x'" + HexFormat.of().formatHex(deviceKey(1))
                            + "', x'01', x'73706b', x'6c617374', 0)");
                    st.execute("INSERT INTO one_time_prekeys (device, key_id, encoded) VALUES (1, 1, x'6f31')");
                    st.execute("INSERT INTO kem_prekeys (device, key_id, encoded) VALUES (1, 1, x'6b31')");
                }
                return null;
            });
        }
        storage.close();
        storage = SqliteRelayStorage.open(old);
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + old.resolve(SqliteRelayStorage.FILE_NAME));
             Statement st = raw.createStatement(); ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isEqualTo(SqliteRelayStorage.MIGRATIONS.latest()).isEqualTo(5);
        }
        assertThat(storage.device(ALICE)).contains(device(ALICE, 1, 1, 1));
        assertThat(storage.lookup("alice").orElseThrow().devices()).isEmpty();
        assertThat(storage.claimPreKeys("alice").orElseThrow().devices()).isEmpty();
        assertThat(storage.preKeyCounts(ALICE)).isEqualTo(new PreKeyCounts(1, 1));

        assertThat(storage.register(device(ALICE, 1, 1, 1), BINDING, T0)).isEqualTo(Registration.UPDATED);
        assertThat(storage.lookup("alice").orElseThrow().devices()).singleElement()
                .satisfies(d -> assertThat(d.deviceBinding()).isEqualTo(BINDING));
        var claimed = storage.claimPreKeys("alice").orElseThrow().devices();
        assertThat(claimed).singleElement().satisfies(d -> {
            assertThat(d.deviceBinding()).isEqualTo(BINDING);
            assertThat(d.oneTimePreKey()).hasValueSatisfying(k -> assertThat(k).isEqualTo(bytes("o1")));
        });
    }

    @Test
    void aDeviceWithoutSignedOrKemPrekeysIsLeftOutOfTheBundles() throws Exception {
        storage.register(device(ALICE, 1, 1, 1), BINDING, T0);
        assertThat(storage.claimPreKeys("alice").orElseThrow().devices()).isEmpty();
        storage.storePreKeys(ALICE, new PreKeyUpload(Optional.of(bytes("spk")), List.of(new PreKey(1, bytes("o1"))),
                List.of(), Optional.empty()), 100);
        assertThat(storage.claimPreKeys("alice").orElseThrow().devices()).isEmpty();
        // the one-time X25519 key was not spent on a bundle that could not be handed out
        assertThat(storage.preKeyCounts(ALICE)).isEqualTo(new PreKeyCounts(1, 0));
    }

    @Test
    void anUploadOverTheLimitStoresNothing() throws Exception {
        storage.register(device(ALICE, 1, 1, 1), BINDING, T0);
        storage.storePreKeys(ALICE, new PreKeyUpload(Optional.empty(),
                List.of(new PreKey(1, bytes("a")), new PreKey(2, bytes("b"))), List.of(), Optional.empty()), 3);
        assertThatThrownBy(() -> storage.storePreKeys(ALICE, new PreKeyUpload(Optional.of(bytes("spk")),
                List.of(new PreKey(3, bytes("c")), new PreKey(4, bytes("d"))), List.of(), Optional.empty()), 3))
                .isInstanceOf(QuotaExceededException.class);
        assertThat(storage.preKeyCounts(ALICE)).isEqualTo(new PreKeyCounts(2, 0));
        // the signed prekey of the refused upload was rolled back too
        storage.storePreKeys(ALICE, new PreKeyUpload(Optional.empty(), List.of(), List.of(new PreKey(1, bytes("k"))),
                Optional.empty()), 3);
        assertThat(storage.claimPreKeys("alice").orElseThrow().devices()).isEmpty();
    }

    @Test
    void concurrentClaimsNeverHandOutAKeyTwice() throws Exception {
        storage.register(device(ALICE, 1, 1, 1), BINDING, T0);
        int keys = 150;
        storage.storePreKeys(ALICE, new PreKeyUpload(Optional.of(bytes("spk")),
                IntStream.range(0, keys).mapToObj(i -> new PreKey(i, bytes("o" + i))).toList(),
                IntStream.range(0, keys).mapToObj(i -> new PreKey(i, bytes("k" + i))).toList(),
                Optional.of(bytes("last"))), 1000);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<List<String>>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                Callable<List<String>> claims = () -> {
                    List<String> got = new ArrayList<>();
                    for (int i = 0; i < 12; i++) {
                        var d = storage.claimPreKeys("alice").orElseThrow().devices().get(0);
                        d.oneTimePreKey().ifPresent(k -> got.add(new String(k, StandardCharsets.UTF_8)));
                        got.add(new String(d.kemPreKey(), StandardCharsets.UTF_8));
                    }
                    return got;
                };
                futures.add(pool.submit(claims));
            }
            List<String> all = new ArrayList<>();
            for (Future<List<String>> f : futures) {
                all.addAll(f.get(60, TimeUnit.SECONDS));
            }
            List<String> oneTime = all.stream().filter(s -> s.startsWith("o")).toList();
            List<String> kem = all.stream().filter(s -> s.startsWith("k")).toList();
            Set<String> unique = new HashSet<>(oneTime);
            assertThat(unique).hasSize(oneTime.size()).hasSize(keys);
            assertThat(new HashSet<>(kem)).hasSize(kem.size()).hasSize(keys);
            assertThat(all).filteredOn("last"::equals).hasSize(16 * 12 - keys);
            assertThat(storage.preKeyCounts(ALICE)).isEqualTo(new PreKeyCounts(0, 0));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void mailboxesStoreListDeleteExpireAndEnforceTheQuota() throws Exception {
        storage.register(device(ALICE, 1, 1, 1), BINDING, T0);
        DeviceAddress bob = new DeviceAddress("bob", 1);
        storage.register(device(bob, 2, 2, 2), BINDING, T0);
        Quota quota = new Quota(3, 10);
        storage.storeEnvelope(ALICE, "e1", bytes("aaaa"), T0, quota);
        storage.storeEnvelope(ALICE, "e2", bytes("bbbb"), T0.plusSeconds(10), quota);
        assertThatThrownBy(() -> storage.storeEnvelope(ALICE, "e3", bytes("ccc"), T0, quota))
                .isInstanceOf(QuotaExceededException.class); // 11 bytes > 10
        storage.storeEnvelope(ALICE, "e3", bytes("cc"), T0.plusSeconds(20), quota);
        assertThatThrownBy(() -> storage.storeEnvelope(ALICE, "e4", bytes("d"), T0, quota))
                .isInstanceOf(QuotaExceededException.class); // a fourth envelope
        storage.storeEnvelope(bob, "b1", bytes("bob"), T0, quota);

        var listed = storage.envelopes(ALICE, 0, 10);
        assertThat(listed).extracting(RelayStorage.Envelope::envelopeId).containsExactly("e1", "e2", "e3");
        assertThat(storage.envelopes(ALICE, listed.get(0).seq(), 1)).extracting(RelayStorage.Envelope::envelopeId)
                .containsExactly("e2");
        assertThat(listed.get(1).received()).isEqualTo(T0.plusSeconds(10));

        // another device's envelope id does nothing to it
        assertThat(storage.deleteEnvelope(ALICE, "b1")).isFalse();
        assertThat(storage.envelopes(bob, 0, 10)).hasSize(1);
        assertThat(storage.deleteEnvelope(ALICE, "e1")).isTrue();
        assertThat(storage.deleteEnvelope(ALICE, "e1")).isFalse();
        // deleting gave room back
        storage.storeEnvelope(ALICE, "e5", bytes("eeee"), T0.plusSeconds(30), quota);

        assertThat(storage.deleteEnvelopesReceivedBefore(T0.plusSeconds(15))).isEqualTo(2); // e2 and b1
        assertThat(storage.envelopes(ALICE, 0, 10)).extracting(RelayStorage.Envelope::envelopeId)
                .containsExactly("e3", "e5");
        assertThat(storage.envelopes(bob, 0, 10)).isEmpty();
        storage.storeEnvelope(ALICE, "e6", bytes("ff"), T0, quota);
        assertThat(Quota.DEFAULT).isEqualTo(new Quota(10_000, 256L * 1024 * 1024));
    }

    @Test
    void theDatabaseIsInWalMode() throws Exception {
        storage.register(device(ALICE, 1, 1, 1), BINDING, T0);
        byte[] header = java.nio.file.Files.readAllBytes(dir.resolve(SqliteRelayStorage.FILE_NAME));
        assertThat(header[18]).as("file format write version 2 = WAL").isEqualTo((byte) 2);
        assertThat(header[19]).as("file format read version 2 = WAL").isEqualTo((byte) 2);
    }

    @Test
    void storedStateSurvivesReopening() throws Exception {
        storage.register(device(ALICE, 1, 1, 1), BINDING, T0);
        storage.storeEnvelope(ALICE, "e1", bytes("sealed"), T0, Quota.DEFAULT);
        storage.close();
        storage = SqliteRelayStorage.open(dir);
        assertThat(storage.device(ALICE)).isPresent();
        assertThat(storage.envelopes(ALICE, 0, 10)).singleElement()
                .satisfies(e -> assertThat(e.body()).isEqualTo(bytes("sealed")));
    }
}
