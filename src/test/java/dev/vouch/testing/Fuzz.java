package dev.vouch.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.ProtocolException;
import dev.vouch.protocol.encoding.Tag;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

/**
 * Inputs for fuzzing decoders, as jqwik arbitraries that shrink: random bytes, random bytes
 * behind a valid version and type prefix, and valid encodings changed by a short list of
 * {@link Edit}s (bit flips, truncation, extension, byte insertion and deletion, u32 fields set to
 * huge values). A failing case prints where it came from and its bytes in hex; jqwik prints the
 * seed, and {@code @Property(seed = "...")} replays it.
 */
public final class Fuzz {
    /** Values a corrupted length or counter field takes: the edges of signed and unsigned u32 and of the size limits. */
    private static final int[] HUGE = {0xFFFFFFFF, 0x7FFFFFFF, 0x80000000, 0x7FFFFFFE, (1 << 20) + 1, 1 << 20, 0x10000};

    private Fuzz() {
    }

    /** A valid encoding to mutate, with the offsets of its u32 fields (lengths, ids, counters). */
    public record Sample(String name, byte[] bytes, int... u32Fields) {
        @Override
        public String toString() {
            return name;
        }
    }

    public enum Op {
        FLIP_BIT, SET_BYTE, TRUNCATE, EXTEND, INSERT, DELETE, HUGE_U32_ANYWHERE, HUGE_U32_FIELD, RETAG
    }

    /** One change; {@code position} and {@code value} are reduced modulo whatever they index when applied. */
    public record Edit(Op op, int position, int value) {
        byte[] apply(byte[] in, int[] u32Fields) {
            int n = in.length;
            switch (op) {
                case FLIP_BIT -> {
                    if (n == 0) {
                        return new byte[] {(byte) value};
                    }
                    byte[] out = in.clone();
                    out[Math.floorMod(position, n)] ^= (byte) (1 << Math.floorMod(value, 8));
                    return out;
                }
                case SET_BYTE -> {
                    if (n == 0) {
                        return new byte[] {(byte) value};
                    }
                    byte[] out = in.clone();
                    out[Math.floorMod(position, n)] = (byte) value;
                    return out;
                }
                case TRUNCATE -> {
                    return Arrays.copyOf(in, n == 0 ? 0 : Math.floorMod(position, n));
                }
                case EXTEND -> {
                    int extra = 1 + Math.floorMod(value, 64);
                    byte[] out = Arrays.copyOf(in, n + extra);
                    for (int i = n; i < out.length; i++) {
                        out[i] = (byte) (value * 31 + i);
                    }
                    return out;
                }
                case INSERT -> {
                    int at = Math.floorMod(position, n + 1);
                    byte[] out = new byte[n + 1];
                    System.arraycopy(in, 0, out, 0, at);
                    out[at] = (byte) value;
                    System.arraycopy(in, at, out, at + 1, n - at);
                    return out;
                }
                case DELETE -> {
                    if (n == 0) {
                        return in;
                    }
                    int at = Math.floorMod(position, n);
                    byte[] out = new byte[n - 1];
                    System.arraycopy(in, 0, out, 0, at);
                    System.arraycopy(in, at + 1, out, at, n - 1 - at);
                    return out;
                }
                case HUGE_U32_ANYWHERE -> {
                    return n < 4 ? in : putU32(in, Math.floorMod(position, n - 3), hugeValue(value));
                }
                case HUGE_U32_FIELD -> {
                    if (u32Fields.length == 0) {
                        return in;
                    }
                    int at = u32Fields[Math.floorMod(position, u32Fields.length)];
                    return at + 4 > n ? in : putU32(in, at, hugeValue(value));
                }
                case RETAG -> {
                    if (n < 2) {
                        return in;
                    }
                    byte[] out = in.clone();
                    Tag[] tags = Tag.values();
                    int choice = Math.floorMod(value, tags.length + 2);
                    if (choice < tags.length) {
                        out[1] = (byte) tags[choice].code(); // a known type where another is expected
                    } else if (choice == tags.length) {
                        out[0] = (byte) (Tag.VERSION + 1 + Math.floorMod(position, 255)); // unknown version
                    } else {
                        out[1] = (byte) 0xEE; // unknown type code
                    }
                    return out;
                }
                default -> throw new AssertionError(op);
            }
        }

        private static int hugeValue(int value) {
            int choice = Math.floorMod(value, HUGE.length + 1);
            return choice < HUGE.length ? HUGE[choice] : value;
        }

        private static byte[] putU32(byte[] in, int at, int v) {
            byte[] out = in.clone();
            out[at] = (byte) (v >>> 24);
            out[at + 1] = (byte) (v >>> 16);
            out[at + 2] = (byte) (v >>> 8);
            out[at + 3] = (byte) v;
            return out;
        }
    }

    /** A fuzz input: its bytes and how they were made. */
    public record Case(String origin, byte[] bytes) {
        @Override
        public String toString() {
            return origin + " (" + bytes.length + " bytes) " + HexFormat.of().formatHex(bytes);
        }
    }

    /** Applies {@code edits} in order; if they cancel out, flips the lowest bit of the last byte, so the result always differs. */
    public static byte[] mutate(Sample sample, List<Edit> edits) {
        byte[] out = sample.bytes();
        for (Edit edit : edits) {
            out = edit.apply(out, sample.u32Fields());
        }
        if (Arrays.equals(out, sample.bytes())) {
            out = out.clone();
            out[out.length - 1] ^= 1;
        }
        return out;
    }

