package dev.vouch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.testing.Vectors;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code vouch tools safety-number} against the Signal vectors, and every usage error. */
class SafetyNumberCommandTest {
    private static final String FILE = "signal-fingerprint/vectors.json";
    private static final String KEY_A = "05" + "11".repeat(32);
    private static final String KEY_B = "05" + "22".repeat(32);

    @Test
    void printsTheSignalVectorsFromBothViewpoints() {
        JsonNode root = Vectors.json(FILE);
        JsonNode in = root.get("inputs");
        String aliceKey = in.get("alice_identity_key_hex").asText();
        String aliceId = in.get("alice_stable_id").asText();
        String bobKey = in.get("bob_identity_key_hex").asText();
        String bobId = in.get("bob_stable_id").asText();
        int ran = 0;
        for (JsonNode vector : root.get("vectors")) {
            String iterations = vector.get("iterations").asText();
            String version = vector.get("version").asText();
            String digits = vector.get("displayable_fingerprint").asText();

            Run alice = run("tools", "safety-number", "--key", aliceKey, "--id", aliceId, "--key", bobKey,
                    "--id", bobId, "--iterations", iterations, "--scannable-version", version);
            Run bob = run("tools", "safety-number", "--key", bobKey, "--id", bobId, "--key", aliceKey,
                    "--id", aliceId, "--scannable-version", version);

            assertThat(alice.exitCode).isZero();
            assertThat(alice.err).isEmpty();
            assertThat(alice.outLines()).containsExactly(digits, vector.get("alice_scannable_fingerprint_hex").asText());
            assertThat(bob.exitCode).isZero();
            assertThat(bob.outLines()).containsExactly(digits, vector.get("bob_scannable_fingerprint_hex").asText());
            ran += 2;
        }
        Vectors.report(FILE, ran, "through the command line: 2 versions x 2 viewpoints");
    }

    @Test
    void withoutAScannableVersionPrintsOnlyTheDigits() {
        Run run = run("tools", "safety-number", "--key", KEY_A, "--id", "a", "--key", KEY_B, "--id", "b",
                "--iterations", "1");
        assertThat(run.exitCode).isZero();
        assertThat(run.outLines()).singleElement().asString().matches("[0-9]{60}");
    }

    @Test
    void helpDocumentsTheOutputFormat() {
        Run run = run("tools", "safety-number", "--help");
        assertThat(run.exitCode).isZero();
        assertThat(run.out).contains("60 digits on one line, without spaces").contains("lowercase hex");
    }

    @Test
    void toolsListsTheCommand() {
        assertThat(run("tools").out).contains("safety-number");
    }

    /** {@code $A} and {@code $B} in the arguments stand for two valid keys. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "invalid hex        | --key zz$A --id a --key $B --id b",
            "odd-length hex     | --key 051 --id a --key $B --id b",
            "empty key          | --key= --id a --key $B --id b",
            "one key            | --key $A --id a --id b",
            "three keys         | --key $A --key $A --key $B --id a --id b",
            "one id             | --key $A --key $B --id a",
            "three ids          | --key $A --key $B --id a --id b --id c",
            "nothing            | ''",
            "zero iterations    | --key $A --id a --key $B --id b --iterations 0",
            "negative iterations| --key $A --id a --key $B --id b --iterations -3",
            "too many iterations| --key $A --id a --key $B --id b --iterations 1000001",
            "iterations not int | --key $A --id a --key $B --id b --iterations many",
            "negative version   | --key $A --id a --key $B --id b --scannable-version -1",
            "unknown option     | --key $A --id a --key $B --id b --verbose",
            "key without value  | --key $A --id a --key $B --id b --key",
    })
    void usageErrorsExitWithTwoAndOneLine(String description, String arguments) {
        List<String> args = new ArrayList<>(List.of("tools", "safety-number"));
        for (String argument : arguments.trim().split(" +")) {
            if (!argument.isEmpty()) {
                args.add(argument.replace("$A", KEY_A).replace("$B", KEY_B));
            }
        }
        Run run = run(args.toArray(String[]::new));
        assertThat(run.exitCode).as(description).isEqualTo(VouchCommand.EXIT_USAGE);
        assertThat(run.out).as(description).isEmpty();
        assertThat(run.errLines()).as(description).singleElement().asString().startsWith("vouch: ");
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = VouchCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exitCode, out.toString(), err.toString());
    }

    private record Run(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }
    }
}
