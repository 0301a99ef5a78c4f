package dev.vouch.app;

import dev.vouch.cli.VouchCommand;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code vouch app}: the desktop app, also what {@code vouch} with no arguments starts. */
@Command(name = "app", mixinStandardHelpOptions = true,
        description = {"Start the desktop app (the default when vouch is run without arguments).",
            "Uses the profile of --profile or VOUCH_PROFILE, else the system's application data folder."})
public final class AppCommand implements Callable<Integer> {
    @ParentCommand
    VouchCommand root;

    @Override
    public Integer call() throws Exception {
        DesktopLauncher.run(root.profileDirectory());
        return 0;
    }
}
