package dev.vouch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * Short runs of 'vouch bench relay' against real relays on loopback, so the command keeps working:
 * every envelope arrives once, and the report is printed.
 */
class RelayBenchCommandTest {

    @Test
    void aShortRunAgainstASpawnedRelayLosesNothingAndPrintsTheTable() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VouchCommand.run(new String[] {"bench", "relay", "--clients", "20", "--rate", "200", "--duration", "3s",
            "--warmup", "1s"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as("exit code; stdout: %s; stderr: %s", out, err).isZero();
        assertThat(out.toString()).contains("20 clients (40 TLS 1.3 WebSockets", "a child JVM (vouch relay)", "p99 ms",
                "Steady 200/s for 3 s", "0 lost, 0 duplicated, 0 misdelivered, 0 failed sends");
        assertThat(out.toString()).containsPattern("(?m)^steady +200 +\\d+ +\\d+ +600 +600 +0 +0 +0 ");
    }

    @Test
    void jsonFromAnInProcessRelayCountsEveryEnvelopeAndSearchesForTheMaximum() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VouchCommand.run(new String[] {"bench", "relay", "--relay", "in-process", "--clients", "10", "--rate",
            "100", "--duration", "2s", "--warmup", "0s", "--find-max", "--step-duration", "1s", "--max-steps", "2",
            "--json"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as("exit code; stdout: %s; stderr: %s", out, err).isZero();
        JsonNode report = new ObjectMapper().readTree(out.toString());
        assertThat(report.get("clients").asInt()).isEqualTo(10);
        JsonNode steady = report.get("phases").get(0);
        assertThat(steady.get("name").asText()).isEqualTo("steady");
        assertThat(steady.get("sent").asLong()).isEqualTo(200);
        assertThat(steady.get("delivered").asLong()).isEqualTo(200);
        assertThat(steady.get("lost").asLong()).isZero();
        assertThat(steady.get("duplicates").asLong()).isZero();
        assertThat(steady.get("p99").asDouble()).isPositive();
        // one or two steps: a busy machine may fail the first step, which ends a search this narrow
        assertThat(report.get("phases").size()).isBetween(2, 3);
        assertThat(report.get("phases").get(1).get("name").asText()).isEqualTo("step 1");
        assertThat(report.get("maxSustainedRate").isInt()).isTrue();
        assertThat(err.toString()).contains("Connected and registered");
    }

    @Test
    void anInviteToAnotherMachineIsRefused() {
        StringWriter err = new StringWriter();
        int code = VouchCommand.run(new String[] {"bench", "relay", "--invite",
            "vouch://relay?v=1&host=relay.example.org&port=7443&pin=" + "A".repeat(43)},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(VouchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("loopback");
    }

    @Test
    void badDurationsAndModesAreUsageErrors() {
        for (String[] args : new String[][] {{"--duration", "soon"}, {"--relay", "remote"}, {"--clients", "1"}}) {
            StringWriter err = new StringWriter();
            String[] full = new String[args.length + 2];
            full[0] = "bench";
            full[1] = "relay";
            System.arraycopy(args, 0, full, 2, args.length);
            int code = VouchCommand.run(full, new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
            assertThat(code).as(String.join(" ", args)).isEqualTo(VouchCommand.EXIT_USAGE);
        }
    }
}
