package dev.vouch.relay.server;

import static dev.vouch.relay.server.SqliteRelayStorageTest.accountKey;
import static dev.vouch.relay.server.SqliteRelayStorageTest.device;
import static dev.vouch.relay.server.SqliteRelayStorageTest.deviceKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.relay.server.RelayStorage.Device;
import dev.vouch.relay.server.RelayStorage.Registration;
import dev.vouch.relay.server.TransparencyLog.Indexed;
import dev.vouch.store.sqlite.Database;
import dev.vouch.store.sqlite.Migrations;
import dev.vouch.transparency.log.DeviceListHash;
import dev.vouch.transparency.log.LogEntry;
import dev.vouch.transparency.log.TreeHead;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay's log in its SQLite file: which registrations append which entry (in their own
 * transaction), proofs that verify with the client's pure functions, and a log that survives
 * reopening and refuses to open when its stored hashes were changed.
 */
class SqliteTransparencyLogTest {
    private static final Instant T0 = Instant.parse("2026-11-27T12:00:00Z");
    private static final DeviceAddress ALICE = new DeviceAddress("alice", 1);
    private static final DeviceAddress ALICE_2 = new DeviceAddress("alice", 2);
    private static final byte[] BINDING = "binding".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    SqliteRelayStorage storage;

    @BeforeEach
    void open() throws Exception {
        storage = SqliteRelayStorage.open(dir);
    }

    @AfterEach
    void close() {
        if (storage != null) {
            storage.close();
        }
    }

    private static LogEntry expected(String handle, int accountKey, Map<Integer, Integer> deviceKeys, long version)
            throws Exception {
        Map<Integer, DeviceIdentityKey> devices = new TreeMap<>();
        for (Map.Entry<Integer, Integer> d : deviceKeys.entrySet()) {
            devices.put(d.getKey(), DeviceIdentityKey.decode(deviceKey(d.getValue())));
        }
        return new LogEntry(handle, AccountIdentityKey.decode(accountKey(accountKey)), DeviceListHash.of(devices), version);
    }

    private List<LogEntry> entries() throws Exception {
        TransparencyLog log = storage.log();
        return log.entries(0, log.size()).stream().map(Indexed::entry).toList();
    }

    /** Every entry is proven included in the log's current head, by the client's own check. */
    private void everyEntryVerifies() throws Exception {
        TransparencyLog log = storage.log();
        long size = log.size();
        TreeHead head = new TreeHead(size, log.root(size), 0);
        for (Indexed e : log.entries(0, size)) {
            head.verifyInclusion(e.entry(), log.inclusionProof(e.index(), size));
        }
    }

    @Test
    void aNewAccountANewDeviceAndAReplacedDeviceKeyEachAppendAndARepeatedRegistrationDoesNot() throws Exception {
        assertThat(storage.register(device(ALICE, 1, 1, 1), BINDING, T0)).isEqualTo(Registration.CREATED);
        assertThat(entries()).containsExactly(expected("alice", 1, Map.of(1, 1), 1));

        // the same device again (an access-key rotation): nothing to log
        assertThat(storage.register(device(ALICE, 1, 1, 2), BINDING, T0)).isEqualTo(Registration.UPDATED);
        assertThat(storage.log().size()).isEqualTo(1);

        assertThat(storage.register(device(ALICE_2, 1, 2, 1), BINDING, T0)).isEqualTo(Registration.CREATED);
        assertThat(storage.register(device(ALICE, 1, 9, 3), BINDING, T0)).isEqualTo(Registration.REPLACED);
        // refused: another account key for the handle
        assertThat(storage.register(device(ALICE, 7, 7, 3), BINDING, T0)).isEqualTo(Registration.TAKEN);
        assertThat(storage.register(device(new DeviceAddress("bob", 1), 2, 3, 1), BINDING, T0))
                .isEqualTo(Registration.CREATED);

        assertThat(entries()).containsExactly(
                expected("alice", 1, Map.of(1, 1), 1),
                expected("alice", 1, Map.of(1, 1, 2, 2), 2),
                expected("alice", 1, Map.of(1, 9, 2, 2), 3),
                expected("bob", 2, Map.of(1, 3), 1));
        everyEntryVerifies();

        TransparencyLog log = storage.log();
        assertThat(log.newest("alice", log.size())).contains(new Indexed(2, expected("alice", 1, Map.of(1, 9, 2, 2), 3)));
        assertThat(log.newest("alice", 2)).contains(new Indexed(1, expected("alice", 1, Map.of(1, 1, 2, 2), 2)));
        assertThat(log.newest("bob", 3)).isEmpty();
        assertThat(log.newest("nobody", log.size())).isEmpty();
    }

