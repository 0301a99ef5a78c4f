package dev.vouch.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.app.Main;
import dev.vouch.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code vouch link show} on a new device, as its own process (profile and passphrase from the environment). */
final class LinkShow {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    private LinkShow() {
    }

    /**
     * Starts {@code link show --name Laptop} in the fresh profile {@code dir/profile} (passphrase
     * "PROFILE secret"); returns it once it printed its first line ("link code ...").
     */
    static ChildJvm start(Path dir, RelayProcess relay, String profile, String... extra) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of("link", "show", "--relay", relay.invite(), "--name",
                "Laptop"));
        args.addAll(List.of(extra));
        ChildJvm child = ChildJvm.start(Main.class, args, List.of(), Map.of("VOUCH_PROFILE",
                dir.resolve(profile).toString(), "VOUCH_PASSPHRASE", profile + " secret"),
                dir.resolve(profile + ".err"));
        child.closeInput();
        assertThat(child.next(TIMEOUT)).startsWith("link code");
        return child;
    }

    /** Links a new device to the account of {@code owner}: its code is accepted there under {@code name}. */
    static void link(Path dir, RelayProcess relay, Cli owner, String profile, String name) throws Exception {
        try (ChildJvm device = start(dir, relay, profile)) {
            String code = device.next(TIMEOUT);
            Cli.Result accepted = owner.run("link", "accept", code, "--name", name, "--yes");
            assertThat(accepted.code()).as(accepted.toString()).isZero();
            assertThat(device.waitForExit(TIMEOUT)).as(device.stderrText()).isZero();
        }
    }
}
