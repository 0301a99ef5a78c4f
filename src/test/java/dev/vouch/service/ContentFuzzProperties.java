package dev.vouch.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.ProtocolException;
import dev.vouch.protocol.UnknownTypeException;
import dev.vouch.testing.Fuzz;
import dev.vouch.testing.Fuzz.Case;
import dev.vouch.testing.Fuzz.Sample;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Fuzzes {@link Content#decode}, which reads what a peer encrypted to us: every decrypted message
 * goes through it inside the inbox's storing transaction, so an unchecked exception there would
 * leave an envelope on the relay for ever. Hostile inputs (random bytes, random bodies behind a
 * valid version and kind, and 1 to 4 edits of valid texts, receipts and read states) either decode to a valid
 * content whose encoding is the input again, or are refused with {@link MalformedDataException}
 * (of which {@link UnknownTypeException} is one). Round trips of random valid contents close it.
 */
class ContentFuzzProperties {
    private static final int TRIES = 10_000;
    private static final int U32_AT = ContentTest.HEADER;

    @Property(tries = TRIES)
    void hostileEncodingsDecodeCanonicallyOrAreMalformed(@ForAll("hostile") Case input) {
        Fuzz.assertAcceptsCanonicallyOrRefuses(input, ContentFuzzProperties::decodeAndReencode,
                MalformedDataException.class);
    }

    @Property(tries = 2_000)
    void textsRoundTrip(@ForAll("texts") Content.Text text) throws ProtocolException {
        Content back = Content.decode(text.encode());
        assertThat(back).isEqualTo(text);
    }

    @Property(tries = 500)
    void receiptsRoundTrip(@ForAll("receipts") Content.Receipt receipt) throws ProtocolException {
        Content back = Content.decode(receipt.encode());
        assertThat(back).isEqualTo(receipt);
        assertThat(((Content.Receipt) back).delivered()).containsExactlyElementsOf(receipt.delivered());
    }

    @Property(tries = 500)
    void stateSyncsRoundTrip(@ForAll("stateSyncs") Content.StateSync sync) throws ProtocolException {
        Content back = Content.decode(sync.encode());
        assertThat(back).isEqualTo(sync).isExactlyInstanceOf(sync.getClass());
        assertThat(((Content.StateSync) back).marks()).containsExactlyElementsOf(sync.marks());
    }

    /** Decodes, checks the result is a content the constructors accept, and encodes it again. */
    private static byte[] decodeAndReencode(byte[] input) throws ProtocolException {
        Content content = Content.decode(input);
        if (content instanceof Content.Text t) {
            assertThat(t.text().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Content.MAX_TEXT_BYTES);
        } else if (content instanceof Content.StateSync sync) {
            assertThat(sync.marks()).hasSizeBetween(1, Content.MAX_MARKS).allSatisfy(mark ->
                    assertThat(mark.peer().getBytes(StandardCharsets.UTF_8).length)
                            .isBetween(1, Content.MAX_HANDLE_BYTES));
        } else if (content instanceof Content.Sent sent) {
            assertThat(sent.recipient().getBytes(StandardCharsets.UTF_8).length).isBetween(1, Content.MAX_HANDLE_BYTES);
        } else {
            assertThat(((Content.Receipt) content).delivered()).hasSizeBetween(1, Content.MAX_RECEIPTS);
        }
        return content.encode();
    }

    @Provide
    Arbitrary<Case> hostile() {
        List<Sample> samples = samples();
        int longest = samples.stream().mapToInt(s -> s.bytes().length).max().orElseThrow();
        Arbitrary<Case> behindPrefix = Combinators.combine(Arbitraries.of(1, 2, 3, 4, 0),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(2 * longest)).as((kind, body) -> {
                    byte[] out = new byte[body.length + 2];
                    out[0] = (byte) Content.VERSION;
                    out[1] = (byte) (int) kind;
                    System.arraycopy(body, 0, out, 2, body.length);
                    return new Case("random body behind version 1 and kind " + kind, out);
                });
        return Arbitraries.frequencyOf(
                Tuple.of(1, Fuzz.randomBytes(2 * longest)),
                Tuple.of(1, behindPrefix),
                Tuple.of(4, Fuzz.mutationsOf(samples)));
    }

    private static List<Sample> samples() {
        Instant sent = Instant.parse("2026-11-27T12:00:00Z");
        return List.of(
                new Sample("empty text", new Content.Text(ContentTest.id(1), sent, ContentTest.profileKey(1), "").encode(),
                        U32_AT),
                new Sample("ascii text", new Content.Text(ContentTest.id(2), sent, ContentTest.profileKey(2),
                        "see you at eight").encode(), U32_AT),
                new Sample("multi-byte text", new Content.Text(ContentTest.id(3), sent, ContentTest.profileKey(3),
                        "Grüße 👋 ça").encode(), U32_AT),
                new Sample("receipt of one", new Content.Receipt(ContentTest.id(4), sent, ContentTest.profileKey(4),
                        List.of(ContentTest.id(40))).encode(), U32_AT),
                new Sample("receipt of three", new Content.Receipt(ContentTest.id(5), sent, ContentTest.profileKey(5),
                        List.of(ContentTest.id(50), ContentTest.id(51), ContentTest.id(52))).encode(), U32_AT),
                new Sample("read state of two", new Content.Read(ContentTest.id(6), sent, ContentTest.profileKey(6),
                        java.util.Optional.empty(), List.of(new Content.Mark("bob", ContentTest.id(60)),
                                new Content.Mark("ça", ContentTest.id(61)))).encode(), U32_AT),
                new Sample("delivery state of one", new Content.Delivered(ContentTest.id(7), sent,
                        ContentTest.profileKey(7), java.util.Optional.empty(),
                        List.of(new Content.Mark("dave", ContentTest.id(70)))).encode(), U32_AT));
    }

    private static Arbitrary<Content.MessageId> ids() {
        return Arbitraries.bytes().array(byte[].class).ofSize(Content.MESSAGE_ID_LENGTH).map(Content.MessageId::new);
    }

    private static Arbitrary<dev.vouch.store.model.ProfileKey> profileKeys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(dev.vouch.store.model.ProfileKey.LENGTH)
                .map(dev.vouch.store.model.ProfileKey::new);
    }

    /** Milliseconds across the whole u64 range the encoding carries (an Instant holds them all). */
    private static Arbitrary<Instant> times() {
        return Arbitraries.longs().map(Instant::ofEpochMilli);
    }

    @Provide
    Arbitrary<Content.Text> texts() {
        // Any text a person can type: Unicode without unpaired surrogates, which UTF-8 cannot carry.
        Arbitrary<String> words = Arbitraries.strings().all().ofMaxLength(300)
                .filter(s -> StandardCharsets.UTF_8.newEncoder().canEncode(s));
        return Combinators.combine(ids(), times(), profileKeys(), words).as(Content.Text::new);
    }

    @Provide
    Arbitrary<Content.Receipt> receipts() {
        Arbitrary<List<Content.MessageId>> delivered = Arbitraries.frequencyOf(
                Tuple.of(8, ids().list().ofMinSize(1).ofMaxSize(20)),
                Tuple.of(1, ids().list().ofSize(Content.MAX_RECEIPTS)));
        return Combinators.combine(ids(), times(), profileKeys(), delivered).as(Content.Receipt::new);
    }

    @Provide
    Arbitrary<Content.StateSync> stateSyncs() {
        Arbitrary<String> handles = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(Content.MAX_HANDLE_BYTES / 4)
                .filter(h -> StandardCharsets.UTF_8.newEncoder().canEncode(h))
                .filter(h -> h.getBytes(StandardCharsets.UTF_8).length <= Content.MAX_HANDLE_BYTES);
        Arbitrary<Content.Mark> marks = Combinators.combine(handles, ids()).as(Content.Mark::new);
        Arbitrary<List<Content.Mark>> named = Arbitraries.frequencyOf(
                Tuple.of(8, marks.list().ofMinSize(1).ofMaxSize(20)),
                Tuple.of(1, marks.list().ofSize(Content.MAX_MARKS)));
        Arbitrary<java.util.Optional<dev.vouch.transparency.log.SignedTreeHead>> noHead = Arbitraries.just(
                java.util.Optional.empty());
        return Arbitraries.oneOf(
                Combinators.combine(ids(), times(), profileKeys(), noHead, named).as(Content.Read::new),
                Combinators.combine(ids(), times(), profileKeys(), noHead, named).as(Content.Delivered::new));
    }
}
