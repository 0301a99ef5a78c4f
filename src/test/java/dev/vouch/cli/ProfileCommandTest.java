package dev.vouch.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.store.ProfileStore;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileCommandTest {
    @TempDir
    Path dir;

    private String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VouchCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        assertThat(code).as("exit code, stderr: %s", err).isZero();
        return out.toString();
    }

    @Test
    void profileOptionWorksBeforeAndAfterTheSubcommand() throws Exception {
        Path profile = dir.resolve("p");
        assertThat(run("--profile", profile.toString(), "profile")).contains("profile: " + profile, "no profile here yet");
        ProfileStore.create(profile, "pw".toCharArray(), new Argon2id.Params(64, 1, 1), Clock.systemUTC()).close();
        String after = run("profile", "--profile", profile.toString());
        assertThat(after).contains("profile: " + profile, "present, locked", "Argon2id");
    }
}
