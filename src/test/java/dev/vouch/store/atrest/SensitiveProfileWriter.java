package dev.vouch.store.atrest;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.SessionBuilder;
import dev.vouch.protocol.SessionCipher;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.protocol.keys.SignedPreKey;
import dev.vouch.protocol.state.InMemoryProtocolStore;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.dao.MessageDao.NewMessage;
import dev.vouch.store.dao.ProtocolStateDao;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.VerificationState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

/**
 * Child program of {@code NoPlaintextAtRestTest}: creates a profile and fills it with everything a
 * stolen disk must not reveal (message texts, contact names and handles, the account handle,
 * settings, key history, protocol sessions, prekeys and identities), receiving part of the messages
 * through a real PQXDH + Double Ratchet session. It then reports the secrets it generated, says
 * {@code OPEN} with the store still open (WAL not checkpointed), closes on {@code CLOSE} and says
 * {@code CLOSED}.
 *
 * <p>Lines on stdout: {@code CANARY <path>} (a file it wrote into its java.io.tmpdir),
 * {@code SECRET <label> <hex>}, {@code TEMP_STORE <n>}, {@code OPEN}, {@code CLOSED}.
 */
public final class SensitiveProfileWriter {
    public static final Argon2id.Params FAST = new Argon2id.Params(64, 1, 1);
    public static final String PASSPHRASE = "Tr0ub4dor & ümlaut passphrase 🗝";

    public static final String ACCOUNT_HANDLE = "alice.marvelwood@vouch.example";
    /** The contact who sends the protocol messages; also their protocol address name. */
    public static final String PEER_HANDLE = "zoe.quintessa@vouch.example";
    public static final List<String> CONTACT_HANDLES = List.of(PEER_HANDLE, "olafur.thordarson@vouch.example",
            "madalina.stefanescu@vouch.example");
    public static final List<String> CONTACT_NAMES = List.of("Zoë Quintessa-Vargas", "Ólafur Þórðarson 🧊",
            "Mădălina Ștefănescu");
    /** Received through the protocol session. */
    public static final List<String> RECEIVED_TEXTS = List.of(
            "Meet me at the lighthouse, pier 7, at 23:15",
            "Grüße aus Köln — das Passwort ist »Zitronenbaum«",
            "🦜🔐 the parrot knows the vault code 🎉",
            "秘密の会議は木曜日の午後です",
            "Встреча отменена, жди сигнала",
            "הפגישה נדחתה למחר בבוקר");
    /** Our replies: encrypted to the peer and stored as outgoing messages. */
    public static final List<String> SENT_TEXTS = List.of(
            "Ok — bringing the blueprints (v2, ünsigned)",
            "👍🏽 see you at the café «Nordlicht»");
    public static final String SETTING_NAME = "vouch.relay.endpoint-override";
    public static final List<String> SETTING_VALUES = List.of("wss://relay.hidden-harbour.example:8443",
            "sha256/Q2FuYXJ5LXBpbi12YWx1ZS1mb3ItdGVzdHM=");
    public static final String KEY_EVENT_DETAIL = "Device « Zoë’s Laptop 💻 » added by the account key";

    /** Every string that must not appear in any file the profile leaves behind. */
    public static List<String> sensitiveStrings() {
        java.util.ArrayList<String> all = new java.util.ArrayList<>();
        all.add(PASSPHRASE);
        all.add(ACCOUNT_HANDLE);
        all.addAll(CONTACT_HANDLES);
        all.addAll(CONTACT_NAMES);
        all.addAll(RECEIVED_TEXTS);
        all.addAll(SENT_TEXTS);
        all.add(SETTING_NAME);
        all.addAll(SETTING_VALUES);
        all.add(KEY_EVENT_DETAIL);
        return List.copyOf(all);
    }

    private SensitiveProfileWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path profile = Path.of(args[0]);
        SecureRandom random = new SecureRandom();

        // Proves to the parent that this JVM's temp folder is the one it scans.
        Path canary = Files.createTempFile("canary", ".txt");
        Files.writeString(canary, "tmpdir canary " + args[1], UTF_8);
        say("CANARY " + canary);

