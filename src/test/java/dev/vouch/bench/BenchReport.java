package dev.vouch.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads JMH's JSON result ({@code target/jmh-result.json} unless a path is given) and prints, as
 * Markdown tables, the primitives' rates and, for each composite operation, its measured rate, the
 * summed cost of the primitive calls it is made of, and the overhead ratio.
 *
 * <p><b>Ratio.</b> A primitive measured at {@code r} ops/s costs {@code 1/r} s per call. The
 * primitive cost of a composite op is {@code P = sum(n_i / r_i)} over its primitive calls, so
 * {@code 1/P} is the rate the op would reach if it did nothing but those calls. The overhead is
 * {@code measured time per op / P = (1/P) / measured rate}: 1.0 means no cost beyond the
 * primitives, 1.3 means 30% on top of them (encoding, copies, store, bookkeeping).
 *
 * <p>The ratio is computed twice when the results carry {@link CpuTimeProfiler}'s metric: from
 * JMH's wall-clock scores, and from operations per CPU-second. The second is the one to trust on a
 * machine shared with other work, where the primitives and the composite ops, measured minutes
 * apart, may have had very different shares of the CPU.
 *
 * <p><b>Compositions</b> (names are {@link Primitives} benchmarks; counted from the code path).
 * Alice and Bob run on one thread, and every decryption directly follows the encryption under the
 * same message key, whose AES key schedule the JDK still holds; so the decryptions are counted as
 * {@code aesGcmDecryptSameKey} (about 1 µs less than {@code aesGcmDecrypt}, which a separate
 * receiving device pays).
 * <ul>
 *   <li>Symmetric ratchet step ({@code RatchetBench.symmetricStep*}): the sender's chain step and
 *       the receiver's each cost two HMAC-SHA-256 calls (message key, next chain key), so
 *       {@code 4 hmacSha256 + aesGcmEncrypt + aesGcmDecryptSameKey} (256-byte padded plaintext,
 *       174-byte associated data).</li>
 *   <li>DH ratchet round trip ({@code RatchetBench.dhRoundTrip*}), two messages, each:
 *       the symmetric parts above plus, on the receiving side, one X25519 key generation, two
 *       X25519 agreements (receiving and sending root step) and the two root-chain HKDF calls:
 *       {@code 2 x (x25519Keygen + 2 x25519Agree + 2 hkdf + 4 hmacSha256 + aesGcmEncrypt
 *       + aesGcmDecryptSameKey)}.</li>
 *   <li>Session setup ({@code SessionSetupBench.sessionSetup}): bundle verification
 *       {@code ed25519Verify + ed25519VerifyKemPreKey}; X25519 key generations: Alice's ephemeral
 *       and first ratchet key, Bob's first sending ratchet key = {@code 3 x25519Keygen}; X25519
 *       agreements: Alice DH1-DH4 and the first root step, Bob DH1-DH4 and two root steps =
 *       {@code 11 x25519Agree}; {@code mlKemEncaps + mlKemDecaps}; HKDF: both PQXDH derivations and
 *       three root steps = {@code 5 hkdf}; the first message's symmetric parts
 *       {@code 4 hmacSha256 + aesGcmEncrypt + aesGcmDecryptSameKey}.</li>
 *   <li>Session setup with the last-resort bundle ({@code sessionSetupLastResort}): the same
 *       without DH4 on either side, so {@code 9 x25519Agree}.</li>
 *   <li>Safety number ({@code SafetyNumberBench.safetyNumber}): 5200 iterations for each of the two
 *       parties, each one SHA-512 of 96 bytes (64-byte hash and the key) = {@code 10400 sha512}.</li>
 * </ul>
 */
public final class BenchReport {
    private static final String PRIMITIVES = "dev.vouch.bench.Primitives.";
    static final Map<String, Map<String, Integer>> COMPOSITIONS = new LinkedHashMap<>();

    static {
        Map<String, Integer> symmetric = compose("hmacSha256", 4, "aesGcmEncrypt", 1, "aesGcmDecryptSameKey", 1);
        Map<String, Integer> roundTrip = compose("x25519Keygen", 2, "x25519Agree", 4, "hkdf", 4,
                "hmacSha256", 8, "aesGcmEncrypt", 2, "aesGcmDecryptSameKey", 2);
        Map<String, Integer> setup = compose("ed25519Verify", 1, "ed25519VerifyKemPreKey", 1, "x25519Keygen", 3,
                "x25519Agree", 11, "mlKemEncaps", 1, "mlKemDecaps", 1, "hkdf", 5,
                "hmacSha256", 4, "aesGcmEncrypt", 1, "aesGcmDecryptSameKey", 1);
        Map<String, Integer> setupLastResort = new LinkedHashMap<>(setup);
        setupLastResort.put("x25519Agree", 9);
        COMPOSITIONS.put("dev.vouch.bench.RatchetBench.symmetricStepCore", symmetric);
        COMPOSITIONS.put("dev.vouch.bench.RatchetBench.symmetricStepCipher", symmetric);
        COMPOSITIONS.put("dev.vouch.bench.RatchetBench.dhRoundTripCore", roundTrip);
        COMPOSITIONS.put("dev.vouch.bench.RatchetBench.dhRoundTripCipher", roundTrip);
        COMPOSITIONS.put("dev.vouch.bench.SessionSetupBench.sessionSetup", setup);
        COMPOSITIONS.put("dev.vouch.bench.SessionSetupBench.sessionSetupLastResort", setupLastResort);
        COMPOSITIONS.put("dev.vouch.bench.SafetyNumberBench.safetyNumber", compose("sha512", 10400));
    }

