package dev.vouch.testing;

import dev.vouch.relay.api.Invite;
import dev.vouch.relay.server.Limits;
import dev.vouch.relay.server.RelayEvents;
import dev.vouch.relay.server.RelayServer;
import dev.vouch.relay.server.SqliteRelayStorage;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real relay in this JVM for tests above the relay: its own SQLite file and TLS identity in a
 * temporary folder, listening on an ephemeral loopback port, on a clock the test moves. Tests may
 * read its database (as an operator could) to see which envelopes wait in a mailbox.
 */
public final class LocalRelay implements AutoCloseable {
    private final RelayServer server;
    private final Path data;
    private final MutableClock clock;

    private LocalRelay(RelayServer server, Path data, MutableClock clock) {
        this.server = server;
        this.data = data;
        this.clock = clock;
    }

    public static LocalRelay start(Path data, MutableClock clock, Limits limits) throws Exception {
        RelayServer server = RelayServer.start(new RelayServer.Config("127.0.0.1", 0, data, clock, limits,
                RelayEvents.NONE));
        return new LocalRelay(server, data, clock);
    }

    /**
     * A relay whose {@code lookup} can serve other device lists than the stored ones (a relay
     * misbehaving towards one client); {@code swapping} receives the storage to steer.
     */
    public static LocalRelay startSwapping(Path data, MutableClock clock, Limits limits,
                                           java.util.function.Consumer<ListSwappingStorage> swapping) throws Exception {
        java.nio.file.Files.createDirectories(data);
        ListSwappingStorage storage = new ListSwappingStorage(SqliteRelayStorage.open(data));
        swapping.accept(storage);
        RelayServer server = RelayServer.start(new RelayServer.Config("127.0.0.1", 0, data, clock, limits,
                RelayEvents.NONE), storage);
        return new LocalRelay(server, data, clock);
    }

    /** One stored envelope with the id of the device whose mailbox holds it. */
    public record DeviceEnvelope(int deviceId, String envelopeId, byte[] body) {
        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    /** The envelopes waiting for each of {@code handle}'s devices, oldest first, from the relay's database file. */
    public List<DeviceEnvelope> mailboxes(String handle) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(SqliteRelayStorage.FILE_NAME));
             PreparedStatement st = c.prepareStatement("SELECT d.device_id, e.envelope_id, e.body FROM envelopes e"
                     + " JOIN devices d ON e.device = d.id JOIN accounts a ON d.account = a.id"
                     + " WHERE a.handle = ? ORDER BY e.seq")) {
            st.setString(1, handle);
            List<DeviceEnvelope> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new DeviceEnvelope(rs.getInt(1), rs.getString(2), rs.getBytes(3)));
                }
            }
            return out;
        }
    }

    /** An invite that stays valid for a year of the relay's clock. */
    public Invite invite() {
        return server.invite("127.0.0.1", clock.instant().plus(Duration.ofDays(365)));
    }

    public MutableClock clock() {
        return clock;
    }

    /** One envelope waiting in a mailbox, as the relay stored it. */
    public record StoredEnvelope(String envelopeId, byte[] body) {
        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    /** The envelopes waiting for {@code handle}'s devices, oldest first, read from the relay's database file. */
    public List<StoredEnvelope> mailbox(String handle) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + data.resolve(SqliteRelayStorage.FILE_NAME));
             PreparedStatement st = c.prepareStatement("SELECT e.envelope_id, e.body FROM envelopes e"
                     + " JOIN devices d ON e.device = d.id JOIN accounts a ON d.account = a.id"
                     + " WHERE a.handle = ? ORDER BY e.seq")) {
            st.setString(1, handle);
            List<StoredEnvelope> out = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredEnvelope(rs.getString(1), rs.getBytes(2)));
                }
            }
            return out;
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