        try (ProfileStore store = ProfileStore.create(profile, PASSPHRASE.toCharArray(), FAST, Clock.systemUTC())) {
            AccountIdentity accountIdentity = AccountIdentity.generate(random);
            DeviceIdentity device = DeviceIdentity.generate(random);
            store.accounts().save(new Account(ACCOUNT_HANDLE, 1, accountIdentity, device));
            secret("account-identity", tail(accountIdentity.serializePrivate(), 32));
            byte[] devicePrivate = tail(device.serializePrivate(), 64);
            secret("device-signing", Arrays.copyOfRange(devicePrivate, 0, 32));
            secret("device-agreement", Arrays.copyOfRange(devicePrivate, 32, 64));

            ProtocolStateDao state = store.protocolState();
            SignedPreKey signed = SignedPreKey.generate(7, device, 0, random);
            OneTimePreKey oneTime = OneTimePreKey.generate(8, random);
            KemPreKey kem = KemPreKey.generate(9, false, device, 0, random);
            state.storeSignedPreKey(signed);
            state.storeOneTimePreKey(oneTime);
            state.storeKemPreKey(kem);
            secret("signed-prekey", signed.keyPair().privateKey());
            secret("one-time-prekey", tail(oneTime.serializePrivate(), 32));
            PreKeyBundle bundle = PreKeyBundle.verified(1, device.publicKey(), signed.publicPart(),
                    oneTime.publicPart(), kem.publicPart());

            store.settings().put(SETTING_NAME, SETTING_VALUES.get(0));
            store.settings().put("log.pin", SETTING_VALUES.get(1));

            Instant now = Instant.parse("2026-05-04T12:00:00Z");
            for (int i = 0; i < CONTACT_HANDLES.size(); i++) {
                store.contacts().add(CONTACT_HANDLES.get(i), CONTACT_NAMES.get(i), now);
            }
            Contact zoe = store.contacts().find(PEER_HANDLE).orElseThrow();
            store.contacts().update(zoe.withAccountKey(AccountIdentity.generate(random).publicKey())
                    .withVerification(VerificationState.VERIFIED));
            store.contacts().addEvent(zoe.id(), now, KeyEvent.Type.DEVICE_ADDED, KEY_EVENT_DETAIL);

            // The peer: an in-memory device that starts a session from our bundle.
            ProtocolAddress alice = new ProtocolAddress(ACCOUNT_HANDLE, 1);
            ProtocolAddress zoeDevice = new ProtocolAddress(PEER_HANDLE, 1);
            InMemoryProtocolStore peer = new InMemoryProtocolStore(DeviceIdentity.generate(random));
            new SessionBuilder(peer, alice, random).process(bundle);
            SessionCipher peerCipher = new SessionCipher(peer, alice);
            SessionCipher ours = new SessionCipher(store.protocolState(), zoeDevice);
            long conversation = store.conversations().open(PEER_HANDLE);
            for (String handle : CONTACT_HANDLES.subList(1, CONTACT_HANDLES.size())) {
                store.conversations().open(handle);
            }

            int uid = 0;
            int half = RECEIVED_TEXTS.size() / 2;
            for (String text : RECEIVED_TEXTS.subList(0, half)) {
                receive(store, ours, conversation, peerCipher.encrypt(text.getBytes(UTF_8)), ++uid, now);
            }
            // Our replies make the peer take a DH ratchet step; the rest arrive on its new chain.
            for (String text : SENT_TEXTS) {
                byte[] wire = ours.encrypt(text.getBytes(UTF_8));
                store.messages().insert(new NewMessage(conversation, ("sent " + ++uid).getBytes(UTF_8),
                        MessageStatus.SENT, MessageBody.text(Direction.OUTGOING, ACCOUNT_HANDLE, 1, now, now, text)));
                String echoed = new String(peerCipher.decrypt(wire), UTF_8);
                if (!echoed.equals(text)) {
                    throw new IllegalStateException("the peer read \"" + echoed + "\"");
                }
            }
            for (String text : RECEIVED_TEXTS.subList(half, RECEIVED_TEXTS.size())) {
                receive(store, ours, conversation, peerCipher.encrypt(text.getBytes(UTF_8)), ++uid, now);
            }
            if (store.messages().newest(conversation, 100).size() != RECEIVED_TEXTS.size() + SENT_TEXTS.size()) {
                throw new IllegalStateException("not every message was stored");
            }

            say("TEMP_STORE " + store.context().database().read(c -> {
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("PRAGMA temp_store")) {
                    return rs.next() ? rs.getInt(1) : -1;
                }
            }));
            say("OPEN");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
            String line = in.readLine();
            if (!"CLOSE".equals(line)) {
                throw new IllegalStateException("expected CLOSE, got " + line);
            }
        }
        say("CLOSED");
    }

    private static void receive(ProfileStore store, SessionCipher cipher, long conversation, byte[] wire, int uid,
                                Instant now) throws Exception {
        OptionalLong id = cipher.decrypt(wire, plaintext -> {
            try {
                return store.messages().insert(new NewMessage(conversation, ("received " + uid).getBytes(UTF_8),
                        MessageStatus.UNREAD, MessageBody.text(Direction.INCOMING, PEER_HANDLE, 1, now, now,
                                new String(plaintext, UTF_8))));
            } catch (StoreException e) {
                throw new IllegalStateException(e);
            }
        });
        if (id.isEmpty()) {
            throw new IllegalStateException("message " + uid + " was not stored");
        }
    }

    private static byte[] tail(byte[] data, int length) {
        return Arrays.copyOfRange(data, data.length - length, data.length);
    }

    private static void secret(String label, byte[] value) {
        say("SECRET " + label + " " + HexFormat.of().formatHex(value));
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