    @Test
    void aRegistrationThatFailsAppendsNothingAndTheLogCarriesOn() throws Exception {
        storage.register(device(ALICE, 1, 1, 1), BINDING, T0);
        // a key the log cannot read fails the whole registration: neither the account nor an entry is stored
        Device unreadable = new Device(new DeviceAddress("bob", 1), new byte[] {1, 2, 3}, deviceKey(2), new byte[] {1});
        assertThatThrownBy(() -> storage.register(unreadable, BINDING, T0)).isInstanceOf(RelayStorageException.class);
        assertThat(storage.device(new DeviceAddress("bob", 1))).isEmpty();
        assertThat(storage.log().size()).isEqualTo(1);

        storage.register(device(new DeviceAddress("bob", 1), 2, 2, 1), BINDING, T0);
        assertThat(entries()).containsExactly(expected("alice", 1, Map.of(1, 1), 1), expected("bob", 2, Map.of(1, 2), 1));
        everyEntryVerifies();
    }

    @Test
    void theLogSurvivesReopeningAndGoesOnFromWhereItWas() throws Exception {
        for (int i = 0; i < 13; i++) {
            storage.register(device(new DeviceAddress("user" + i, 1), 100 + i, 100 + i, 1), BINDING, T0);
        }
        storage.register(device(new DeviceAddress("user3", 2), 103, 200, 1), BINDING, T0);
        long size = storage.log().size();
        byte[] root = storage.log().root(size);
        List<LogEntry> before = entries();
        storage.close();

        storage = SqliteRelayStorage.open(dir);
        assertThat(storage.log().size()).isEqualTo(size).isEqualTo(14);
        assertThat(storage.log().root(size)).isEqualTo(root);
        assertThat(entries()).isEqualTo(before);
        storage.register(device(new DeviceAddress("user3", 3), 103, 201, 1), BINDING, T0);
        assertThat(storage.log().newest("user3", 15)).contains(new Indexed(14,
                expected("user3", 103, Map.of(1, 103, 2, 200, 3, 201), 3)));
        everyEntryVerifies();
        // the head of the old size is still the same, and the new log extends it
        new TreeHead(size, root, 0).verifyConsistency(new TreeHead(15, storage.log().root(15), 0),
                storage.log().consistencyProof(size, 15));
    }

