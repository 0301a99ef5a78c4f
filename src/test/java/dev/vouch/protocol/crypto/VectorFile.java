package dev.vouch.protocol.crypto;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.testing.Vectors;
import java.util.ArrayList;
import java.util.List;

/**
 * One Wycheproof vector file, flattened to its test cases (each keeps its group, which carries
 * shared parameters such as the public key). Read in place through {@link Vectors}.
 */
record VectorFile(String file, int numberOfTests, List<Case> cases) {

    static VectorFile load(String relative) {
        JsonNode root = Vectors.json(relative);
        List<Case> cases = new ArrayList<>();
        for (JsonNode group : root.path("testGroups")) {
            for (JsonNode test : group.path("tests")) {
                cases.add(new Case(group, test));
            }
        }
        return new VectorFile(relative, root.path("numberOfTests").asInt(-1), List.copyOf(cases));
    }

    /** One test case; {@link #label()} names it in failure messages. */
    record Case(JsonNode group, JsonNode test) {
        int tcId() {
            return test.path("tcId").asInt();
        }

        String result() {
            return test.path("result").asText();
        }

        boolean isValid() {
            return "valid".equals(result());
        }

        boolean isInvalid() {
            return "invalid".equals(result());
        }

        boolean isAcceptable() {
            return "acceptable".equals(result());
        }

        /** A hex field of the test case; absent fields fail loudly rather than read as empty. */
        byte[] hex(String field) {
            JsonNode node = test.get(field);
            if (node == null || node.isNull()) {
                throw new IllegalArgumentException("tcId " + tcId() + " has no field '" + field + "'");
            }
            return Vectors.hex(node.asText());
        }

        int intField(String field) {
            return test.path(field).asInt();
        }

        String label() {
            String comment = test.path("comment").asText("");
            return "tcId " + tcId() + " [" + result() + "]"
                    + (comment.isEmpty() ? "" : " " + comment)
                    + (test.path("flags").isEmpty() ? "" : " " + test.path("flags"));
        }
    }
}
