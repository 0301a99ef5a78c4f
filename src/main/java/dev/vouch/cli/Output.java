package dev.vouch.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** How the messaging commands print: lines for people, {@code --json} documents for scripts. */
final class Output {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    static void json(PrintWriter out, Object node) {
        try {
            out.println(JSON.writeValueAsString(node));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        out.flush();
    }

    static String time(Instant instant) {
        return instant.truncatedTo(ChronoUnit.SECONDS).toString();
    }

    static String state(Contact contact) {
        return switch (contact.verification()) {
            case UNVERIFIED -> "unverified";
            case VERIFIED -> "verified";
            case CHANGED_AFTER_VERIFIED -> "changed-after-verified";
        };
    }

    static String status(StoredMessage message) {
        return message.status().name().toLowerCase(java.util.Locale.ROOT);
    }

    /** One message as JSON; a damaged row says so instead of failing the listing. */
    static ObjectNode message(StoredMessage m, String peer) {
        ObjectNode node = object().put("id", m.id());
        if (m.isDamaged()) {
            return node.put("peer", peer).put("status", status(m)).put("damaged", true);
        }
        return node.setAll(message(m.body(), m.status(), peer));
    }

    /** A message body as JSON, without a store id (an archive's messages have none). */
    static ObjectNode message(MessageBody body, MessageStatus status, String peer) {
        return object().put("peer", peer).put("status", status.name().toLowerCase(java.util.Locale.ROOT))
                .put("direction", body.direction().name().toLowerCase(java.util.Locale.ROOT))
                .put("from", body.senderHandle()).put("sentAt", time(body.sentAt()))
                .put("receivedAt", time(body.receivedAt())).put("text", body.text());
    }

    /** One message as a line: time, sender, text (control characters shown escaped so a message cannot rewrite the terminal). */
    static String line(StoredMessage m, String peer) {
        if (m.isDamaged()) {
            return "[damaged message " + m.id() + " with " + peer + ": it fails its integrity check]";
        }
        return line(m.body(), peer);
    }

    static String line(MessageBody body, String peer) {
        String who = body.direction() == dev.vouch.store.model.Direction.OUTGOING ? "you -> " + peer : body.senderHandle();
        return time(body.sentAt()) + "  " + who + ": " + printable(body.text());
    }

    static String printable(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == '\n') {
                out.append("\n    ");
            } else if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
                out.append(String.format("\\u{%x}", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
