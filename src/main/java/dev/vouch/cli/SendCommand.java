package dev.vouch.cli;

import dev.vouch.service.Messenger;
import dev.vouch.store.model.MessageStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Sends one text message. */
@Command(name = "send", mixinStandardHelpOptions = true,
        description = {"Send a text message. It is stored encrypted first, so it is never lost:",
            "offline it waits in the outbox and goes out with the next command that reaches the relay."})
public final class SendCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "HANDLE")
    String handle;

    @Parameters(index = "1", paramLabel = "TEXT", description = "The message; - reads it from standard input.")
    String text;

    @Option(names = "--json", description = "One JSON document for scripts.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String body = "-".equals(text) ? stdin() : text;
        if (body.isEmpty()) {
            throw new UsageException("the message is empty");
        }
        VouchCommand root = (VouchCommand) spec.root().userObject();
        try (ProfileSession session = ProfileSession.open(root, false, new CliListener(spec.commandLine().getErr()))) {
            session.connectOrSay(spec.commandLine().getErr(), "the message waits in the outbox");
            Messenger.SendResult result = session.messenger.send(handle, body);
            var out = spec.commandLine().getOut();
            String status = result.status().name().toLowerCase(java.util.Locale.ROOT);
            if (json) {
                Output.json(out, Output.object().put("id", result.message().id()).put("status", status));
            } else if (result.status() == MessageStatus.HELD) {
                out.println("held: " + handle + "'s key changed after you verified them; review it with: vouch review "
                        + handle);
            } else if (result.status() == MessageStatus.QUEUED) {
                out.println("queued: the message waits in the outbox until the relay accepts it");
            } else {
                out.println(status);
            }
            session.noteDueReminders(spec.commandLine().getErr());
        }
        return ExitCode.OK;
    }

    private static String stdin() throws IOException {
        String all = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        return all.endsWith("\n") ? all.substring(0, all.length() - (all.endsWith("\r\n") ? 2 : 1)) : all;
    }
}
