package dev.vouch.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Shows or sets the profile's send-hold policy, the same setting as the app's Settings window. */
@Command(name = "policy", mixinStandardHelpOptions = true,
        description = {"Show the send-hold policy, or set it: hold-new-devices on also holds your messages to a",
            "verified contact when they add a device, until you review it (vouch review HANDLE); off (the default)",
            "only announces the new device. Kept in the profile, so the desktop app follows it too."})
public final class PolicyCommand implements Callable<Integer> {
    static final String HOLD_NEW_DEVICES = "hold-new-devices";

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SETTING", description = "hold-new-devices")
    String setting;

    @Parameters(index = "1", arity = "0..1", paramLabel = "on|off")
    String value;

    @Option(names = "--json", description = "One JSON document for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (setting != null && !HOLD_NEW_DEVICES.equals(setting)) {
            throw new UsageException("unknown policy '" + setting + "'; the one policy is " + HOLD_NEW_DEVICES);
        }
        Boolean hold = value == null ? null : switch (value.toLowerCase(Locale.ROOT)) {
            case "on" -> Boolean.TRUE;
            case "off" -> Boolean.FALSE;
            default -> throw new UsageException("'" + value + "' is neither on nor off");
        };
        VouchCommand root = (VouchCommand) spec.root().userObject();
        var out = spec.commandLine().getOut();
        try (ProfileSession session = ProfileSession.open(root, false, CliListener.quiet())) {
            if (hold != null) {
                session.messenger.keys().holdNewDevices(hold);
            }
            boolean now = session.messenger.keys().holdsNewDevices();
            if (json) {
                Output.json(out, Output.object().put("holdNewDevices", now));
            } else {
                out.println(HOLD_NEW_DEVICES + ": " + (now ? "on" : "off") + (now
                        ? " (a verified contact's new device holds your messages to them until you review it)"
                        : " (a verified contact's new device is announced; your messages keep going out)"));
            }
        }
        return ExitCode.OK;
    }
}
