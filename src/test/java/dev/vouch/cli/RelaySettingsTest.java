package dev.vouch.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelaySettingsTest {
    @TempDir
    Path dir;

    @Test
    void theShippedExampleSetsEverySettingValidly() {
        RelaySettings settings = RelaySettings.load(Path.of("deploy/relay.conf.example"), Map.of());
        for (String name : RelaySettings.NAMES) {
            assertThat(settings.text(name, null)).as(name).isPresent();
        }
        assertThat(settings.integer("port", null, 1, 0, 65535)).isEqualTo(7443);
        assertThat(settings.string("log-format", null, "logfmt")).isEqualTo("json");
    }

    @Test
    void theCommandLineWinsOverTheEnvironmentWhichWinsOverTheFile() throws Exception {
        Path file = Files.writeString(dir.resolve("r.conf"), "port = 1000\nbind = 10.0.0.1\nhost = file.example\n");
        RelaySettings settings = RelaySettings.load(null, Map.of(RelaySettings.CONFIG_ENVIRONMENT, file.toString(),
                "VOUCH_RELAY_PORT", "2000", "VOUCH_RELAY_BIND", "10.0.0.2"));
        assertThat(settings.integer("port", 3000, 1, 0, 65535)).isEqualTo(3000);
        assertThat(settings.integer("port", null, 1, 0, 65535)).isEqualTo(2000);
        assertThat(settings.string("bind", null, "x")).isEqualTo("10.0.0.2");
        assertThat(settings.string("host", null, "x")).isEqualTo("file.example");
        assertThat(settings.string("data", null, "default")).isEqualTo("default");
        assertThatThrownBy(() -> RelaySettings.load(null, Map.of("VOUCH_RELAY_PORT", "http")).integer("port", null, 1, 0, 65535))
                .isInstanceOf(UsageException.class).hasMessageContaining("VOUCH_RELAY_PORT");
    }

    @Test
    void aSettingGivenTwiceIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("twice.conf"), "port = 1\n\n# comment\nport = 2\n");
        assertThatThrownBy(() -> RelaySettings.load(file, Map.of())).isInstanceOf(UsageException.class)
                .hasMessageContaining("line 4").hasMessageContaining("twice");
    }
}