    @Test
    void registrationsFromManyThreadsAllLandInTheLogInCommitOrder() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Registration>> done = new ArrayList<>();
            for (int i = 0; i < 64; i++) {
                int n = i;
                done.add(pool.submit(() -> storage.register(device(new DeviceAddress("racer" + n, 1), 300 + n, 300 + n, 1),
                        BINDING, T0)));
            }
            for (Future<Registration> f : done) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(Registration.CREATED);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(entries()).hasSize(64).extracting(LogEntry::handle).doesNotHaveDuplicates();
        everyEntryVerifies();
        byte[] root = storage.log().root(64);
        storage.close();
        storage = SqliteRelayStorage.open(dir);
        assertThat(storage.log().root(64)).as("the tree in memory is the one on disk").isEqualTo(root);
    }

    @Test
    void aStoredLogWhoseHashesWereChangedDoesNotOpen() throws Exception {
        for (int i = 0; i < 6; i++) {
            storage.register(device(new DeviceAddress("user" + i, 1), 100 + i, 100 + i, 1), BINDING, T0);
        }
        storage.close();
        storage = null;
        Path file = dir.resolve(SqliteRelayStorage.FILE_NAME);
        // the proofs come from the leaf hashes; the stored subtrees that later appends build on
        // (for 6 leaves: leaves 0-3 and 4-5) must agree with them
        for (String node : new String[] {"level = 2 AND idx = 0", "level = 1 AND idx = 2", "level = 0 AND idx = 4"}) {
            byte[] original;
            try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = raw.createStatement();
                 var rs = st.executeQuery("SELECT hash FROM log_nodes WHERE " + node)) {
                assertThat(rs.next()).isTrue();
                original = rs.getBytes(1);
            }
            setNode(file, node, new byte[32]);
            assertThatThrownBy(() -> SqliteRelayStorage.open(dir)).as(node).isInstanceOf(RelayStorageException.class)
                    .hasMessageContaining("do not match");
            setNode(file, node, original);
        }
        SqliteRelayStorage.open(dir).close();

        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = raw.createStatement()) {
            st.execute("DELETE FROM log_leaves WHERE idx = 5");
        }
        assertThatThrownBy(() -> SqliteRelayStorage.open(dir)).isInstanceOf(RelayStorageException.class)
                .hasMessageContaining("5 entries for 6 leaf hashes");
    }

    private static void setNode(Path file, String node, byte[] hash) throws SQLException {
        try (Connection raw = DriverManager.getConnection("jdbc:sqlite:" + file);
             PreparedStatement st = raw.prepareStatement("UPDATE log_nodes SET hash = ? WHERE " + node)) {
            st.setBytes(1, hash);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
    }

    /** A database from before the log (schema 2) gets one entry per account on opening, oldest account first. */
    @Test
    void aDatabaseFromBeforeTheLogLogsEveryAccountOnce() throws Exception {
        Path old = dir.resolve("schema-2");
        Files.createDirectories(old);
        try (Database v2 = Database.open(old.resolve(SqliteRelayStorage.FILE_NAME), true,
                new Migrations("relay", List.of("V1__initial.sql", "V2__device_binding.sql")))) {
            v2.transaction(c -> {
                insertAccount(c, 1, "zoe", 1, Map.of(1, 1, 2, 2));
                insertAccount(c, 2, "adam", 2, Map.of(1, 3));
                return null;
            });
        }
        storage.close();
        storage = SqliteRelayStorage.open(old);
        assertThat(entries()).containsExactly(expected("zoe", 1, Map.of(1, 1, 2, 2), 1), expected("adam", 2, Map.of(1, 3), 1));
        everyEntryVerifies();
        storage.close();
        storage = SqliteRelayStorage.open(old);
        assertThat(storage.log().size()).as("once").isEqualTo(2);
    }

    private static void insertAccount(Connection c, int id, String handle, int accountKey, Map<Integer, Integer> devices)
            throws SQLException {
        try (PreparedStatement account = c.prepareStatement(
                "INSERT INTO accounts (id, handle, account_key, created_at) VALUES (?, ?, ?, 0)");
             PreparedStatement device = c.prepareStatement("INSERT INTO devices (account, device_id, device_key,"
                     + " device_binding, access_key, created_at) VALUES (?, ?, ?, x'00', x'00', 0)")) {
            account.setInt(1, id);
            account.setString(2, handle);
            account.setBytes(3, accountKey(accountKey));
            account.executeUpdate();
            for (Map.Entry<Integer, Integer> d : devices.entrySet()) {
                device.setInt(1, id);
                device.setInt(2, d.getKey());
                device.setBytes(3, deviceKey(d.getValue()));
                device.executeUpdate();
            }
        }
    }
}
