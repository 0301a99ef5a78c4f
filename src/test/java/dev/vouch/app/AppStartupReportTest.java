package dev.vouch.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.store.ProfileStore;
import dev.vouch.testing.ChildJvm;
import dev.vouch.ui.Desktops;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vouch app --report-startup}, the start-up measurement of the installed app
 * (packaging/startup-time.sh), in a JVM of its own with the headless platform: it names the first
 * screen it showed, with a time, and ends by itself.
 */
class AppStartupReportTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final List<String> HEADLESS = List.of("-Dglass.platform=Monocle", "-Dmonocle.platform=Headless",
            "-Dprism.order=sw");

    @TempDir
    Path dir;

    @Test
    void anEmptyProfileReportsTheFirstRunScreenAndAProfileTheUnlockScreen() throws Exception {
        assertThat(report(dir.resolve("empty"))).matches("onboarding screen shown \\d+ ms after the JVM started");

        Path profile = dir.resolve("profile");
        ProfileStore.create(profile, "a passphrase for the start".toCharArray(), Desktops.FAST_KDF, Clock.systemUTC())
                .close();
        assertThat(report(profile)).matches("unlock screen shown \\d+ ms after the JVM started");
    }

    private String report(Path profile) throws Exception {
        try (ChildJvm app = ChildJvm.start(Main.class, List.of("--profile", profile.toString(), "app",
                "--report-startup"), HEADLESS, Map.of(), dir.resolve("stderr.txt"))) {
            List<String> out = app.drain(TIMEOUT);
            assertThat(app.waitForExit(TIMEOUT)).as(app.stderrText()).isZero();
            assertThat(out).as(app.stderrText()).hasSize(1);
            return out.get(0);
        }
    }
}
