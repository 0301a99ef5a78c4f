package dev.vouch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.vouch.service.MessengerListener;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.StoredMessage;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints the stored conversation with a contact. */
@Command(name = "history", mixinStandardHelpOptions = true,
        description = "Print the conversation with a contact from the local store, oldest first, with delivery states.")
public final class HistoryCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "HANDLE")
    String handle;

    @Option(names = "--limit", defaultValue = "100", description = "At most this many of the newest messages (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "One JSON document for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (limit < 1) {
            throw new UsageException("--limit must be at least 1");
        }
        VouchCommand root = (VouchCommand) spec.root().userObject();
        try (ProfileSession session = ProfileSession.open(root, false, MessengerListener.NONE)) {
            Contact contact = session.messenger.keys().require(handle);
            var out = spec.commandLine().getOut();
            ArrayNode list = Output.array();
            for (StoredMessage m : session.messenger.history(contact, limit)) {
                if (json) {
                    list.add(Output.message(m, contact.handle()));
                } else {
                    out.println(Output.line(m, contact.handle()) + "  [" + Output.status(m) + "]");
                }
            }
            if (json) {
                Output.json(out, list);
            }
        }
        return ExitCode.OK;
    }
}
