package dev.vouch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.vouch.service.KeyDirectory;
import dev.vouch.service.KeyFingerprint;
import dev.vouch.service.MessengerListener;
import dev.vouch.store.model.Contact;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Lists contacts; {@code contacts add HANDLE} adds one. */
@Command(name = "contacts", mixinStandardHelpOptions = true, subcommands = ContactsCommand.Add.class,
        description = "List your contacts with their verification state and account key fingerprint.")
public final class ContactsCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--json", description = "One JSON document for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        VouchCommand root = (VouchCommand) spec.root().userObject();
        try (ProfileSession session = ProfileSession.open(root, false, MessengerListener.NONE)) {
            var out = spec.commandLine().getOut();
            ArrayNode list = Output.array();
            for (Contact c : session.messenger.keys().list()) {
                String key = c.accountKey().map(k -> KeyFingerprint.of(k.serialize())).orElse("");
                if (json) {
                    list.add(Output.object().put("handle", c.handle()).put("verification", Output.state(c))
                            .put("accountKey", key).put("added", Output.time(c.addedAt())));
                } else {
                    out.printf("%-32s %-22s %s%n", c.handle(), Output.state(c), key);
                }
            }
            if (json) {
                Output.json(out, list);
            } else if (list.isEmpty() && session.messenger.keys().list().isEmpty()) {
                out.println("no contacts yet; add one with: vouch contacts add HANDLE");
            }
        }
        return ExitCode.OK;
    }

    /** Adds a contact, fetching its keys from the relay. */
    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Add a contact by handle; their account key is trusted on first use until you verify it.")
    public static final class Add implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "HANDLE")
        String handle;

        @Option(names = "--json", description = "One JSON document for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            VouchCommand root = (VouchCommand) spec.root().userObject();
            try (ProfileSession session = ProfileSession.open(root, true, MessengerListener.NONE)) {
                KeyDirectory.Observation seen = session.messenger.addContact(handle);
                Contact c = seen.contact();
                String key = c.accountKey().map(k -> KeyFingerprint.of(k.serialize())).orElse("");
                var out = spec.commandLine().getOut();
                if (json) {
                    Output.json(out, Output.object().put("handle", c.handle()).put("verification", Output.state(c))
                            .put("accountKey", key));
                } else {
                    out.println("contact " + c.handle() + " (" + Output.state(c) + "), account key " + key);
                    seen.events().forEach(e -> out.println("  " + e.type().name().toLowerCase(java.util.Locale.ROOT)
                            .replace('_', ' ') + ": " + e.detail()));
                }
            }
            return ExitCode.OK;
        }
    }
}
