package dev.vouch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.service.LogPosition;
import java.util.Optional;
import dev.vouch.service.KeyFingerprint;
import dev.vouch.service.MessengerListener;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.KeyEvent;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints a contact's key history. */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "Show a contact's key history: first sight, every key or device change, verifications, reviews.")
public final class KeysCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "HANDLE")
    String handle;

    @Option(names = "--json", description = "One JSON document for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        VouchCommand root = (VouchCommand) spec.root().userObject();
        try (ProfileSession session = ProfileSession.open(root, false, MessengerListener.NONE)) {
            Contact contact = session.messenger.keys().require(handle);
            var out = spec.commandLine().getOut();
            String key = contact.accountKey().map(k -> KeyFingerprint.of(k.serialize())).orElse("");
            ArrayNode events = Output.array();
            Optional<LogPosition> position = session.messenger.logPosition(contact);
            if (!json) {
                out.println(contact.handle() + "  " + Output.state(contact) + "  account key " + key);
                out.println(position.map(p -> "log: entry version " + p.version() + " at position " + p.index()
                        + ", proven in a head of " + p.headSize() + " entries on " + Output.time(p.checkedAt()))
                        .orElse("log: not proven yet (the relay runs no log, or these keys were not served since)"));
            }
            for (KeyEvent e : session.messenger.keys().history(contact)) {
                String type = e.type().name().toLowerCase(Locale.ROOT).replace('_', '-');
                if (json) {
                    events.add(Output.object().put("at", Output.time(e.at())).put("event", type).put("detail", e.detail()));
                } else {
                    out.println(Output.time(e.at()) + "  " + type + ": " + e.detail());
                }
            }
            if (json) {
                ObjectNode node = Output.object().put("handle", contact.handle()).put("verification", Output.state(contact))
                        .put("accountKey", key);
                position.ifPresent(p -> node.set("log", Output.object().put("index", p.index()).put("version", p.version())
                        .put("headSize", p.headSize()).put("checkedAt", Output.time(p.checkedAt()))));
                // the devices the history arrived at, so an export holds the whole key state
                ArrayNode devices = Output.array();
                var signed = session.messenger.keys().deviceList(contact);
                for (var d : session.messenger.keys().devices(contact).entrySet()) {
                    ObjectNode device = devices.addObject().put("deviceId", d.getKey())
                            .put("key", KeyFingerprint.of(d.getValue().serialize()));
                    signed.flatMap(l -> l.device(d.getKey())).ifPresent(e -> device.put("name", e.name())
                            .put("added", Output.time(e.addedAt())));
                }
                node.set("devices", devices);
                signed.ifPresent(l -> node.put("listVersion", l.version()));
                node.set("events", events);
                Output.json(out, node);
            }
        }
        return ExitCode.OK;
    }
}
