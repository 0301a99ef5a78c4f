package dev.vouch.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.UnknownTypeException;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.store.model.ProfileKey;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What travels inside a session message: texts and receipts come back as they went in, and every
 * encoding a peer could send that this client cannot read is refused with the one typed exception
 * the inbox expects ({@link UnknownTypeException} for a newer format, {@link MalformedDataException}
 * for the rest), never an unchecked one and never a value the constructors would have refused.
 */
class ContentTest {
    /** version, kind, message id, sent-at, profile key: the header every kind starts with. */
    static final int HEADER = 1 + 1 + Content.MESSAGE_ID_LENGTH + 8 + ProfileKey.LENGTH;
    private static final Instant SENT = Instant.parse("2026-11-27T12:34:56.789Z");

    static Content.MessageId id(int seed) {
        byte[] bytes = new byte[Content.MESSAGE_ID_LENGTH];
        Arrays.fill(bytes, (byte) seed);
        bytes[0] = (byte) (seed >>> 8);
        return new Content.MessageId(bytes);
    }

    static ProfileKey profileKey(int seed) {
        byte[] bytes = new byte[ProfileKey.LENGTH];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (seed + i);
        }
        return new ProfileKey(bytes);
    }

    /** The header of an encoding, written by hand as docs describe it, so the tests do not trust {@code encode}. */
    private static ByteWriter header(int version, int kind) {
        return new ByteWriter(128).u8(version).u8(kind).fixed(id(7).bytes()).u64(SENT.toEpochMilli())
                .fixed(profileKey(3).bytes()).bool(false);
    }

    @Test
    void aTextRoundTripsWithEveryField() throws Exception {
        for (String text : List.of("", "hello", "Grüß Gott 👋 « ça va ? »", "line\nbreak\u0000nul", "x".repeat(10_000))) {
            Content.Text sent = new Content.Text(id(1), SENT, profileKey(9), text);
            Content back = Content.decode(sent.encode());
            assertThat(back).isInstanceOfSatisfying(Content.Text.class, t -> {
                assertThat(t.text()).isEqualTo(text);
                assertThat(t.messageId()).isEqualTo(id(1));
                assertThat(t.sentAt()).isEqualTo(SENT);
                assertThat(t.profileKey()).isEqualTo(profileKey(9));
            });
            assertThat(back).isEqualTo(sent);
            assertThat(back.encode()).isEqualTo(sent.encode());
        }
    }

    @Test
    void theEncodingIsTheDocumentedLayout() throws Exception {
        byte[] text = "hi".getBytes(StandardCharsets.UTF_8);
        byte[] byHand = header(1, 1).bytes(text).toByteArray();
        Content.Text sent = new Content.Text(id(7), SENT, profileKey(3), "hi");
        assertThat(sent.encode()).isEqualTo(byHand);
        byte[] receipt = header(1, 2).u32(2).fixed(id(1).bytes()).fixed(id(2).bytes()).toByteArray();
        assertThat(new Content.Receipt(id(7), SENT, profileKey(3), List.of(id(1), id(2))).encode()).isEqualTo(receipt);
    }

    @Test
    void aReceiptRoundTripsWithItsIdsInOrder() throws Exception {
        for (int count : new int[] {1, 2, 17, Content.MAX_RECEIPTS}) {
            List<Content.MessageId> ids = IntStream.range(0, count).mapToObj(i -> id(1000 + i)).toList();
            Content.Receipt sent = new Content.Receipt(id(5), SENT, profileKey(1), ids);
            Content back = Content.decode(sent.encode());
            assertThat(back).isInstanceOfSatisfying(Content.Receipt.class, r -> {
                assertThat(r.delivered()).containsExactlyElementsOf(ids);
                assertThat(r.messageId()).isEqualTo(id(5));
                assertThat(r.sentAt()).isEqualTo(SENT);
                assertThat(r.profileKey()).isEqualTo(profileKey(1));
            });
            assertThat(back).isEqualTo(sent);
        }
    }

    @Test
    void everyTruncationIsMalformedNotUnknown() {
        List<byte[]> encodings = List.of(new Content.Text(id(1), SENT, profileKey(1), "a few words").encode(),
                new Content.Receipt(id(2), SENT, profileKey(2), List.of(id(3), id(4))).encode(),
                new Content.Read(id(5), SENT, profileKey(3), java.util.Optional.empty(),
                        List.of(new Content.Mark("bob", id(6)), new Content.Mark("carol", id(7)))).encode(),
                new Content.Delivered(id(8), SENT, profileKey(4), java.util.Optional.empty(),
                        List.of(new Content.Mark("dave", id(9)))).encode());
        for (byte[] full : encodings) {
            for (int length = 0; length < full.length; length++) {
                byte[] cut = Arrays.copyOf(full, length);
                assertThatThrownBy(() -> Content.decode(cut)).as("truncated to %d of %d", length, full.length)
                        .isExactlyInstanceOf(MalformedDataException.class);
            }
        }
    }

    @Test
    void trailingBytesAreRefused() {
        byte[] full = new Content.Text(id(1), SENT, profileKey(1), "text").encode();
        byte[] longer = Arrays.copyOf(full, full.length + 1);
        assertThatThrownBy(() -> Content.decode(longer)).isExactlyInstanceOf(MalformedDataException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2, 3, 0x7F, 0xFF})
    void anUnknownVersionIsUnknownType(int version) {
        byte[] data = header(version, 1).bytes(new byte[] {'h', 'i'}).toByteArray();
        assertThatThrownBy(() -> Content.decode(data)).isInstanceOf(UnknownTypeException.class)
                .hasMessageContaining("version " + version);
        // only the version byte is needed to tell: a newer format may have another layout
        assertThatThrownBy(() -> Content.decode(new byte[] {(byte) version})).isInstanceOf(UnknownTypeException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 6, 7, 0x80, 0xFF})
    void anUnknownKindIsUnknownType(int kind) {
        byte[] data = header(1, kind).bytes(new byte[] {'h', 'i'}).toByteArray();
        assertThatThrownBy(() -> Content.decode(data)).isInstanceOf(UnknownTypeException.class)
                .hasMessageContaining("kind " + kind);
    }

    @Test
    void aSentCopyRoundTripsAndNeedsARecipient() throws Exception {
        Content.Sent copy = new Content.Sent(id(4), SENT, profileKey(2), java.util.Optional.empty(), "alice", "hi there");
        assertThat(Content.decode(copy.encode())).isEqualTo(copy);
        assertThatThrownBy(() -> new Content.Sent(id(4), SENT, profileKey(2), java.util.Optional.empty(), "", "x"))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] noRecipient = header(1, 3).u8(0).bytes(new byte[] {'h', 'i'}).toByteArray();
        assertThatThrownBy(() -> Content.decode(noRecipient)).isExactlyInstanceOf(MalformedDataException.class)
                .hasMessageContaining("recipient");
        byte[] longRecipient = header(1, 3).u8(65).fixed(new byte[65]).bytes(new byte[] {'h'}).toByteArray();
        assertThatThrownBy(() -> Content.decode(longRecipient)).isExactlyInstanceOf(MalformedDataException.class);
    }

    private static List<Content.Mark> marks(int count) {
        return IntStream.range(0, count).mapToObj(i -> new Content.Mark("sender" + (i % 7), id(2000 + i))).toList();
    }

    /** Read state (kind 4) and delivery state (kind 5), built alike. */
    private static final Map<Integer, StateSyncOf> STATE_SYNCS = Map.of(
            4, (id, key, marks) -> new Content.Read(id, SENT, key, java.util.Optional.empty(), marks),
            5, (id, key, marks) -> new Content.Delivered(id, SENT, key, java.util.Optional.empty(), marks));

    private interface StateSyncOf {
        Content.StateSync of(Content.MessageId id, ProfileKey key, List<Content.Mark> marks);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void aStateSyncRoundTripsAsItsKindWithItsMarksInOrder(int kind) throws Exception {
        StateSyncOf of = STATE_SYNCS.get(kind);
        for (int count : new int[] {1, 2, 17, Content.MAX_MARKS}) {
            List<Content.Mark> marks = marks(count);
            Content.StateSync sent = of.of(id(8), profileKey(4), marks);
            Content back = Content.decode(sent.encode());
            assertThat(back).isInstanceOfSatisfying(sent.getClass(), r -> {
                assertThat(r.marks()).containsExactlyElementsOf(marks);
                assertThat(r.messageId()).isEqualTo(id(8));
                assertThat(r.sentAt()).isEqualTo(SENT);
                assertThat(r.profileKey()).isEqualTo(profileKey(4));
            });
            assertThat(back).isEqualTo(sent);
        }
        String longest = "é".repeat(Content.MAX_HANDLE_BYTES / 2);
        Content.StateSync wide = of.of(id(8), profileKey(4), List.of(new Content.Mark(longest, id(1))));
        assertThat(Content.decode(wide.encode())).isEqualTo(wide);
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 5})
    void aStateSyncHasTheDocumentedLayout(int kind) {
        byte[] byHand = header(1, kind).u32(2).u8(3).fixed("bob".getBytes(StandardCharsets.UTF_8))
                .fixed(id(1).bytes()).u8(1).fixed(new byte[] {'c'}).fixed(id(2).bytes()).toByteArray();
        Content.StateSync sync = STATE_SYNCS.get(kind).of(id(7), profileKey(3),
                List.of(new Content.Mark("bob", id(1)), new Content.Mark("c", id(2))));
        assertThat(sync.encode()).isEqualTo(byHand);
    }

    @Test
    void stateSyncsOfNoMarksTooManyMarksOrBadHandlesAreRefused() {
        assertThatThrownBy(() -> new Content.Read(id(1), SENT, profileKey(1), java.util.Optional.empty(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Content.Delivered(id(1), SENT, profileKey(1), java.util.Optional.empty(),
                List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Content.Delivered(id(1), SENT, profileKey(1), java.util.Optional.empty(),
                marks(Content.MAX_MARKS + 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Content.Read(id(1), SENT, profileKey(1), java.util.Optional.empty(),
                marks(Content.MAX_MARKS + 1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Content.Mark("", id(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Content.Mark("x".repeat(Content.MAX_HANDLE_BYTES + 1), id(1)))
                .isInstanceOf(IllegalArgumentException.class);

        byte[] zero = header(1, 4).u32(0).toByteArray();
        assertThatThrownBy(() -> Content.decode(zero)).isExactlyInstanceOf(MalformedDataException.class);
        ByteWriter over = header(1, 4).u32(Content.MAX_MARKS + 1);
        for (int i = 0; i <= Content.MAX_MARKS; i++) {
            over.u8(1).fixed(new byte[] {'a'}).fixed(id(i).bytes());
        }
        byte[] overBytes = over.toByteArray();
        assertThatThrownBy(() -> Content.decode(overBytes)).isExactlyInstanceOf(MalformedDataException.class);
        for (int huge : new int[] {0x7FFFFFFF, 0xFFFFFFFF, 0x80000000}) {
            byte[] hugeCount = header(1, 4).u32(huge).u8(1).fixed(new byte[] {'a'}).fixed(id(1).bytes()).toByteArray();
            assertThatThrownBy(() -> Content.decode(hugeCount)).isExactlyInstanceOf(MalformedDataException.class);
        }
        byte[] noHandle = header(1, 4).u32(1).u8(0).fixed(id(1).bytes()).toByteArray();
        assertThatThrownBy(() -> Content.decode(noHandle)).isExactlyInstanceOf(MalformedDataException.class)
                .hasMessageContaining("peer handle length 0");
        byte[] longHandle = header(1, 4).u32(1).u8(Content.MAX_HANDLE_BYTES + 1)
                .fixed(new byte[Content.MAX_HANDLE_BYTES + 1]).fixed(id(1).bytes()).toByteArray();
        assertThatThrownBy(() -> Content.decode(longHandle)).isExactlyInstanceOf(MalformedDataException.class)
                .hasMessageContaining("peer handle length");
        byte[] notUtf8 = header(1, 4).u32(1).u8(2).fixed(new byte[] {(byte) 0xC3, 'a'}).fixed(id(1).bytes())
                .toByteArray();
        assertThatThrownBy(() -> Content.decode(notUtf8)).isExactlyInstanceOf(MalformedDataException.class)
                .hasMessageContaining("UTF-8");
        // a count that promises more marks than follow, and a mark cut inside its id
        byte[] fewer = header(1, 4).u32(2).u8(1).fixed(new byte[] {'a'}).fixed(id(1).bytes()).toByteArray();
        assertThatThrownBy(() -> Content.decode(fewer)).isExactlyInstanceOf(MalformedDataException.class);
        byte[] cutId = header(1, 4).u32(1).u8(1).fixed(new byte[] {'a'}).fixed(new byte[5]).toByteArray();
        assertThatThrownBy(() -> Content.decode(cutId)).isExactlyInstanceOf(MalformedDataException.class);
    }

    @Test
    void textThatIsNotUtf8IsRefused() {
        for (byte[] bad : List.of(new byte[] {(byte) 0xC3}, new byte[] {(byte) 0xFF, 'a'}, new byte[] {(byte) 0xC0, (byte) 0xAF},
                new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {'o', 'k', (byte) 0x80})) {
            byte[] data = header(1, 1).bytes(bad).toByteArray();
            assertThatThrownBy(() -> Content.decode(data)).as(Arrays.toString(bad))
                    .isExactlyInstanceOf(MalformedDataException.class).hasMessageContaining("UTF-8");
        }
    }

    @Test
    void textUpToTheLimitIsReadAndOverItIsRefused() throws Exception {
        String atLimit = "é".repeat(Content.MAX_TEXT_BYTES / 2);
        assertThat(atLimit.getBytes(StandardCharsets.UTF_8)).hasSize(Content.MAX_TEXT_BYTES);
        Content.Text fits = new Content.Text(id(1), SENT, profileKey(1), atLimit);
        assertThat(((Content.Text) Content.decode(fits.encode())).text()).isEqualTo(atLimit);

        String over = atLimit + "a";
        assertThatThrownBy(() -> new Content.Text(id(1), SENT, profileKey(1), over))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] overByHand = header(1, 1).bytes(over.getBytes(StandardCharsets.UTF_8)).toByteArray();
        assertThatThrownBy(() -> Content.decode(overByHand)).isExactlyInstanceOf(MalformedDataException.class);
    }

    @Test
    void receiptCountsOfZeroAndOverTheMaximumAreRefused() {
        assertThatThrownBy(() -> new Content.Receipt(id(1), SENT, profileKey(1), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        List<Content.MessageId> tooMany = new ArrayList<>();
        for (int i = 0; i <= Content.MAX_RECEIPTS; i++) {
            tooMany.add(id(i));
        }
        assertThatThrownBy(() -> new Content.Receipt(id(1), SENT, profileKey(1), tooMany))
                .isInstanceOf(IllegalArgumentException.class);

        byte[] zero = header(1, 2).u32(0).toByteArray();
        assertThatThrownBy(() -> Content.decode(zero)).isExactlyInstanceOf(MalformedDataException.class);
        ByteWriter over = header(1, 2).u32(Content.MAX_RECEIPTS + 1);
        tooMany.forEach(id -> over.fixed(id.bytes()));
        byte[] overBytes = over.toByteArray();
        assertThatThrownBy(() -> Content.decode(overBytes)).isExactlyInstanceOf(MalformedDataException.class);
        for (int huge : new int[] {0x7FFFFFFF, 0xFFFFFFFF, 0x80000000}) {
            byte[] hugeCount = header(1, 2).u32(huge).fixed(id(1).bytes()).toByteArray();
            assertThatThrownBy(() -> Content.decode(hugeCount)).isExactlyInstanceOf(MalformedDataException.class);
        }
        // a count that promises more ids than follow
        byte[] short1 = header(1, 2).u32(3).fixed(id(1).bytes()).fixed(id(2).bytes()).toByteArray();
        assertThatThrownBy(() -> Content.decode(short1)).isExactlyInstanceOf(MalformedDataException.class);
    }

    @Test
    void aTextLengthFieldBeyondTheDataIsRefused() {
        for (int length : new int[] {3, 0x7FFFFFFF, 0xFFFFFFFF, Content.MAX_TEXT_BYTES + 1}) {
            byte[] data = header(1, 1).u32(length).fixed(new byte[] {'a', 'b'}).toByteArray();
            assertThatThrownBy(() -> Content.decode(data)).isExactlyInstanceOf(MalformedDataException.class);
        }
    }

    @Test
    void messageIdsHaveSixteenBytesAndAreValues() {
        assertThatThrownBy(() -> new Content.MessageId(new byte[15])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Content.MessageId(new byte[17])).isInstanceOf(IllegalArgumentException.class);
        byte[] bytes = id(9).bytes();
        Content.MessageId id = new Content.MessageId(bytes);
        bytes[0] ^= 1;
        assertThat(id).isEqualTo(id(9)).hasSameHashCodeAs(id(9)).isNotEqualTo(new Content.MessageId(bytes));
        id.bytes()[1] ^= 1;
        assertThat(id).as("the id keeps its own copy").isEqualTo(id(9));
    }

    @Test
    void aTextDoesNotShowItsWordsWhenPrinted() {
        assertThat(new Content.Text(id(1), SENT, profileKey(1), "secret words").toString())
                .doesNotContain("secret").contains("12 chars");
    }
}
