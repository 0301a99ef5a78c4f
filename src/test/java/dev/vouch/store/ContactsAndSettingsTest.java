package dev.vouch.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.VerificationState;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contacts (with their key history) and settings: what goes in comes back out, and rows altered
 * or swapped behind the store's back are reported by table, column and row instead of being shown.
 */
class ContactsAndSettingsTest {
    private static final char[] PASSPHRASE = "contacts and settings".toCharArray();
    private static final Instant T0 = Instant.parse("2026-03-01T09:30:00Z");
    private final SecureRandom random = new SecureRandom();

    @TempDir
    Path dir;

    private ProfileStore create() throws StoreException {
        return ProfileStore.create(dir, PASSPHRASE, ProfileStoreTest.FAST, Clock.systemUTC());
    }

    private ProfileStore reopen() throws StoreException {
        ProfileStore store = ProfileStore.open(dir, Clock.systemUTC());
        store.unlock(PASSPHRASE);
        return store;
    }

    /** Runs SQL on the closed profile's file, as someone with the disk (but not the passphrase) could. */
    private void raw(SqlAction action) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(ProfileStore.DATABASE_FILE))) {
            action.run(c);
        }
    }

    @FunctionalInterface
    private interface SqlAction {
        void run(Connection c) throws SQLException;
    }

    private static byte[] blob(Connection c, String sql, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                assertThat(rs.next()).as("row %d exists", id).isTrue();
                return rs.getBytes(1);
            }
        }
    }

    private static void setBlob(Connection c, String sql, byte[] value, long id) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setBytes(1, value);
            st.setLong(2, id);
            assertThat(st.executeUpdate()).isEqualTo(1);
        }
    }

    // contacts

    @Test
    void contactsAreAddedFoundListedAndUpdated() throws Exception {
        AccountIdentityKey key = AccountIdentity.generate(random).publicKey();
        long carolId;
        try (ProfileStore store = create()) {
            Contact carol = store.contacts().add("carol@vouch.example", "Carol Ç", T0);
            assertThat(carol.handle()).isEqualTo("carol@vouch.example");
            assertThat(carol.displayName()).isEqualTo("Carol Ç");
            assertThat(carol.verification()).isEqualTo(VerificationState.UNVERIFIED);
            assertThat(carol.accountKey()).isEmpty();
            assertThat(carol.addedAt()).isEqualTo(T0);
            carolId = carol.id();

            Contact dave = store.contacts().add("dave", "Dave 🐙", T0.plusSeconds(60));
            assertThat(dave.id()).isNotEqualTo(carolId);

            // Adding a known handle again returns the stored contact unchanged.
            Contact again = store.contacts().add("carol@vouch.example", "someone else", T0.plusSeconds(120));
            assertThat(again).isEqualTo(carol);

            assertThat(store.contacts().find("dave")).contains(dave);
            assertThat(store.contacts().find("nobody")).isEmpty();
            assertThat(store.contacts().find("Dave")).as("handles are matched exactly").isEmpty();
            assertThat(store.contacts().list()).containsExactly(carol, dave);

            Contact verified = carol.withAccountKey(key).withVerification(VerificationState.VERIFIED)
                    .withDisplayName("Carol Çelik");
            store.contacts().update(verified);
            assertThat(store.contacts().find("carol@vouch.example")).contains(verified);

            Contact changed = verified.withVerification(VerificationState.CHANGED_AFTER_VERIFIED);
            store.contacts().update(changed);
            assertThat(store.contacts().list()).containsExactly(changed, dave);
        }
        try (ProfileStore store = reopen()) {
            Contact carol = store.contacts().find("carol@vouch.example").orElseThrow();
            assertThat(carol.id()).isEqualTo(carolId);
            assertThat(carol.accountKey()).contains(key);
            assertThat(carol.verification()).isEqualTo(VerificationState.CHANGED_AFTER_VERIFIED);
            assertThat(carol.displayName()).isEqualTo("Carol Çelik");
        }
    }

    @Test
    void updatingAContactThatDoesNotExistIsRefused() throws Exception {
        try (ProfileStore store = create()) {
            Contact carol = store.contacts().add("carol", "Carol", T0);
            Contact ghost = new Contact(carol.id() + 1, "ghost", "Ghost", VerificationState.VERIFIED,
                    java.util.Optional.empty(), T0);
            assertThatThrownBy(() -> store.contacts().update(ghost))
                    .isInstanceOf(StoreException.class).hasMessageContaining("no contact");
            // Another contact's id with this handle: the row's handle index does not match, nothing changes.
            Contact hijack = new Contact(carol.id(), "mallory", "Mallory", VerificationState.VERIFIED,
                    java.util.Optional.empty(), T0);
            assertThatThrownBy(() -> store.contacts().update(hijack)).isInstanceOf(StoreException.class);
            assertThat(store.contacts().list()).containsExactly(carol);
        }
    }

    @Test
    void keyEventsAreKeptPerContactOldestFirst() throws Exception {
        try (ProfileStore store = create()) {
            long carol = store.contacts().add("carol", "Carol", T0).id();
            long dave = store.contacts().add("dave", "Dave", T0).id();
            KeyEvent first = store.contacts().addEvent(carol, T0, KeyEvent.Type.FIRST_SEEN, "key 05 1a 2b …");
            store.contacts().addEvent(dave, T0.plusSeconds(5), KeyEvent.Type.FIRST_SEEN, "dave's key");
            KeyEvent added = store.contacts().addEvent(carol, T0.plusSeconds(10), KeyEvent.Type.DEVICE_ADDED,
                    "Laptop « Büro » 💻");
            KeyEvent verified = store.contacts().addEvent(carol, T0.plusSeconds(20), KeyEvent.Type.VERIFIED, "");

            assertThat(first.contactId()).isEqualTo(carol);
            assertThat(store.contacts().events(carol)).containsExactly(first, added, verified);
            assertThat(store.contacts().events(dave)).singleElement()
                    .satisfies(e -> assertThat(e.detail()).isEqualTo("dave's key"));
            assertThat(store.contacts().events(dave + 100)).isEmpty();
        }
        try (ProfileStore store = reopen()) {
            long carol = store.contacts().find("carol").orElseThrow().id();
            assertThat(store.contacts().events(carol)).extracting(KeyEvent::type)
                    .containsExactly(KeyEvent.Type.FIRST_SEEN, KeyEvent.Type.DEVICE_ADDED, KeyEvent.Type.VERIFIED);
            assertThat(store.contacts().events(carol).get(1).detail()).isEqualTo("Laptop « Büro » 💻");
        }
    }

    @Test
    void aTamperedContactIsReportedByTableColumnAndRow() throws Exception {
        long carol;
        long dave;
        try (ProfileStore store = create()) {
            carol = store.contacts().add("carol", "Carol", T0).id();
            dave = store.contacts().add("dave", "Dave", T0).id();
        }
        raw(c -> {
            byte[] data = blob(c, "SELECT data FROM contacts WHERE id = ?", dave);
            data[data.length / 2] ^= 0x01;
            setBlob(c, "UPDATE contacts SET data = ? WHERE id = ?", data, dave);
        });
        try (ProfileStore store = reopen()) {
            assertThatThrownBy(() -> store.contacts().list())
                    .isInstanceOfSatisfying(IntegrityException.class, e -> {
                        assertThat(e.table()).isEqualTo("contacts");
                        assertThat(e.column()).isEqualTo("data");
                        assertThat(e.rowId()).isEqualTo(dave);
                    })
                    .hasMessageContaining("contacts.data").hasMessageContaining("row " + dave);
            assertThatThrownBy(() -> store.contacts().find("dave"))
                    .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.rowId()).isEqualTo(dave));
            // The undamaged contact is still readable.
            assertThat(store.contacts().find("carol").orElseThrow().id()).isEqualTo(carol);
        }
    }

    @Test
    void swappedHandleIndexesAreDetected() throws Exception {
        long carol;
        long dave;
        try (ProfileStore store = create()) {
            carol = store.contacts().add("carol", "Carol", T0).id();
            dave = store.contacts().add("dave", "Dave", T0).id();
        }
        // Swap which handle each row answers to: a lookup of "carol" would now return Dave's row.
        raw(c -> {
            byte[] carolIndex = blob(c, "SELECT handle_index FROM contacts WHERE id = ?", carol);
            byte[] daveIndex = blob(c, "SELECT handle_index FROM contacts WHERE id = ?", dave);
            setBlob(c, "UPDATE contacts SET handle_index = ? WHERE id = ?", new byte[] {0}, carol);
            setBlob(c, "UPDATE contacts SET handle_index = ? WHERE id = ?", carolIndex, dave);
            setBlob(c, "UPDATE contacts SET handle_index = ? WHERE id = ?", daveIndex, carol);
        });
        try (ProfileStore store = reopen()) {
            assertThatThrownBy(() -> store.contacts().find("carol"))
                    .isInstanceOfSatisfying(IntegrityException.class, e -> {
                        assertThat(e.table()).isEqualTo("contacts");
                        assertThat(e.column()).isEqualTo("data");
                        assertThat(e.rowId()).isEqualTo(dave);
                    });
            assertThatThrownBy(() -> store.contacts().find("dave"))
                    .isInstanceOfSatisfying(IntegrityException.class, e -> assertThat(e.rowId()).isEqualTo(carol));
            assertThatThrownBy(() -> store.contacts().list()).isInstanceOf(IntegrityException.class);
        }
    }

    @Test
    void aKeyEventMovedToAnotherContactIsDetected() throws Exception {
        long carol;
        long dave;
        long event;
        try (ProfileStore store = create()) {
            carol = store.contacts().add("carol", "Carol", T0).id();
            dave = store.contacts().add("dave", "Dave", T0).id();
            event = store.contacts().addEvent(carol, T0, KeyEvent.Type.ACCOUNT_KEY_CHANGED, "new key").id();
            store.contacts().addEvent(dave, T0, KeyEvent.Type.FIRST_SEEN, "dave's key");
        }
        // Someone with the disk tries to pin Carol's key change on Dave.
        raw(c -> {
            try (Statement st = c.createStatement()) {
                assertThat(st.executeUpdate("UPDATE key_events SET contact_id = " + dave + " WHERE id = " + event))
                        .isEqualTo(1);
            }
        });
        try (ProfileStore store = reopen()) {
            assertThat(store.contacts().events(carol)).isEmpty();
            assertThatThrownBy(() -> store.contacts().events(dave))
                    .isInstanceOfSatisfying(IntegrityException.class, e -> {
                        assertThat(e.table()).isEqualTo("key_events");
                        assertThat(e.column()).isEqualTo("data");
                        assertThat(e.rowId()).isEqualTo(event);
                    });
        }
    }

    // settings

    @Test
    void settingsArePutReadReplacedAndRemoved() throws Exception {
        try (ProfileStore store = create()) {
            assertThat(store.settings().get("relay")).isEmpty();
            store.settings().put("relay", "wss://relay.example:8443");
            store.settings().put("theme", "dark");
            store.settings().put("greeting", "Grüß Gott 👋");
            assertThat(store.settings().get("relay")).contains("wss://relay.example:8443");
            store.settings().put("relay", "wss://other.example");
            assertThat(store.settings().get("relay")).contains("wss://other.example");
            store.settings().put("empty", "");
            assertThat(store.settings().get("empty")).contains("");
            store.settings().remove("theme");
            store.settings().remove("never set");
            assertThat(store.settings().get("theme")).isEmpty();
        }
        try (ProfileStore store = reopen()) {
            assertThat(store.settings().get("relay")).contains("wss://other.example");
            assertThat(store.settings().get("greeting")).contains("Grüß Gott 👋");
            assertThat(store.settings().get("theme")).isEmpty();
            store.settings().put("theme", "light");
            assertThat(store.settings().get("theme")).contains("light");
        }
    }

    @Test
    void settingsNeedTheUnlockedStore() throws Exception {
        try (ProfileStore store = create()) {
            store.settings().put("relay", "wss://relay.example");
            store.lock();
            assertThatThrownBy(() -> store.settings().get("relay")).isInstanceOf(StoreLockedException.class);
            assertThatThrownBy(() -> store.settings().put("relay", "x")).isInstanceOf(StoreLockedException.class);
            store.unlock(PASSPHRASE);
            assertThat(store.settings().get("relay")).contains("wss://relay.example");
        }
    }

    @Test
    void aTamperedSettingIsReported() throws Exception {
        try (ProfileStore store = create()) {
            store.settings().put("relay", "wss://relay.example");
            store.settings().put("theme", "dark");
        }
        long relayRow = settingRow("wss://relay.example".length());
        raw(c -> {
            byte[] data = blob(c, "SELECT data FROM settings WHERE id = ?", relayRow);
            data[data.length - 1] ^= 0x40;
            setBlob(c, "UPDATE settings SET data = ? WHERE id = ?", data, relayRow);
        });
        try (ProfileStore store = reopen()) {
            assertThatThrownBy(() -> store.settings().get("relay"))
                    .isInstanceOfSatisfying(IntegrityException.class, e -> {
                        assertThat(e.table()).isEqualTo("settings");
                        assertThat(e.column()).isEqualTo("data");
                        assertThat(e.rowId()).isEqualTo(relayRow);
                    })
                    .hasMessageContaining("settings.data");
            assertThat(store.settings().get("theme")).contains("dark");
        }
    }

    @Test
    void swappedSettingValuesAreDetected() throws Exception {
        try (ProfileStore store = create()) {
            store.settings().put("relay", "wss://relay.example");
            store.settings().put("log pin", "sha256/AAAA");
        }
        raw(c -> {
            List<byte[]> data = new java.util.ArrayList<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT data FROM settings ORDER BY id")) {
                while (rs.next()) {
                    data.add(rs.getBytes(1));
                }
            }
            assertThat(data).hasSize(2);
            setBlob(c, "UPDATE settings SET data = ? WHERE id = ?", data.get(1), 1);
            setBlob(c, "UPDATE settings SET data = ? WHERE id = ?", data.get(0), 2);
        });
        try (ProfileStore store = reopen()) {
            assertThatThrownBy(() -> store.settings().get("relay")).isInstanceOf(IntegrityException.class);
            assertThatThrownBy(() -> store.settings().get("log pin")).isInstanceOf(IntegrityException.class);
        }
    }

    /** The id of the one setting row whose sealed value is {@code plainLength} bytes long. */
    private long settingRow(int plainLength) throws SQLException {
        long[] found = {-1};
        raw(c -> {
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT id, length(data) FROM settings")) {
                while (rs.next()) {
                    if (rs.getInt(2) == plainLength + dev.vouch.store.crypto.FieldCipher.OVERHEAD) {
                        assertThat(found[0]).as("one row of that length").isEqualTo(-1);
                        found[0] = rs.getLong(1);
                    }
                }
            }
        });
        assertThat(found[0]).isPositive();
        return found[0];
    }
}
