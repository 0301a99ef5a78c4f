package dev.vouch.cli;

import dev.vouch.store.ProfileLocation;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code vouch} command and its subcommands. */
@Command(name = "vouch",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "End-to-end-encrypted messenger whose users never have to trust the relay.",
        subcommands = {InitCommand.class, ContactsCommand.class, SendCommand.class, ReceiveCommand.class,
            HistoryCommand.class, ContactSafetyNumberCommand.class, VerifyCommand.class, DevicesCommand.class,
            LinkCommand.class, UnlinkCommand.class,
            KeysCommand.class, ReviewCommand.class, PolicyCommand.class, LogCommand.class, ProfileCommand.class, ExportCommand.class,
            ImportCommand.class, ArchiveCommand.class, RelayCommand.class, BenchCommand.class,
            ToolsCommand.class},
        exitCodeListHeading = "%nExit codes (docs/cli.md):%n",
        exitCodeList = {"0:done", "1:failed (verify: the numbers differ)", "2:bad arguments",
            "3:passphrase missing or wrong", "4:relay unreachable, pin or version mismatch, refused; bad invite",
            "5:profile missing, not initialized, in use or damaged", "6:unknown contact or account",
            "7:a key transparency check failed (log status: an alert is recorded)",
            "8:not a Vouch archive, damaged, of an unknown version, or not for this profile (nothing imported)"})
public final class VouchCommand implements Runnable {
    /** Exit code for a bad argument or unparseable input, shared by every subcommand. */
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--profile", paramLabel = "DIR", scope = CommandLine.ScopeType.INHERIT,
            description = "Profile folder (default: $VOUCH_PROFILE, else the system's application data folder).")
    Path profile;

    @CommandLine.Option(names = "--passphrase-file", paramLabel = "FILE", scope = CommandLine.ScopeType.INHERIT,
            description = "Read the profile passphrase from the first line of FILE (else $VOUCH_PASSPHRASE, else a prompt).")
    Path passphraseFile;

    /** The profile folder chosen by --profile (before or after the subcommand), VOUCH_PROFILE or the OS default. */
    public Path profileDirectory() {
        return ProfileLocation.resolve(profile);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Runs the command line with the given streams and returns the exit code. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = newCommandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    public static int run(String[] args) {
        return newCommandLine().execute(args);
    }

    /**
     * Runs the command line with more subcommands, faces of Vouch that live above the command line
     * (the desktop app's {@code app}); each is a picocli {@code @Command} object.
     */
    public static int run(String[] args, java.util.List<Object> faces) {
        CommandLine cli = newCommandLine();
        faces.forEach(cli::addSubcommand);
        return cli.execute(args);
    }

    static CommandLine newCommandLine() {
        CommandLine cli = new CommandLine(new VouchCommand());
        // Scripts rely on one exit code for every usage error, and on one clear line instead of a stack trace.
        cli.setParameterExceptionHandler((ex, args) -> {
            ex.getCommandLine().getErr().println("vouch: " + ex.getMessage());
            return EXIT_USAGE;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            int code = ExitCode.of(ex);
            boolean known = code != ExitCode.FAILED || ex instanceof dev.vouch.service.ServiceException;
            commandLine.getErr().println("vouch: " + (known ? "" : ex.getClass().getSimpleName() + ": ") + ex.getMessage());
            return code;
        });
        return cli;
    }
}