    public static Arbitrary<Edit> edits() {
        return Combinators.combine(
                Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.just(Op.FLIP_BIT)),
                        Tuple.of(2, Arbitraries.just(Op.SET_BYTE)),
                        Tuple.of(2, Arbitraries.just(Op.TRUNCATE)),
                        Tuple.of(2, Arbitraries.just(Op.EXTEND)),
                        Tuple.of(2, Arbitraries.just(Op.INSERT)),
                        Tuple.of(2, Arbitraries.just(Op.DELETE)),
                        Tuple.of(1, Arbitraries.just(Op.HUGE_U32_ANYWHERE)),
                        Tuple.of(2, Arbitraries.just(Op.HUGE_U32_FIELD)),
                        Tuple.of(1, Arbitraries.just(Op.RETAG))),
                positions(),
                Arbitraries.integers())
                .as(Edit::new);
    }

    /**
     * Uniform over a range far larger than any sample, without mixed-in edge cases (0, 1, 2...),
     * so every byte is as likely to be hit as the prefix; RETAG covers the prefix on purpose.
     */
    private static Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 1 << 20).withDistribution(RandomDistribution.uniform())
                .edgeCases(config -> config.none());
    }

    /** Valid samples changed by one to four edits. */
    public static Arbitrary<Case> mutationsOf(List<Sample> samples) {
        return Combinators.combine(Arbitraries.of(samples), edits().list().ofMinSize(1).ofMaxSize(4))
                .as((sample, edits) -> new Case("mutation of " + sample + " by " + edits, mutate(sample, edits)));
    }

    /**
     * Valid samples changed by one to four edits that keep the length (bit flips, byte values, u32
     * fields set to huge values), so that most of them pass the structural checks and reach
     * authentication or signature verification.
     */
    public static Arbitrary<Case> sameLengthMutationsOf(List<Sample> samples) {
        Arbitrary<Edit> sameLength = Combinators.combine(
                Arbitraries.frequencyOf(
                        Tuple.of(6, Arbitraries.just(Op.FLIP_BIT)),
                        Tuple.of(2, Arbitraries.just(Op.SET_BYTE)),
                        Tuple.of(2, Arbitraries.just(Op.HUGE_U32_FIELD))),
                positions(),
                Arbitraries.integers())
                .as(Edit::new);
        return Combinators.combine(Arbitraries.of(samples), sameLength.list().ofMinSize(1).ofMaxSize(4))
                .as((sample, edits) -> new Case("mutation of " + sample + " by " + edits, mutate(sample, edits)));
    }

    /** Uniformly random bytes up to {@code maxLength}. */
    public static Arbitrary<Case> randomBytes(int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength).map(b -> new Case("random bytes", b));
    }

    /** Random bytes behind the version and type prefix of {@code tag}, so they reach the decoder's body. */
    public static Arbitrary<Case> randomBody(Tag tag, int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength).map(body -> {
            byte[] out = new byte[body.length + 2];
            out[0] = (byte) Tag.VERSION;
            out[1] = (byte) tag.code();
            System.arraycopy(body, 0, out, 2, body.length);
            return new Case("random body behind the " + tag + " prefix", out);
        });
    }

    /**
     * The usual mix for one decoder: about one case in six entirely random, one in six random
     * behind a valid prefix (lengths up to twice the longest sample), the rest mutations.
     */
    public static Arbitrary<Case> casesFor(Tag tag, List<Sample> samples) {
        int longest = samples.stream().mapToInt(s -> s.bytes().length).max().orElse(64);
        return Arbitraries.frequencyOf(
                Tuple.of(1, randomBytes(2 * longest)),
                Tuple.of(1, randomBody(tag, 2 * longest)),
                Tuple.of(4, mutationsOf(samples)));
    }

    /** A decoder under test: returns the re-encoding of what it accepted. */
    @FunctionalInterface
    public interface Codec {
        byte[] decodeAndReencode(byte[] input) throws ProtocolException;
    }

    /**
     * The decoder contract for hostile input: it either accepts, and then the input was the one
     * canonical encoding of what it decoded (re-encoding gives the same bytes), or it refuses with
     * one of the {@code allowed} checked types. Anything unchecked escaping is a bug.
     *
     * @return the refusal, or null when the input was accepted
     */
    public static ProtocolException assertAcceptsCanonicallyOrRefuses(Case input, Codec codec, Class<?>... allowed) {
        byte[] bytes = input.bytes().clone();
        byte[] reencoded;
        try {
            reencoded = codec.decodeAndReencode(bytes);
        } catch (ProtocolException e) {
            if (Arrays.stream(allowed).noneMatch(type -> type.isInstance(e))) {
                throw new AssertionError("refused with " + e.getClass().getSimpleName() + ", expected one of "
                        + Arrays.stream(allowed).map(Class::getSimpleName).toList() + ": " + input, e);
            }
            Statistics.label("outcome").collect(e.getClass().getSimpleName());
            return e;
        } catch (RuntimeException | Error e) {
            throw new AssertionError("unchecked " + e.getClass().getName() + " escaped the decoder: " + input, e);
        }
        assertThat(reencoded).as("accepted input must be a canonical encoding: %s", input).isEqualTo(input.bytes());
        Statistics.label("outcome").collect("accepted");
        return null;
    }
}
