package dev.vouch.testing;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The external test vectors, read in place from {@code -Dvouch.vectors=PATH} (default
 * {@code ../shared/vectors}). When they are absent a test is skipped with a clear message, except
 * under {@code CI=true}, where a missing vector file fails the build.
 */
public final class Vectors {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Vectors() {
    }

    public static Path root() {
        return Path.of(System.getProperty("vouch.vectors", "../shared/vectors")).toAbsolutePath().normalize();
    }

    /** The file at {@code relative} under the vector root; skips or fails the test when it is missing. */
    public static Path file(String relative) {
        Path path = root().resolve(relative);
        if (!Files.isRegularFile(path)) {
            String message = "external test vectors not found at " + path
                    + " (set -Dvouch.vectors=PATH to the shared vectors folder)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail(message + "; under CI=true the vectors are required");
            }
            assumeTrue(false, message + "; skipping");
        }
        return path;
    }

    public static JsonNode json(String relative) {
        Path path = file(relative);
        try {
            return JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read vectors " + path, e);
        }
    }

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    public static byte[] hex(JsonNode node) {
        return node == null || node.isNull() ? null : hex(node.asText());
    }

    /** One line in the test output saying how many vectors of a file ran, so the counts are visible. */
    public static void report(String file, long ran, String detail) {
        System.out.printf("[vectors] %s: %d vectors ran (%s)%n", file, ran, detail);
    }
}
