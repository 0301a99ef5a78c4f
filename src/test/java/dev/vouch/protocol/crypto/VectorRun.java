package dev.vouch.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vouch.testing.Vectors;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs every case of one vector file and reports them together: a failing case is recorded under
 * its label (the Wycheproof tcId) and the run goes on, so one test lists every broken vector
 * rather than the first. {@link #finish} prints the count line and fails on any recorded failure
 * or when the vectors run plus those skipped by a written policy do not add up to the file's count.
 */
final class VectorRun {
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    @FunctionalInterface
    interface CaseCheck {
        void check(VectorFile.Case tc, VectorRun run) throws Exception;
    }

    private final String file;
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final Map<String, Integer> notes = new LinkedHashMap<>();
    private int ran;
    private int skipped;

    VectorRun(String file) {
        this.file = file;
    }

    /** Checks every case of a Wycheproof file, tallied by result, against its numberOfTests. */
    static void all(VectorFile vectors, CaseCheck check) {
        VectorRun run = new VectorRun(vectors.file());
        for (VectorFile.Case tc : vectors.cases()) {
            run.count(tc.result());
            run.check(tc.label(), () -> check.check(tc, run));
        }
        run.finish(vectors.numberOfTests());
    }

    /** Runs one vector; an assertion failure or an unexpected exception is recorded, not thrown. */
    void check(String label, Body body) {
        ran++;
        try {
            body.run();
        } catch (AssertionError e) {
            failures.add(label + ": " + e.getMessage());
        } catch (Exception e) {
            failures.add(label + ": unexpected " + e);
        }
    }

    /** Records a vector that is deliberately not run; {@code reason} appears in the report line. */
    void skip(String reason) {
        skipped++;
        count("skipped (" + reason + ")");
    }

    /** Counts one vector under {@code category} (a Wycheproof result, or a kind of RFC vector). */
    void count(String category) {
        counts.merge(category, 1, Integer::sum);
    }

    /** Counts one vector under a finer breakdown, reported after the categories (e.g. how it was refused). */
    void note(String breakdown) {
        notes.merge(breakdown, 1, Integer::sum);
    }

    void finish(long expectedCount) {
        String detail = join(counts, Comparator.comparingInt(VectorRun::rank))
                + (notes.isEmpty() ? "" : "; " + join(notes, (a, b) -> 0));
        Vectors.report(file, ran, detail);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + ran + " vectors failed in " + file + ":\n  "
                    + String.join("\n  ", failures));
        }
        assertEquals(expectedCount, ran + skipped, "vectors run or skipped by policy from " + file
                + " (none may be dropped silently)");
    }

    private static String join(Map<String, Integer> tally, Comparator<String> order) {
        return tally.keySet().stream()
                .sorted(order)
                .map(key -> tally.get(key) + " " + key)
                .collect(Collectors.joining(", "));
    }

    /** Wycheproof results first, in a fixed order, so report lines compare across files. */
    private static int rank(String category) {
        return switch (category) {
            case "valid" -> 0;
            case "acceptable" -> 1;
            case "invalid" -> 2;
            default -> 3;
        };
    }
}
