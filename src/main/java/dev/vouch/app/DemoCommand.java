package dev.vouch.app;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code vouch demo}: Alice and Bob talking through a relay on this computer, and a relay that lies on request. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start the demo: a relay on this computer and two throwaway profiles, Alice and Bob, in two"
                + " windows, already talking, with a control that makes the relay misbehave (substitute Bob's key,"
                + " inject a device, show a split view) so you can see each protection fire.",
            "Everything lives in a new temporary folder, deleted when the demo's windows close."})
public final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.println("Starting the demo: a relay and two profiles on this computer…");
        out.flush();
        DesktopLauncher.demo(folder -> {
            out.println("The demo's relay and profiles are in " + folder + ", deleted when the demo closes.");
            out.flush();
        });
        return 0;
    }
}
