package dev.vouch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.service.KeyFingerprint;
import dev.vouch.store.model.Contact;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Lists a contact's devices and their keys. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"List a contact's devices with their key fingerprints, as the relay serves them now",
            "(any change is recorded in their key history); with --offline, as last seen."})
public final class DevicesCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "HANDLE")
    String handle;

    @Option(names = "--offline", description = "Do not ask the relay; show the keys last seen.")
    boolean offline;

    @Option(names = "--json", description = "One JSON document for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        VouchCommand root = (VouchCommand) spec.root().userObject();
        var err = spec.commandLine().getErr();
        try (ProfileSession session = ProfileSession.open(root, false, new CliListener(err))) {
            Contact contact = session.messenger.keys().require(handle);
            if (!offline && session.connectOrSay(err, "showing the keys last seen")) {
                contact = session.messenger.refreshKeys(contact).contact();
            }
            var out = spec.commandLine().getOut();
            ArrayNode list = Output.array();
            for (Map.Entry<Integer, DeviceIdentityKey> d : session.messenger.keys().devices(contact).entrySet()) {
                String fingerprint = KeyFingerprint.of(d.getValue().serialize());
                if (json) {
                    list.add(Output.object().put("deviceId", d.getKey()).put("key", fingerprint));
                } else {
                    out.println("device " + d.getKey() + "  key " + fingerprint);
                }
            }
            if (json) {
                Output.json(out, Output.object().put("handle", contact.handle()).put("verification", Output.state(contact))
                        .put("accountKey", contact.accountKey().map(k -> KeyFingerprint.of(k.serialize())).orElse(""))
                        .set("devices", list));
            }
        }
        return ExitCode.OK;
    }
}
