package dev.vouch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.app.Main;
import dev.vouch.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vouch demo} as a user runs it, in a JVM of its own. On a machine without a display it
 * sets the demo up, says in one line that it needs a desktop session, exits 1, and leaves nothing
 * of the demo behind. (Its windows are tested in {@code ui.DemoTest}.)
 */
class DemoCommandTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void withoutADisplayItSaysSoExitsOneAndLeavesNoDemoFolder() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Map<String, String> environment = new HashMap<>();
        environment.put("DISPLAY", null);
        environment.put("WAYLAND_DISPLAY", null);
        try (ChildJvm demo = ChildJvm.start(Main.class, List.of("demo"), List.of("-Djava.io.tmpdir=" + tmp),
                environment, dir.resolve("stderr.txt"))) {
            List<String> out = demo.drain(TIMEOUT);
            int code = demo.waitForExit(TIMEOUT);
            assertThat(out).first().asString().startsWith("Starting the demo");
            assertThat(code).as(demo.stderrText()).isEqualTo(1);
            assertThat(demo.stderrText()).contains("vouch: cannot start the desktop app", "desktop session");
            // it was set up, in the temporary folder, and said where
            String where = out.stream().filter(l -> l.startsWith("The demo's relay and profiles are in ")).findFirst()
                    .orElseThrow(() -> new AssertionError("no folder named in " + out));
            Path folder = Path.of(where.substring("The demo's relay and profiles are in ".length(),
                    where.indexOf(", deleted when")));
            assertThat(folder.getParent()).isEqualTo(tmp);
            assertThat(folder.getFileName().toString()).startsWith("vouch-demo-");
            assertThat(folder).as("the demo's folder is deleted").doesNotExist();
        }
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("vouch-demo-"))).isEmpty();
        }
    }
}
