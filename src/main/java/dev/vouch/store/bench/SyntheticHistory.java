package dev.vouch.store.bench;

import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import java.time.Instant;
import java.util.Random;

/**
 * A deterministic stream of realistic-looking messages: words drawn from a Zipf-like vocabulary,
 * 3 to 25 words each, spread over conversations, half sent and half received.
 */
public final class SyntheticHistory {
    private static final String[] SYLLABLES = {"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po", "da",
        "fe", "gu", "hi", "jo", "be", "ci", "wa", "xo", "yu", "an", "el", "in", "or", "us"};
    private final Random random;
    private final String[] vocabulary;
    private final int conversations;
    private final Instant start = Instant.parse("2024-01-01T00:00:00Z");
    private long sequence;

    public SyntheticHistory(long seed, int vocabularySize, int conversations) {
        this.random = new Random(seed);
        this.conversations = conversations;
        this.vocabulary = new String[vocabularySize];
        Random words = new Random(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < vocabularySize; i++) {
            StringBuilder w = new StringBuilder();
            int syllables = 1 + words.nextInt(4);
            for (int s = 0; s < syllables; s++) {
                w.append(SYLLABLES[words.nextInt(SYLLABLES.length)]);
            }
            vocabulary[i] = w.append(i % 97 == 0 ? "" : Integer.toString(i % 7)).toString();
        }
    }

    public String peer(int conversation) {
        return "friend" + conversation + "@vouch.example";
    }

    public int nextConversation() {
        return random.nextInt(conversations);
    }

    /** A word, the low ranks far more often (roughly Zipf with exponent 1). */
    String word() {
        double u = random.nextDouble();
        int rank = (int) Math.floor(Math.pow(vocabulary.length, u)) - 1;
        return vocabulary[Math.max(0, Math.min(vocabulary.length - 1, rank))];
    }

    public MessageBody next(int conversation) {
        int words = 3 + random.nextInt(23);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(word());
        }
        Instant at = start.plusSeconds(sequence++ * 37);
        boolean outgoing = random.nextBoolean();
        return MessageBody.text(outgoing ? Direction.OUTGOING : Direction.INCOMING,
                outgoing ? "me@vouch.example" : peer(conversation), 1, at, at, text.toString());
    }

    public byte[] uid() {
        byte[] uid = new byte[16];
        random.nextBytes(uid);
        return uid;
    }
}
