package dev.vouch.relay.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one JSON configuration for relay frames, shared by server and client: strict (unknown
 * properties, missing fields and nulls for numbers are errors), bounded (no string longer than a
 * frame can be), and without type coercion, so hostile input fails in the mapper with one
 * exception type and never reaches a handler half-parsed.
 */
public final class Wire {
    /** The largest text frame either side accepts. */
    public static final int MAX_FRAME = 2 * 1024 * 1024;

    /**
     * Marks an optional field ({@code @JacksonInject(value = ABSENT, useInput = TRUE)}): a frame
     * may leave it out, and then it is null. Every other field must be present.
     */
    static final String ABSENT = "absent";

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .injectableValues(new InjectableValues.Std().addValue(ABSENT, null))
            .build();

    static {
        MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxStringLength(MAX_FRAME).maxNestingDepth(16).maxNumberLength(20).build());
    }

    private Wire() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String encode(Frame frame) {
        try {
            return MAPPER.writeValueAsString(frame);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a frame record failed to serialize", e);
        }
    }

    /** Parses one frame; anything malformed or invalid is a {@link BadFrameException}. */
    public static Frame decode(String text) throws BadFrameException {
        if (text == null || text.length() > MAX_FRAME) {
            throw new BadFrameException("frame too large or empty");
        }
        try {
            return MAPPER.readValue(text, Frame.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new BadFrameException("malformed frame: " + firstLine(e.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int newline = message.indexOf('\n');
        String line = newline < 0 ? message : message.substring(0, newline);
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
