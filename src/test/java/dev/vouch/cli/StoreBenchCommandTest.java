package dev.vouch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run of 'vouch bench store', write phase here and read phase in a child JVM, so the command keeps working. */
class StoreBenchCommandTest {
    @TempDir
    Path work;

    @Test
    void aSmallRunPrintsEveryFigure() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Path dir = work.resolve("bench");
        int code = VouchCommand.run(new String[] {"bench", "store", "--messages", "3000", "--conversations", "20",
            "--samples", "10", "--work", dir.toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as("exit code; stdout: %s; stderr: %s", out, err).isZero();
        assertThat(out.toString()).contains("batched inserts", "newest 50", "file size", "unlock: passphrase",
                "search, one word", "resident memory");
        assertThat(Files.exists(dir.resolve("profile").resolve("vouch.db"))).as("--work keeps the databases").isTrue();
    }

    @Test
    void nonPositiveSizesAreAUsageError() {
        StringWriter err = new StringWriter();
        int code = VouchCommand.run(new String[] {"bench", "store", "--messages", "0"}, new PrintWriter(new StringWriter()),
                new PrintWriter(err, true));
        assertThat(code).isEqualTo(VouchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("must be positive");
    }
}
