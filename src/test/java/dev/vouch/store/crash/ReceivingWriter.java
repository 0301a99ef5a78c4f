package dev.vouch.store.crash;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.vouch.protocol.DuplicateMessageException;
import dev.vouch.protocol.ProtocolAddress;
import dev.vouch.protocol.ProtocolException;
import dev.vouch.protocol.SessionCipher;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.dao.MessageDao.NewMessage;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.OptionalLong;

/**
 * Child program of {@code CrashSafetyTest}: the receiving side of a messenger, killed at random.
 * It opens and unlocks the profile, says {@code READY}, then for each stdin line
 * {@code MSG <n> <base64 wire message>} says {@code BEGIN <n>}, decrypts the message and stores it in
 * one transaction (the ratchet step and the stored message commit together), and only after that
 * commit answers:
 * <ul>
 *   <li>{@code ACK <n>}: decrypted and stored now;</li>
 *   <li>{@code DUP <n>}: the ratchet refused it as already received (stored by an earlier run);</li>
 *   <li>{@code REPLAY <n>}: the ratchet accepted it, but its uid was already stored (a ratchet bug);</li>
 *   <li>{@code ERR <n> <what>}: anything else; the program then exits with status 2.</li>
 * </ul>
 * After storing every {@value #REPLY_EVERY}th message it encrypts a reply and prints
 * {@code REPLY <n> <base64>}, so the sender takes DH ratchet steps. {@code QUIT} closes the store
 * cleanly and prints {@code BYE}.
 */
public final class ReceivingWriter {
    public static final String PASSPHRASE = "crash test passphrase";
    public static final ProtocolAddress SENDER = new ProtocolAddress("bob", 1);
    public static final ProtocolAddress RECEIVER = new ProtocolAddress("alice", 1);
    public static final int REPLY_EVERY = 5;
    private static final Instant SENT = Instant.parse("2026-06-01T08:00:00Z");

    /** What became of one delivered message. */
    public enum Outcome {
        STORED,
        DUPLICATE,
        REPLAYED
    }

    private ReceivingWriter() {
    }

    /** The message the sender sends as number {@code n}: varied lengths, some spanning overflow pages. */
    public static String text(int n) {
        StringBuilder text = new StringBuilder("#").append(n).append(" ");
        String[] words = {"Grüße", "🦜", "ratchet", "наступление", "数据", "crash", "fsync"};
        int words1 = n % 13 == 0 ? 900 : 3 + n % 17;
        for (int i = 0; i < words1; i++) {
            text.append(words[(n + i) % words.length]).append(' ');
        }
        return text.toString();
    }

    /** The message number a stored text starts with. */
    public static int number(StoredMessage message) {
        String text = message.body().text();
        return Integer.parseInt(text.substring(1, text.indexOf(' ')));
    }

    public static String replyText(int n) {
        return "reply to #" + n;
    }

    private static byte[] uid(int n) {
        return (SENDER + "/" + n).getBytes(UTF_8);
    }

    /**
     * Decrypts and stores one message in one transaction: the message, its uid and the ratchet step
     * commit together or not at all.
     */
    public static Outcome receive(ProfileStore store, SessionCipher cipher, long conversation, int n, byte[] wire)
            throws ProtocolException {
        OptionalLong id;
        try {
            id = cipher.decrypt(wire, plaintext -> {
                try {
                    return store.messages().insert(new NewMessage(conversation, uid(n), MessageStatus.UNREAD,
                            MessageBody.text(Direction.INCOMING, SENDER.name(), SENDER.deviceId(), SENT, SENT,
                                    new String(plaintext, UTF_8))));
                } catch (StoreException e) {
                    throw new IllegalStateException(e);
                }
            });
        } catch (DuplicateMessageException e) {
            return Outcome.DUPLICATE;
        }
        return id.isPresent() ? Outcome.STORED : Outcome.REPLAYED;
    }

    public static void main(String[] args) throws Exception {
        Path profile = Path.of(args[0]);
        ProfileStore store = ProfileStore.open(profile, Clock.systemUTC());
        store.unlock(PASSPHRASE.toCharArray());
        long conversation = store.conversations().open(SENDER.name());
        SessionCipher cipher = new SessionCipher(store.protocolState(), SENDER);
        say("READY");

        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            if (line.equals("QUIT")) {
                store.close();
                say("BYE");
                return;
            }
            String[] parts = line.split(" ");
            int n = Integer.parseInt(parts[1]);
            say("BEGIN " + n);
            try {
                Outcome outcome = receive(store, cipher, conversation, n, Base64.getDecoder().decode(parts[2]));
                switch (outcome) {
                    case STORED -> {
                        say("ACK " + n);
                        if (n % REPLY_EVERY == 0) {
                            byte[] reply = cipher.encrypt(replyText(n).getBytes(UTF_8));
                            say("REPLY " + n + " " + Base64.getEncoder().encodeToString(reply));
                        }
                    }
                    case DUPLICATE -> say("DUP " + n);
                    case REPLAYED -> say("REPLAY " + n);
                    default -> throw new IllegalStateException(outcome.toString());
                }
            } catch (Exception | AssertionError e) {
                e.printStackTrace();
                say("ERR " + n + " " + e);
                System.exit(2);
            }
        }
        System.exit(3); // stdin closed without QUIT
    }

    private static void say(String line) {
        System.out.println(line);
        System.out.flush();
    }
}
