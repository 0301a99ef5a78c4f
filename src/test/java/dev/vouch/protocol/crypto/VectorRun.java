package dev.vouch.protocol.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.vouch.testing.Vectors;
import java.util.ArrayList;
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
        void check(Wycheproof.Case tc, VectorRun run) throws Exception;
    }

    private final String file;
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Integer> tally = new LinkedHashMap<>();
    private int ran;
    private int skipped;

    VectorRun(String file) {
        this.file = file;
    }

    /** Checks every case of a Wycheproof file, tallied by result, against its numberOfTests. */
    static void all(Wycheproof vectors, CaseCheck check) {
        VectorRun run = new VectorRun(vectors.file());
        for (Wycheproof.Case tc : vectors.cases()) {
            run.tally(tc.result());
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
        tally("skipped (" + reason + ")");
    }

    /** Counts one vector under {@code category} for the report line. */
    void tally(String category) {
        tally.merge(category, 1, Integer::sum);
    }

    void finish(long expectedCount) {
        String detail = tally.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        Vectors.report(file, ran, detail);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + ran + " vectors failed in " + file + ":\n  "
                    + String.join("\n  ", failures));
        }
        assertEquals(expectedCount, ran + skipped, "vectors run or skipped by policy from " + file
                + " (none may be dropped silently)");
    }
}
