package dev.vouch.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The documents people read: no unresolved merge left in them, and every relative link leads to a file. */
class DocumentationTest {
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");

    private static List<Path> documents() throws IOException {
        List<Path> out = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> docs = Files.walk(Path.of("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(out::add);
        }
        return out;
    }

    @Test
    void noDocumentHoldsAnUnresolvedMerge() throws IOException {
        for (Path doc : documents()) {
            List<String> lines = Files.readAllLines(doc, StandardCharsets.UTF_8);
            assertThat(lines).as(doc.toString())
                    .noneMatch(l -> l.startsWith("<<<<<<< ") || l.equals("=======") || l.startsWith(">>>>>>> "));
        }
    }

    @Test
    void everyRelativeLinkLeadsToAFile() throws IOException {
        for (Path doc : documents()) {
            Matcher m = LINK.matcher(Files.readString(doc, StandardCharsets.UTF_8));
            while (m.find()) {
                String target = m.group(1);
                if (target.contains("://") || target.startsWith("mailto:")) {
                    continue;
                }
                Path resolved = doc.toAbsolutePath().getParent().resolve(target).normalize();
                assertThat(resolved).as(doc + " links to " + target).exists();
            }
        }
    }
}
