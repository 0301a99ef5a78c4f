package dev.vouch.e2e;

import dev.vouch.cli.VouchCommand;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs {@code vouch} commands in this JVM against one profile folder, with the passphrase in a file. */
final class Cli {
    /** What one command printed and returned. */
    record Result(int code, String out, String err) {
        List<String> lines() {
            return out.isBlank() ? List.of() : List.of(out.strip().split("\\R"));
        }

        @Override
        public String toString() {
            return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    private final Path profile;
    private final Path passphraseFile;

    Cli(Path profile, String passphrase) throws IOException {
        this.profile = profile;
        this.passphraseFile = Files.writeString(Files.createTempFile(profile.getParent(), profile.getFileName() + "-", ".pass"),
                passphrase + "\n");
    }

    /** A profile made with {@code vouch init --handle HANDLE --relay INVITE}; fails the test if init does. */
    static Cli registered(Path profile, String handle, String passphrase, String invite) throws IOException {
        Cli cli = new Cli(profile, passphrase);
        Result init = cli.run("init", "--handle", handle, "--relay", invite);
        if (init.code() != 0) {
            throw new AssertionError("init " + handle + " failed: " + init);
        }
        return cli;
    }

    Path profile() {
        return profile;
    }

    Path passphraseFile() {
        return passphraseFile;
    }

    Result run(String... args) {
        List<String> all = new ArrayList<>(List.of("--profile", profile.toString(), "--passphrase-file",
                passphraseFile.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            code = VouchCommand.run(all.toArray(String[]::new), o, e);
        }
        return new Result(code, out.toString(), err.toString());
    }
}
