package dev.vouch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.StoredMessage;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Fetches new messages from the relay and prints each once. */
@Command(name = "receive", mixinStandardHelpOptions = true,
        description = {"Fetch new messages and print each one once, oldest first, with its sender and time.",
            "With --follow, keep running and print messages as they arrive (Ctrl-C stops)."})
public final class ReceiveCommand implements Callable<Integer> {
    private static final Duration MAX_WAIT = Duration.ofSeconds(30);
    private static final int PAGE = 500;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--follow", description = "Keep running and print messages as they arrive.")
    boolean follow;

    @Option(names = "--json", description = "JSON for scripts: one array, or with --follow one object per line.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        VouchCommand root = (VouchCommand) spec.root().userObject();
        Semaphore arrived = new Semaphore(0);
        CliListener listener = new CliListener(spec.commandLine().getErr()) {
            @Override
            public void received(StoredMessage message, Contact from) {
                arrived.release();
            }
        };
        try (ProfileSession session = ProfileSession.open(root, true, listener)) {
            session.noteDueReminders(spec.commandLine().getErr());
            if (follow) {
                Thread closer = new Thread(session::close, "vouch-shutdown");
                Runtime.getRuntime().addShutdownHook(closer);
                while (true) {
                    print(session, true);
                    arrived.tryAcquire(1, TimeUnit.SECONDS);
                    arrived.drainPermits();
                    session.messenger.flush();
                }
            }
            session.messenger.awaitMailbox(MAX_WAIT);
            print(session, false);
        }
        return ExitCode.OK;
    }

    /** Prints the unread messages (each once: they are marked read right after) and returns how many. */
    private int print(ProfileSession session, boolean streaming) throws Exception {
        var out = spec.commandLine().getOut();
        ArrayNode all = Output.array();
        int count = 0;
        while (true) {
            List<StoredMessage> page = session.messenger.unread(PAGE);
            for (StoredMessage m : page) {
                String peer = session.messenger.peerOf(m);
                if (!json) {
                    out.println(Output.line(m, peer));
                } else if (streaming) {
                    Output.json(out, Output.message(m, peer));
                } else {
                    all.add(Output.message(m, peer));
                }
            }
            out.flush();
            session.messenger.markRead(page);
            count += page.size();
            if (page.size() < PAGE) {
                break;
            }
        }
        if (json && !streaming) {
            Output.json(out, all);
        }
        return count;
    }
}