    private BenchReport() {
    }

    private static Map<String, Integer> compose(Object... pairs) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            out.put((String) pairs[i], (Integer) pairs[i + 1]);
        }
        return out;
    }

    record Result(double score, double error) {
    }

    /** One benchmark's throughput by wall clock (JMH's score) and, if measured, per CPU-second. */
    record Rates(Result wall, Result cpu) {
        Result get(boolean cpuTime) {
            return cpuTime ? cpu : wall;
        }
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args.length > 0 ? args[0] : "target/jmh-result.json");
        if (!Files.exists(file)) {
            System.err.println("no JMH result at " + file + "; run: mvn -B -Pbench -DskipTests verify");
            System.exit(1);
        }
        System.out.print(report(read(file)));
    }

    static Map<String, Rates> read(Path file) throws IOException {
        Map<String, Rates> results = new LinkedHashMap<>();
        for (JsonNode run : new ObjectMapper().readTree(file.toFile())) {
            if (!"thrpt".equals(run.path("mode").asText())) {
                continue;
            }
            JsonNode metric = run.path("primaryMetric");
            if (!"ops/s".equals(metric.path("scoreUnit").asText())) {
                throw new IllegalArgumentException(run.path("benchmark").asText() + " is not in ops/s");
            }
            JsonNode cpu = run.path("secondaryMetrics").path(CpuTimeProfiler.LABEL);
            results.put(run.path("benchmark").asText(), new Rates(result(metric), cpu.isMissingNode() ? null : result(cpu)));
        }
        return results;
    }

    private static Result result(JsonNode metric) {
        return new Result(metric.path("score").asDouble(), metric.path("scoreError").asDouble(Double.NaN));
    }

    static String report(Map<String, Rates> results) {
        StringBuilder out = new StringBuilder();
        boolean haveCpu = results.values().stream().anyMatch(r -> r.cpu() != null);
        out.append("\n| Primitive | ops/s | ± | µs/op |").append(haveCpu ? " ops/cpu-s | ± | cpu-µs/op |" : "")
                .append("\n|---|---:|---:|---:|").append(haveCpu ? "---:|---:|---:|" : "").append('\n');
        results.forEach((name, r) -> {
            if (name.startsWith(PRIMITIVES)) {
                out.append("| ").append(shortName(name)).append(" | ").append(rate(r.wall()));
                if (haveCpu) {
                    out.append(" | ").append(rate(r.cpu()));
                }
                out.append(" |\n");
            }
        });
        out.append(composites(results, false));
        if (haveCpu) {
            out.append(composites(results, true));
        }
        out.append("\nCompositions:\n");
        COMPOSITIONS.forEach((name, composition) -> {
            if (results.containsKey(name)) {
                out.append("- ").append(shortName(name)).append(" = ").append(describe(composition)).append('\n');
            }
        });
        return out.toString();
    }

    private static String rate(Result r) {
        return r == null ? "n/a | | " : fmt(r.score, 0) + " | " + fmt(r.error, 0) + " | " + fmt(1e6 / r.score, 2);
    }

    /** The composite table by wall-clock rates, or by rates per CPU-second. */
    private static String composites(Map<String, Rates> results, boolean cpuTime) {
        String unit = cpuTime ? "ops/cpu-s" : "ops/s";
        StringBuilder out = new StringBuilder();
        out.append("\n").append(cpuTime ? "By CPU time (CpuTimeProfiler):" : "By wall clock (JMH score):").append('\n')
                .append("\n| Composite op | ").append(unit).append(" | ± | µs/op | primitives µs/op | primitive-bound ")
                .append(unit).append(" | overhead |\n|---|---:|---:|---:|---:|---:|---:|\n");
        COMPOSITIONS.forEach((name, composition) -> {
            Rates rates = results.get(name);
            Result r = rates == null ? null : rates.get(cpuTime);
            if (r == null) {
                return;
            }
            double primitiveSeconds = 0;
            StringBuilder missing = new StringBuilder();
            for (Map.Entry<String, Integer> call : composition.entrySet()) {
                Rates p = results.get(PRIMITIVES + call.getKey());
                if (p == null || p.get(cpuTime) == null) {
                    missing.append(' ').append(call.getKey());
                } else {
                    primitiveSeconds += call.getValue() / p.get(cpuTime).score;
                }
            }
            if (missing.length() > 0) {
                out.append(row(shortName(name), rate(r), "missing:" + missing, "", ""));
            } else {
                out.append(row(shortName(name), rate(r), fmt(primitiveSeconds * 1e6, 2), fmt(1 / primitiveSeconds, 0),
                        fmt((1 / r.score) / primitiveSeconds, 2) + "x"));
            }
        });
        return out.toString();
    }

    private static String describe(Map<String, Integer> composition) {
        List<String> parts = composition.entrySet().stream()
                .map(e -> (e.getValue() == 1 ? "" : e.getValue() + " ") + e.getKey()).toList();
        return String.join(" + ", parts);
    }

    private static String shortName(String benchmark) {
        return benchmark.startsWith("dev.vouch.bench.") ? benchmark.substring("dev.vouch.bench.".length()) : benchmark;
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    private static String fmt(double value, int decimals) {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
    }
}
