package dev.vouch.transparency.merkle;

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
 * its label and the run goes on, so one test lists every broken vector. {@link #finish} prints the
 * {@code [vectors]} count line and fails on any failure or when the count differs from the file's.
 */
final class ProbeRun {
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private final String file;
    private final List<String> failures = new ArrayList<>();
    private final Map<String, Integer> counts = new LinkedHashMap<>();
    private final Map<String, Integer> notes = new LinkedHashMap<>();
    private int ran;

    ProbeRun(String file) {
        this.file = file;
    }

    /** Runs one vector under {@code category}; an assertion failure or unexpected exception is recorded, not thrown. */
    void check(String category, String label, Body body) {
        ran++;
        counts.merge(category, 1, Integer::sum);
        try {
            body.run();
        } catch (AssertionError e) {
            failures.add(label + ": " + e.getMessage());
        } catch (Exception e) {
            failures.add(label + ": unexpected " + e);
        }
    }

    /** Counts one finer outcome (for example the type a probe was refused with), reported after the categories. */
    void note(String outcome) {
        notes.merge(outcome, 1, Integer::sum);
    }

    void finish(int expected) {
        String detail = join(counts) + (notes.isEmpty() ? "" : "; " + join(notes));
        Vectors.report(file, ran, detail);
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + ran + " vectors failed in " + file + ":\n  " + String.join("\n  ", failures));
        }
        assertEquals(expected, ran, "vectors run from " + file + " (none may be dropped silently)");
    }

    private static String join(Map<String, Integer> tally) {
        return tally.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }
}
