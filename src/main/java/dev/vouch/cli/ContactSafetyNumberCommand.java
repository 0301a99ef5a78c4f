package dev.vouch.cli;

import dev.vouch.protocol.fingerprint.SafetyNumber;
import dev.vouch.qr.QrCodes;
import dev.vouch.service.MessengerListener;
import dev.vouch.store.model.Contact;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Shows the safety number with a contact, and writes its QR code. */
@Command(name = "safety-number", mixinStandardHelpOptions = true,
        description = {"Show the 60-digit safety number you share with a contact. Compare it in person or over",
            "a channel you trust, then mark them verified with: vouch verify HANDLE --digits ... (or --scan)."})
public final class ContactSafetyNumberCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "HANDLE")
    String handle;

    @Option(names = "--qr", paramLabel = "FILE.png", description = "Also write the QR code your contact scans to FILE.png.")
    Path qr;

    @Override
    public Integer call() throws Exception {
        VouchCommand root = (VouchCommand) spec.root().userObject();
        try (ProfileSession session = ProfileSession.open(root, false, MessengerListener.NONE)) {
            Contact contact = session.messenger.keys().require(handle);
            SafetyNumber number = session.messenger.keys().safetyNumber(contact);
            var out = spec.commandLine().getOut();
            List<String> groups = number.groups();
            for (int i = 0; i < groups.size(); i += 4) {
                out.println(String.join(" ", groups.subList(i, i + 4)));
            }
            out.println("state: " + Output.state(contact));
            if (qr != null) {
                String payload = session.messenger.keys().qrPayload(contact).encode();
                try {
                    if (!ImageIO.write(QrCodes.encode(payload), "png", qr.toFile())) {
                        throw new IOException("no PNG writer");
                    }
                } catch (IOException e) {
                    throw new UsageException("cannot write " + qr + ": " + e.getMessage());
                }
                out.println("QR code written to " + qr);
            }
        }
        return ExitCode.OK;
    }
}
