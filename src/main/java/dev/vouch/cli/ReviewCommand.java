package dev.vouch.cli;

import dev.vouch.service.KeyFingerprint;
import dev.vouch.service.Messenger;
import dev.vouch.store.model.KeyEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Reviews a verified contact's key change: shows it, and approves it or postpones. */
@Command(name = "review", mixinStandardHelpOptions = true,
        description = {"Review a key change of a contact you had verified. Without an option, shows the change and",
            "the messages held for them. --accept (or --approve) accepts the new keys (the contact becomes unverified) and sends",
            "the held messages, each once; --later keeps them held and reminds you again.",
            "Without a handle, lists every contact with a key change waiting or messages held, and due reminders."})
public final class ReviewCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "HANDLE", arity = "0..1")
    String handle;

    @ArgGroup(exclusive = true)
    Decision decision;

    static final class Decision {
        @Option(names = {"--accept", "--approve"}, description = "Accept the new keys and send the held messages.")
        boolean approve;

        @Option(names = "--later", description = "Remind me later: keep the messages held.")
        boolean later;
    }

    @Override
    public Integer call() throws Exception {
        VouchCommand root = (VouchCommand) spec.root().userObject();
        var out = spec.commandLine().getOut();
        if (handle == null && decision != null) {
            throw new UsageException("--accept and --later need the contact's handle: vouch review HANDLE --accept");
        }
        try (ProfileSession session = ProfileSession.open(root, false, new CliListener(spec.commandLine().getErr()))) {
            if (handle == null) {
                list(session, out);
                return ExitCode.OK;
            }
            Messenger.Review review = session.messenger.review(handle);
            String who = review.contact().handle();
            if (!review.pending()) {
                out.println(who + " has no key change waiting for review (" + Output.state(review.contact()) + ")");
                return ExitCode.OK;
            }
            if (decision != null && decision.approve) {
                session.connectOrSay(spec.commandLine().getErr(), "the released messages wait in the outbox");
                int released = session.messenger.approve(handle);
                boolean stillVerified = session.messenger.keys().require(handle).verification()
                        == dev.vouch.store.model.VerificationState.VERIFIED;
                out.println(stillVerified
                        ? "accepted: " + who + "'s new devices (the account key you verified is unchanged, so " + who
                                + " stays verified); " + released + " held message(s) released"
                        : "approved: " + who + "'s new account key is accepted (unverified; verify it again with"
                                + " vouch verify " + who + "); " + released + " held message(s) released");
                return ExitCode.OK;
            }
            if (decision != null && decision.later) {
                Instant at = session.messenger.remindLater(handle, Duration.ofDays(1));
                out.println("later: " + review.held().size() + " message(s) to " + who + " stay held; reminder at "
                        + Output.time(at));
                return ExitCode.OK;
            }
            // what changed since the contact was last verified: the account key, devices, or both
            List<KeyEvent> history = review.history();
            int since = 0;
            for (int i = 0; i < history.size(); i++) {
                if (history.get(i).type() == KeyEvent.Type.VERIFIED) {
                    since = i + 1;
                }
            }
            List<KeyEvent> changes = history.subList(since, history.size()).stream()
                    .filter(e -> e.type() == KeyEvent.Type.ACCOUNT_KEY_CHANGED || e.type() == KeyEvent.Type.DEVICE_ADDED
                            || e.type() == KeyEvent.Type.DEVICE_REMOVED).toList();
            boolean accountKey = changes.stream().anyMatch(e -> e.type() == KeyEvent.Type.ACCOUNT_KEY_CHANGED);
            out.println(who + "'s " + (accountKey ? "account key" : "devices") + " changed after you verified it.");
            out.println("current account key: " + review.contact().accountKey().map(k -> KeyFingerprint.of(k.serialize()))
                    .orElse("?"));
            changes.stream().skip(Math.max(0, changes.size() - 5)).forEach(e -> out.println("  " + Output.time(e.at())
                    + "  " + e.type().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + ": " + e.detail()));
            out.println(review.held().size() + " message(s) held.");
            out.println("If " + who + " told you they set up a new account or device, compare safety numbers again"
                    + " (vouch safety-number " + who + "), then: vouch review " + who + " --accept");
            review.remindLater().ifPresent(at -> out.println("reminder set for " + Output.time(at)));
        }
        return ExitCode.OK;
    }

    /** Every contact with a key change waiting or messages held, one line each; due reminders marked. */
    private static void list(ProfileSession session, java.io.PrintWriter out) throws Exception {
        List<Messenger.Review> reviews = session.messenger.reviews();
        if (reviews.isEmpty()) {
            out.println("no key change is waiting for review and no message is held");
            return;
        }
        java.util.Set<String> due = new java.util.HashSet<>();
        session.messenger.reminders().due().forEach(d -> due.add(d.handle()));
        for (Messenger.Review review : reviews) {
            String who = review.contact().handle();
            String reminder = review.remindLater().map(at -> due.contains(who)
                    ? "; reminder due since " + Output.time(at) : "; reminder at " + Output.time(at)).orElse("");
            out.println(who + ": " + (review.pending() ? "key change waiting for review" : Output.state(review.contact()))
                    + "; " + review.held().size() + " message(s) held" + reminder + " (vouch review " + who + ")");
        }
    }
}
