package dev.vouch.cli;

import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.SignedDeviceList;
import dev.vouch.qr.LinkCode;
import dev.vouch.qr.QrPayloadException;
import dev.vouch.relay.api.Invite;
import dev.vouch.service.KeyFingerprint;
import dev.vouch.service.LinkRefusedException;
import dev.vouch.service.Messenger;
import dev.vouch.service.PendingLink;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.model.Account;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Links a new device to an account by a one-time code (docs/devices.md, "Linking"). */
@Command(name = "link", mixinStandardHelpOptions = true,
        description = {"Link a new device to your account: `link show` on the new device (a fresh profile),",
            "`link accept` on a device of the account, with the code it shows."},
        subcommands = {LinkCommand.Show.class, LinkCommand.Accept.class})
public final class LinkCommand implements Runnable {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new UsageException("say `vouch link show` on the new device or `vouch link accept CODE` on a device of"
                + " the account");
    }

    /** On the new device: shows the code and waits until a device of the account accepts it. */
    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"On the new device, in a fresh profile: print a one-time link code (and write it as a QR",
                "code with --qr), then wait until a device of your account accepts it. This device then holds the",
                "account, its contacts, their key history and recent messages; the code works once and expires",
                "after 10 minutes."})
    public static final class Show implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Option(names = "--relay", required = true, paramLabel = "INVITE",
                description = "The vouch:// invite of your account's relay.")
        String inviteLink;

        @Option(names = "--qr", paramLabel = "FILE.png", description = "Also write the code as a QR code PNG.")
        Path qr;

        @Option(names = "--name", defaultValue = "Desktop", paramLabel = "NAME",
                description = "The name this device suggests for itself (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--account", paramLabel = "HANDLE",
                description = "Refuse to be linked to any other account than this one.")
        String account;

        @Option(names = "--wait", defaultValue = "10m", converter = DurationConverter.class, paramLabel = "DURATION",
                description = "How long to wait for the account's device (default: ${DEFAULT-VALUE}).")
        Duration wait;

        @Override
        public Integer call() throws Exception {
            VouchCommand root = (VouchCommand) spec.root().userObject();
            Invite invite = Invite.parse(inviteLink, Instant.now());
            var out = spec.commandLine().getOut();
            try (ProfileStore store = ProfileSession.openOrCreate(root)) {
                PendingLink pending;
                try {
                    pending = Messenger.requestLink(store, invite, name, Messenger.Options.defaults());
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--name: " + e.getMessage());
                }
                LinkCode code = pending.code();
                out.println("link code (paste it into `vouch link accept` on a device of your account):");
                out.println(code.encode());
                if (qr != null) {
                    QrImages.writePng(code.encode(), qr);
                    out.println("QR code written to " + qr);
                }
                out.println("this device's key: " + KeyFingerprint.of(code.deviceKey()) + " (check it on the other device)");
                out.println("waiting until " + Output.time(code.expiresAt()) + " ...");
                out.flush();
                Account linked = pending.await(Optional.ofNullable(account), wait);
                out.println("linked:      " + linked.handle() + " (device " + linked.deviceId() + ")");
                out.println("account key: " + KeyFingerprint.of(linked.accountIdentity().publicKey().serialize()));
                out.println("profile:     " + store.directory());
            }
            return ExitCode.OK;
        }
    }

    /** On a device of the account: accepts a new device's code after the user confirms its name and key. */
    @Command(name = "accept", mixinStandardHelpOptions = true,
            description = {"On a device of your account: link the new device whose code is given, as an image file",
                "(a photo or screenshot of its QR code) or as the pasted text. Shows the new device's key",
                "fingerprint; compare it with the one the new device prints, then confirm (or pass --yes)."})
    public static final class Accept implements Callable<Integer> {
        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(paramLabel = "IMAGE|CODE", description = "A QR code image file, or the code text.")
        String source;

        @Option(names = "--name", required = true, paramLabel = "NAME",
                description = "The name the new device gets in your device list (contacts see it).")
        String name;

        @Option(names = "--yes", description = "Do not ask: the fingerprint was compared (for scripts).")
        boolean yes;

        @Option(names = "--wait", defaultValue = "2m", converter = DurationConverter.class, paramLabel = "DURATION",
                description = "How long to wait for the new device's answer (default: ${DEFAULT-VALUE}).")
        Duration wait;

        @Override
        public Integer call() throws Exception {
            VouchCommand root = (VouchCommand) spec.root().userObject();
            var out = spec.commandLine().getOut();
            LinkCode code = decode(source);
            try (ProfileSession session = ProfileSession.open(root, true, new CliListener(spec.commandLine().getErr()))) {
                DeviceIdentityKey key = session.messenger.checkLinkCode(code);
                out.println("new device:  \"" + Output.printable(name) + "\" (it suggests \""
                        + Output.printable(code.name()) + "\")");
                out.println("its key:     " + KeyFingerprint.of(key.serialize()));
                out.flush();
                if (!yes && !confirmed()) {
                    out.println("not linked: nothing changed");
                    return ExitCode.FAILED;
                }
                SignedDeviceList list;
                try {
                    list = session.messenger.acceptLink(code, name, wait);
                } catch (IllegalArgumentException e) {
                    throw new UsageException("--name: " + e.getMessage());
                }
                int id = list.devices().stream().filter(d -> d.key().equals(key)).findFirst().orElseThrow().deviceId();
                out.println("linked device " + id + " \"" + Output.printable(name) + "\"; the account's device list is"
                        + " now version " + list.version() + " with " + list.devices().size() + " device(s)");
            }
            return ExitCode.OK;
        }

        /** Asks at the terminal; without one, only --yes confirms. */
        private boolean confirmed() {
            java.io.Console console = System.console();
            if (console == null) {
                throw new UsageException("no terminal to confirm at: compare the fingerprint, then pass --yes");
            }
            String answer = console.readLine("Is this the key the new device shows? Link it? [y/N] ");
            return answer != null && (answer.trim().equalsIgnoreCase("y") || answer.trim().equalsIgnoreCase("yes"));
        }

        /** An existing file is scanned as an image; anything else is taken as the code's text. */
        static LinkCode decode(String source) throws LinkRefusedException {
            Path file = null;
            try {
                file = Path.of(source);
            } catch (java.nio.file.InvalidPathException e) {
                // not a path: the code's text
            }
            if (file != null && !Files.exists(file)
                    && source.matches("(?i).*\\.(png|jpe?g|gif|bmp|webp)")) {
                throw new UsageException("no such image: " + source);
            }
            String text = file != null && Files.isRegularFile(file) ? QrImages.read(file)
                    : source.replaceAll("[\\r\\n]+$", ""); // Base45 has the space: nothing else is trimmed
            try {
                return LinkCode.decode(text);
            } catch (QrPayloadException e) {
                throw new LinkRefusedException(LinkRefusedException.Reason.NOT_A_LINK_CODE, e.getMessage());
            }
        }
    }
}
