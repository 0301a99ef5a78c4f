package dev.vouch.app;

import dev.vouch.cli.VouchCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vouch app}: the desktop app, also what {@code vouch} with no arguments starts. */
@Command(name = "app", mixinStandardHelpOptions = true,
        description = {"Start the desktop app (the default when vouch is run without arguments).",
            "Uses the profile of --profile or VOUCH_PROFILE, else the system's application data folder."})
public final class AppCommand implements Callable<Integer> {
    @ParentCommand
    VouchCommand root;

    @Option(names = "--report-startup",
            description = {"Measure the start: print how long after the JVM started the first screen (unlock or",
                "first run) was shown, then close the app (packaging/README.md uses it on the app image)."})
    boolean reportStartup;

    @Override
    public Integer call() throws Exception {
        DesktopLauncher.run(root.profileDirectory(), reportStartup ? System.out::println : null);
        return 0;
    }
}
