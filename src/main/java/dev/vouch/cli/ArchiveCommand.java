package dev.vouch.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.archive.profile.ArchiveFiles;
import dev.vouch.archive.profile.ArchiveSummary;
import dev.vouch.archive.profile.ContentsReader;
import dev.vouch.archive.profile.TransferMonitor;
import dev.vouch.protocol.keys.AccountIdentityKey;
import dev.vouch.service.KeyFingerprint;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Reads archives without a profile or a relay. */
@Command(name = "archive", mixinStandardHelpOptions = true,
        description = "Read an archive made by 'vouch export' on any machine, without a profile or a relay.",
        subcommands = ArchiveCommand.Show.class)
public final class ArchiveCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Show what an archive holds: whose it is, its contacts with their verification state, its"
                    + " conversations; with --conversation, that conversation's messages."})
    public static final class Show implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The archive.")
        Path file;

        @Option(names = "--conversation", paramLabel = "HANDLE", description = "Print the messages of the conversation with HANDLE, oldest first.")
        String conversation;

        @Option(names = "--limit", defaultValue = "100", description = "With --conversation: at most this many of the newest messages (default: ${DEFAULT-VALUE}).")
        int limit;

        @Mixin
        ArchivePassphraseOption archivePassphrase;

        @Option(names = "--json", description = "One JSON document for scripts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (limit < 1) {
                throw new UsageException("--limit must be at least 1");
            }
            if (!Files.isRegularFile(file)) {
                throw new UsageException("no archive file " + file);
            }
            char[] passphrase = archivePassphrase.read("Passphrase of the archive", false);
            Deque<ArchiveSummary.ShownMessage> newest = new ArrayDeque<>();
            ArchiveSummary summary;
            try (ContentsReader reader = ArchiveFiles.open(file, passphrase, TransferMonitor.NONE)) {
                summary = ArchiveSummary.read(reader, Optional.ofNullable(conversation), m -> {
                    newest.addLast(m);
                    if (newest.size() > limit) {
                        newest.removeFirst();
                    }
                }, TransferMonitor.NONE);
            } finally {
                Arrays.fill(passphrase, '\0');
            }
            if (json) {
                printJson(summary, newest);
            } else {
                printText(summary, newest);
            }
            return ExitCode.OK;
        }

        private void printText(ArchiveSummary s, Deque<ArchiveSummary.ShownMessage> messages) {
            PrintWriter o = spec.commandLine().getOut();
            if (conversation != null) {
                for (ArchiveSummary.ShownMessage m : messages) {
                    o.println(Output.line(m.body(), m.peer()) + "  [" + m.status().name().toLowerCase(Locale.ROOT) + "]");
                }
                return;
            }
            o.println("account:     " + s.header().handle());
            o.println("made:        " + Output.time(s.header().createdAt()) + " by " + s.header().producer());
            o.println("contents:    " + (s.carriesIdentity() ? "full (account keys included)" : "history only (no private keys)"));
            o.println("messages:    " + s.messages() + " in " + s.conversations().size() + " conversation(s)");
            o.println("contacts:");
            for (ArchiveSummary.ContactSummary c : s.contacts()) {
                o.println("  " + c.handle() + "  " + state(c) + "  " + fingerprint(c) + "  " + c.keyEvents()
                        + " key history entries");
            }
            o.println("conversations:");
            for (ArchiveSummary.ConversationSummary c : s.conversations()) {
                o.println("  " + c.peer() + "  " + c.messages() + " messages"
                        + c.last().map(t -> ", last " + Output.time(t)).orElse(""));
            }
        }

        private void printJson(ArchiveSummary s, Deque<ArchiveSummary.ShownMessage> messages) {
            ObjectNode root = Output.object().put("account", s.header().handle())
                    .put("createdAt", Output.time(s.header().createdAt())).put("producer", s.header().producer())
                    .put("scope", s.carriesIdentity() ? "full" : "history-only").put("messages", s.messages());
            ArrayNode contacts = root.putArray("contacts");
            for (ArchiveSummary.ContactSummary c : s.contacts()) {
                contacts.addObject().put("handle", c.handle()).put("displayName", c.displayName())
                        .put("state", state(c)).put("accountKey", fingerprint(c)).put("keyEvents", c.keyEvents())
                        .put("devices", c.devices());
            }
            ArrayNode conversations = root.putArray("conversations");
            for (ArchiveSummary.ConversationSummary c : s.conversations()) {
                ObjectNode node = conversations.addObject().put("peer", c.peer()).put("messages", c.messages());
                c.first().ifPresent(t -> node.put("first", Output.time(t)));
                c.last().ifPresent(t -> node.put("last", Output.time(t)));
            }
            if (conversation != null) {
                ArrayNode list = root.putArray("conversation");
                for (ArchiveSummary.ShownMessage m : messages) {
                    list.add(Output.message(m.body(), m.status(), m.peer()));
                }
            }
            Output.json(spec.commandLine().getOut(), root);
        }

        private static String state(ArchiveSummary.ContactSummary c) {
            return c.verification().name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        private static String fingerprint(ArchiveSummary.ContactSummary c) {
            if (c.accountKey().isEmpty()) {
                return "no key yet";
            }
            try {
                return KeyFingerprint.of(AccountIdentityKey.decode(c.accountKey().get()).serialize());
            } catch (dev.vouch.protocol.MalformedDataException e) {
                return "unreadable key";
            }
        }
    }
}
