package dev.vouch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.app.Main;
import dev.vouch.qr.QrCodes;
import dev.vouch.relay.api.Invite;
import dev.vouch.relay.server.PinnedTls;
import dev.vouch.testing.ChildJvm;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayCommandTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void runsPrintsPinAndInviteWritesTheQrAndStopsGracefullyOnSigterm() throws Exception {
        Path data = dir.resolve("relay");
        try (ChildJvm relay = ChildJvm.start(Main.class, List.of("relay", "--port", "0", "--data", data.toString(),
                "--invite-days", "7"), List.of("-Djava.awt.headless=true"), Map.of(), dir.resolve("stderr.txt"))) {
            List<String> lines = new ArrayList<>();
            String line;
            do {
                line = relay.next(TIMEOUT);
                assertThat(line).as("relay output so far: %s%s", lines, relay.stderrText()).isNotEqualTo(ChildJvm.EOF);
                lines.add(line);
            } while (!line.contains("event=invite"));
            assertThat(lines).allMatch(l -> l.matches("time=\\S+ event=[a-z-]+( [a-z0-9_]+=(\\S+|\"[^\"]*\"))*"));
            int port = Integer.parseInt(field(lines, "listening", "port"));
            String pin = field(lines, "pin", "spki_sha256");
            String logKey = field(lines, "log-key", "ed25519");
            assertThat(field(lines, "log-key", "status")).isEqualTo("created");
            String link = field(lines, "invite", "link");

            Invite invite = Invite.parse(link, Instant.now());
            assertThat(invite.port()).isEqualTo(port);
            assertThat(invite.host()).isEqualTo("127.0.0.1");
            assertThat(invite.pinText()).isEqualTo(pin);
            assertThat(invite.logKeyText()).contains(logKey);
            assertThat(Files.exists(data.resolve("log-key"))).isTrue();
            assertThat(lines).noneMatch(l -> l.contains("misbehav"));
            assertThat(invite.expires().orElseThrow()).isBetween(Instant.now().plus(Duration.ofDays(6)),
                    Instant.now().plus(Duration.ofDays(8)));
            assertThat(QrCodes.decode(ImageIO.read(data.resolve("invite.png").toFile()))).contains(link);

            HttpClient http = HttpClient.newBuilder().sslContext(PinnedTls.context(invite.spkiPin())).build();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                    URI.create("https://127.0.0.1:" + port + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(health.body()).contains("\"status\":\"ok\"");

            relay.process().toHandle().destroy(); // SIGTERM, keeping our end of its stdout open
            List<String> rest = relay.drain(TIMEOUT);
            assertThat(rest).anyMatch(l -> l.contains("event=stopping")).anyMatch(l -> l.contains("event=stopped"));
            relay.waitForExit(TIMEOUT);
            assertThat(String.join("\n", lines) + String.join("\n", rest)).doesNotContain("PRIVATE");
        }
        assertThat(Files.exists(data.resolve("relay.db"))).isTrue();
    }

    @Test
    void aMisbehavingRelayWarnsAtStartAndAnUnknownModeIsAUsageError() throws Exception {
        Path data = dir.resolve("attacker");
        try (ChildJvm relay = ChildJvm.start(Main.class, List.of("relay", "--port", "0", "--data", data.toString(),
                "--misbehave", "split-view"), List.of("-Djava.awt.headless=true"), Map.of(), dir.resolve("stderr.txt"))) {
            List<String> lines = new ArrayList<>();
            String line;
            do {
                line = relay.next(TIMEOUT);
                assertThat(line).as("relay output so far: %s%s", lines, relay.stderrText()).isNotEqualTo(ChildJvm.EOF);
                lines.add(line);
            } while (!line.contains("event=invite"));
            assertThat(field(lines, "warning", "misbehave")).isEqualTo("split-view");
            assertThat(field(lines, "warning", "reason")).contains("misbehaving on purpose");
            relay.process().toHandle().destroy();
            relay.drain(TIMEOUT);
            relay.waitForExit(TIMEOUT);
        }

        StringWriter err = new StringWriter();
        int code = VouchCommand.run(new String[] {"relay", "--data", dir.resolve("x").toString(), "--misbehave", "evil"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(VouchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("--misbehave").contains("substitute-key-logged").contains("bad-proof");
        assertThat(Files.exists(dir.resolve("x"))).as("nothing started").isFalse();
    }

    @Test
    void aWildcardBindNeedsAHostForTheInvite() {
        StringWriter err = new StringWriter();
        int code = VouchCommand.run(new String[] {"relay", "--data", dir.toString(), "--bind", "0.0.0.0"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(VouchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("--host");
    }

    @Test
    void aRegistrationLimitBelowOneIsAUsageError() {
        StringWriter err = new StringWriter();
        int code = VouchCommand.run(new String[] {"relay", "--data", dir.toString(), "--registrations-per-minute", "0"},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(VouchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("registrations-per-minute must be 1..1000000 (--registrations-per-minute)");
    }

    @Test
    void takesItsSettingsFromAFileAndTheEnvironmentAndLogsJsonLines() throws Exception {
        Path data = dir.resolve("configured");
        Path config = Files.writeString(dir.resolve("relay.conf"), String.join("\n",
                "# a relay configured as a service would be",
                "port = 0",
                "data = " + data,
                "invite-days = 9",
                "log-format = logfmt", ""));
        Map<String, String> environment = Map.of("VOUCH_RELAY_LOG_FORMAT", "json", "VOUCH_RELAY_INVITE_DAYS", "3");
        try (ChildJvm relay = ChildJvm.start(Main.class, List.of("relay", "--config", config.toString()),
                List.of("-Djava.awt.headless=true"), environment, dir.resolve("stderr.txt"))) {
            com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
            List<com.fasterxml.jackson.databind.JsonNode> events = new ArrayList<>();
            String line;
            do {
                line = relay.next(TIMEOUT);
                assertThat(line).as("relay output so far: %s%s", events, relay.stderrText()).isNotEqualTo(ChildJvm.EOF);
                events.add(json.readTree(line));
            } while (!events.get(events.size() - 1).get("event").asText().equals("invite"));
            assertThat(events).allSatisfy(e -> assertThat(e.get("time").asText()).isNotEmpty());
            com.fasterxml.jackson.databind.JsonNode invite = events.get(events.size() - 1);
            Invite parsed = Invite.parse(invite.get("link").asText(), Instant.now());
            assertThat(parsed.expires().orElseThrow()).as("the environment wins over the file")
                    .isBetween(Instant.now().plus(Duration.ofDays(2)), Instant.now().plus(Duration.ofDays(4)));
            assertThat(Files.exists(data.resolve("relay.db"))).as("data from the file").isTrue();
            relay.process().toHandle().destroy();
            assertThat(relay.drain(TIMEOUT)).anyMatch(l -> l.contains("\"event\":\"stopped\""));
            relay.waitForExit(TIMEOUT);
        }
    }

    @Test
    void aBadConfigurationIsAUsageErrorNamingWhere() throws Exception {
        Path config = Files.writeString(dir.resolve("bad.conf"), "port = 7443\nprot = 1\n");
        StringWriter err = new StringWriter();
        int code = VouchCommand.run(new String[] {"relay", "--config", config.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(VouchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("bad.conf line 2");

        Path noData = Files.writeString(dir.resolve("nodata.conf"), "port = 99999\n");
        err = new StringWriter();
        code = VouchCommand.run(new String[] {"relay", "--config", noData.toString(), "--data", dir.toString()},
                new PrintWriter(new StringWriter(), true), new PrintWriter(err, true));
        assertThat(code).isEqualTo(VouchCommand.EXIT_USAGE);
        assertThat(err.toString()).contains("port must be 0..65535 (" + noData + ")");
    }

    private static String field(List<String> lines, String event, String key) {
        Pattern pattern = Pattern.compile("(?:^| )" + key + "=(\"[^\"]*\"|\\S+)");
        for (String l : lines) {
            if (l.contains(" event=" + event + " ") || l.endsWith(" event=" + event)) {
                Matcher m = pattern.matcher(l);
                if (m.find()) {
                    String v = m.group(1);
                    return v.startsWith("\"") ? v.substring(1, v.length() - 1) : v;
                }
            }
        }
        throw new AssertionError("no " + key + " in event " + event + ": " + lines);
    }
}
