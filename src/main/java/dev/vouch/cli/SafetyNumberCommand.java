package dev.vouch.cli;

import dev.vouch.protocol.fingerprint.PartyIdentity;
import dev.vouch.protocol.fingerprint.SafetyNumber;
import dev.vouch.protocol.fingerprint.SafetyNumberGenerator;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Computes a safety number from raw keys and ids, so that Vouch can be checked against libsignal
 * or any other implementation of Signal's numeric fingerprint.
 */
@Command(name = "safety-number",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Computes the Signal-compatible safety number of two parties.",
            "The first --key and the first --id are the first party (\"local\"), the second ones the other party.",
            "",
            "Output: the 60 digits on one line, without spaces (the same for both parties).",
            "With --scannable-version, a second line: the scannable fingerprint (CombinedFingerprints protobuf)"
                    + " from the first party's point of view, in lowercase hex.",
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:computed", "2:bad arguments (one line on stderr)"})
public final class SafetyNumberCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--key", paramLabel = "HEX",
            description = "Public identity key in hex, hashed exactly as given (Signal: 33 bytes, 05 || X25519 key). Give it twice.")
    List<String> keys = new ArrayList<>();

    @Option(names = "--id", paramLabel = "ID",
            description = "Stable identifier, hashed as UTF-8 (Signal: the ACI or phone number). Give it twice.")
    List<String> ids = new ArrayList<>();

    @Option(names = "--iterations", paramLabel = "N",
            description = "SHA-512 rounds per party, 1 to " + SafetyNumberGenerator.MAX_ITERATIONS
                    + " (default: ${DEFAULT-VALUE}, as Signal).")
    int iterations = SafetyNumberGenerator.DEFAULT_ITERATIONS;

    @Option(names = "--scannable-version", paramLabel = "V",
            description = "Also print the scannable fingerprint with this version (Signal uses 1 and 2).")
    Integer scannableVersion;

    @Override
    public Integer call() {
        if (keys.size() != 2 || ids.size() != 2) {
            throw new UsageException("give exactly two --key and two --id (got " + keys.size() + " --key and "
                    + ids.size() + " --id)");
        }
        if (iterations < 1 || iterations > SafetyNumberGenerator.MAX_ITERATIONS) {
            throw new UsageException("--iterations must be between 1 and " + SafetyNumberGenerator.MAX_ITERATIONS
                    + ", got " + iterations);
        }
        if (scannableVersion != null && scannableVersion < 0) {
            throw new UsageException("--scannable-version must not be negative, got " + scannableVersion);
        }
        PartyIdentity local = party(1, keys.get(0), ids.get(0));
        PartyIdentity remote = party(2, keys.get(1), ids.get(1));

        SafetyNumber number = new SafetyNumberGenerator(iterations).generate(local, remote);
        PrintWriter out = spec.commandLine().getOut();
        out.println(number.displayable());
        if (scannableVersion != null) {
            out.println(HexFormat.of().formatHex(number.scannable(scannableVersion).toByteArray()));
        }
        out.flush();
        return 0;
    }

    private static PartyIdentity party(int position, String hexKey, String id) {
        byte[] key;
        try {
            key = HexFormat.of().parseHex(hexKey);
        } catch (IllegalArgumentException e) {
            String why = hexKey.length() % 2 != 0 ? "has an odd number of digits" : "is not hexadecimal";
            throw new UsageException("--key #" + position + " " + why + ": '" + hexKey + "'");
        }
        if (key.length == 0) {
            throw new UsageException("--key #" + position + " is empty");
        }
        try {
            return new PartyIdentity(key, id);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--id #" + position + ": " + e.getMessage());
        }
    }
}
