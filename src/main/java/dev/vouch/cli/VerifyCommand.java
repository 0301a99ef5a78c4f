package dev.vouch.cli;

import dev.vouch.protocol.fingerprint.FingerprintException;
import dev.vouch.qr.QrPayload;
import dev.vouch.qr.QrPayloadException;
import dev.vouch.service.KeyDirectory;
import dev.vouch.service.MessengerListener;
import dev.vouch.store.model.Contact;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Marks a contact verified when the safety numbers match. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Compare your safety number with a contact's: scan the QR code from their screen (an image",
            "file or screenshot) or type the 60 digits they read to you. A match marks them verified;",
            "a mismatch explains what it means and exits with code 1."})
public final class VerifyCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "HANDLE")
    String handle;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    static final class Source {
        @Option(names = "--scan", paramLabel = "IMAGE", description = "An image (PNG, JPEG...) holding their QR code.")
        Path image;

        @Option(names = "--digits", paramLabel = "DIGITS", description = "The 60 digits they read to you (spaces allowed).")
        String digits;
    }

    @Override
    public Integer call() throws Exception {
        VouchCommand root = (VouchCommand) spec.root().userObject();
        QrPayload scanned = source.image != null ? scan(source.image) : null;
        try (ProfileSession session = ProfileSession.open(root, false, MessengerListener.NONE)) {
            Contact contact = session.messenger.keys().require(handle);
            KeyDirectory.VerifyResult result;
            try {
                result = scanned != null ? session.messenger.keys().verifyScan(contact, scanned)
                        : session.messenger.keys().verifyDigits(contact, source.digits);
            } catch (FingerprintException e) {
                throw new UsageException("the QR code holds no usable fingerprint: " + e.getMessage());
            }
            var out = spec.commandLine().getOut();
            if (result == KeyDirectory.VerifyResult.MATCH) {
                out.println("verified: " + contact.handle() + "'s account key matches; you will be warned if it changes");
                return ExitCode.OK;
            }
            out.println("MISMATCH: the safety numbers differ. Either one of you has a new account key (see: vouch keys "
                    + contact.handle() + "), or someone between you is substituting keys. Do not mark "
                    + contact.handle() + " verified; compare again in person.");
            return ExitCode.FAILED;
        }
    }

    private static QrPayload scan(Path image) {
        String text = QrImages.read(image);
        try {
            return QrPayload.decode(text);
        } catch (QrPayloadException e) {
            throw new UsageException("the QR code in " + image + " is not a Vouch verification code: " + e.getMessage());
        }
    }
}
