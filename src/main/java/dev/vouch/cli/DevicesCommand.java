package dev.vouch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.service.KeyFingerprint;
import dev.vouch.store.model.Contact;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Lists a contact's devices and their keys, or this account's own. */
@Command(name = "devices", mixinStandardHelpOptions = true,
        description = {"List a contact's devices with their key fingerprints, as the relay serves them now",
            "(any change is recorded in their key history); with --offline, as last seen. Without HANDLE,",
            "this account's own signed device list, with this device marked."})
public final class DevicesCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "HANDLE", arity = "0..1")
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
            if (handle == null) {
                return own(session, err);
            }
            Contact contact = session.messenger.keys().require(handle);
            if (!offline && session.connectOrSay(err, "showing the keys last seen")) {
                contact = session.messenger.refreshKeys(contact).contact();
            }
            var out = spec.commandLine().getOut();
            Optional<SignedDeviceList> signed = session.messenger.keys().deviceList(contact);
            ArrayNode list = Output.array();
            for (Map.Entry<Integer, DeviceIdentityKey> d : session.messenger.keys().devices(contact).entrySet()) {
                String fingerprint = KeyFingerprint.of(d.getValue().serialize());
                Optional<SignedDeviceList.Device> entry = signed.flatMap(l -> l.device(d.getKey()));
                if (json) {
                    ObjectNode device = list.addObject().put("deviceId", d.getKey()).put("key", fingerprint);
                    entry.ifPresent(e -> device.put("name", e.name()).put("added", Output.time(e.addedAt())));
                } else {
                    out.println("device " + d.getKey() + "  key " + fingerprint + entry.map(e -> "  "
                            + (e.name().isEmpty() ? "(unnamed)" : "\"" + Output.printable(e.name()) + "\"")
                            + "  added " + Output.time(e.addedAt())).orElse(""));
                }
            }
            if (json) {
                ObjectNode doc = Output.object().put("handle", contact.handle()).put("verification", Output.state(contact))
                        .put("accountKey", contact.accountKey().map(k -> KeyFingerprint.of(k.serialize())).orElse(""));
                doc.set("devices", list);
                signed.ifPresent(l -> doc.put("listVersion", l.version()));
                Output.json(out, doc);
            } else {
                signed.ifPresent(l -> out.println("signed device list version " + l.version()));
            }
        }
        return ExitCode.OK;
    }

    /** This account's own list: adopted from the relay when another device changed it, else as kept here. */
    private int own(ProfileSession session, java.io.PrintWriter err) throws Exception {
        Optional<SignedDeviceList> signed = !offline && session.connectOrSay(err, "showing the list kept here")
                ? Optional.of(session.messenger.refreshOwnDevices()) : session.messenger.ownDevices();
        if (signed.isEmpty()) {
            throw new dev.vouch.service.ServiceException("this device holds no signed device list yet; connect once");
        }
        int self = session.messenger.account().deviceId();
        var out = spec.commandLine().getOut();
        if (json) {
            ArrayNode list = Output.array();
            for (SignedDeviceList.Device d : signed.get().devices()) {
                list.addObject().put("deviceId", d.deviceId()).put("key", KeyFingerprint.of(d.key().serialize()))
                        .put("name", d.name()).put("added", Output.time(d.addedAt())).put("thisDevice", d.deviceId() == self);
            }
            ObjectNode doc = Output.object().put("handle", session.messenger.account().handle())
                    .put("listVersion", signed.get().version());
            doc.set("devices", list);
            Output.json(out, doc);
            return ExitCode.OK;
        }
        for (SignedDeviceList.Device d : signed.get().devices()) {
            out.println("device " + d.deviceId() + "  key " + KeyFingerprint.of(d.key().serialize()) + "  "
                    + (d.name().isEmpty() ? "(unnamed)" : "\"" + Output.printable(d.name()) + "\"") + "  added "
                    + Output.time(d.addedAt()) + (d.deviceId() == self ? "  (this device)" : ""));
        }
        out.println("signed device list version " + signed.get().version() + " of " + session.messenger.account().handle());
        return ExitCode.OK;
    }
}
