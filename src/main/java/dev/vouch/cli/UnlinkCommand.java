package dev.vouch.cli;

import dev.vouch.protocol.keys.SignedDeviceList;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Removes a device from this account's signed device list. */
@Command(name = "unlink", mixinStandardHelpOptions = true,
        description = {"Remove a device from your account: signs and publishes the device list without it. The relay",
            "stops delivering to it at once and tells it; contacts stop encrypting to it at their next send.",
            "Run it from another device of the account (vouch devices lists them)."})
public final class UnlinkCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "DEVICE", description = "The device id, as `vouch devices` shows it.")
    int deviceId;

    @Override
    public Integer call() throws Exception {
        VouchCommand root = (VouchCommand) spec.root().userObject();
        try (ProfileSession session = ProfileSession.open(root, true, new CliListener(spec.commandLine().getErr()))) {
            SignedDeviceList before = session.messenger.refreshOwnDevices();
            String name = before.device(deviceId).map(d -> " \"" + Output.printable(d.name()) + "\"").orElse("");
            SignedDeviceList list = session.messenger.unlink(deviceId);
            spec.commandLine().getOut().println("unlinked device " + deviceId + name + "; the account's device list is"
                    + " now version " + list.version() + " with " + list.devices().size() + " device(s)");
        }
        return ExitCode.OK;
    }
}
