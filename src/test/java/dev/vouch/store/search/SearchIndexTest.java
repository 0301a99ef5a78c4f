package dev.vouch.store.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SearchIndexTest {
    private static List<Long> ids(SearchResult result) {
        return result.hits().stream().map(SearchHit::messageId).toList();
    }

    private static SearchIndex sample() {
        SearchIndex index = new SearchIndex();
        index.add(1, 10, "Lunch tomorrow at the café?");
        index.add(2, 20, "The cafe on Main street is closed");
        index.add(3, 10, "Let's meet at noon, then lunch");
        index.add(5, 20, "Tomorrow is fine 🎉");
        index.add(8, 10, "東京都に行きます");
        index.add(9, 30, "ЛАНЧ завтра");
        return index;
    }

    @Test
    void termsAreAndedAndResultsAreNewestFirst() {
        SearchIndex index = sample();
        assertThat(ids(index.search("lunch ", 10))).containsExactly(3L, 1L);
        assertThat(ids(index.search("lunch tomorrow ", 10))).containsExactly(1L);
        assertThat(ids(index.search("cafe ", 10))).containsExactly(2L, 1L);
        assertThat(ids(index.search("CAFÉ ", 10))).containsExactly(2L, 1L);
        assertThat(ids(index.search("lunch closed ", 10))).isEmpty();
        assertThat(ids(index.search("nothing ", 10))).isEmpty();
        assertThat(ids(index.search("", 10))).isEmpty();
    }

    @Test
    void theLastTermMatchesAsAPrefix() {
        SearchIndex index = sample();
        assertThat(ids(index.search("tom", 10))).containsExactly(5L, 1L);
        assertThat(ids(index.search("tom ", 10))).isEmpty(); // a finished word is exact
        assertThat(ids(index.search("at lun", 10))).containsExactly(3L, 1L);
        assertThat(ids(index.search("the lun", 10))).containsExactly(1L);
        // only the last term is a prefix
        assertThat(ids(index.search("lun the", 10))).isEmpty();
    }

    @Test
    void emojiCyrillicAndCjkAreSearchable() {
        SearchIndex index = sample();
        assertThat(ids(index.search("🎉", 10))).containsExactly(5L);
        assertThat(ids(index.search("ланч", 10))).containsExactly(9L);
        assertThat(ids(index.search("東京", 10))).containsExactly(8L);
        assertThat(ids(index.search("京都", 10))).containsExactly(8L);
        assertThat(ids(index.search("都", 10))).containsExactly(8L); // middle character, found by prefix
        assertThat(ids(index.search("す", 10))).containsExactly(8L); // last character of the run
        assertThat(ids(index.search("大阪", 10))).isEmpty();
    }

    @Test
    void aConversationFilterKeepsOnlyThatConversation() {
        SearchIndex index = sample();
        assertThat(ids(index.search("lunch ", 10, 10))).containsExactly(3L, 1L);
        assertThat(ids(index.search("cafe ", 20, 10))).containsExactly(2L);
        assertThat(index.search("cafe ", 20, 10).total()).isEqualTo(1);
        assertThat(ids(index.search("cafe ", 30, 10))).isEmpty();
    }

    @Test
    void theLimitCutsHitsButNotTheTotal() {
        SearchIndex index = new SearchIndex();
        for (int i = 1; i <= 250; i++) {
            index.add(i, 1, "hello number " + i);
        }
        SearchResult result = index.search("hello", 100);
        assertThat(result.hits()).hasSize(100);
        assertThat(result.total()).isEqualTo(250);
        assertThat(result.hits().get(0).messageId()).isEqualTo(250);
        assertThat(result.hits().get(99).messageId()).isEqualTo(151);
    }

    @Test
    void idsAtOrBelowWhatIsCoveredAreIgnored() {
        SearchIndex index = new SearchIndex();
        assertThat(index.add(5, 1, "first")).isTrue();
        assertThat(index.add(5, 1, "again")).isFalse();
        assertThat(index.add(3, 1, "older")).isFalse();
        index.add(7, 1, null); // not text: covered, no document
        assertThat(index.coveredUpTo()).isEqualTo(7);
        assertThat(index.documentCount()).isEqualTo(1);
        assertThat(ids(index.search("again", 10))).isEmpty();
        assertThat(ids(index.search("older", 10))).isEmpty();
    }

    @Test
    void idsOutsideTheIntRangeAreRefused() {
        SearchIndex index = new SearchIndex();
        assertThatThrownBy(() -> index.add(0, 1, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.add(1L << 31, 1, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> index.add(1, 1L << 31, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(index.add(Integer.MAX_VALUE, Integer.MAX_VALUE, "max")).isTrue();
        assertThat(ids(index.search("max", 1))).containsExactly((long) Integer.MAX_VALUE);
    }

    @Test
    void compactionKeepsEveryMatchAcrossSegmentsAndBuffer() {
        SearchIndex index = new SearchIndex();
        index.add(1, 1, "alpha beta");
        index.add(2, 1, "alpha gamma");
        index.compact();
        index.add(3, 1, "alpha delta beta");
        index.compact();
        index.add(4, 2, "alphabet beta"); // stays buffered
        assertThat(index.bufferedDocuments()).isEqualTo(1);
        assertThat(ids(index.search("alpha ", 10))).containsExactly(3L, 2L, 1L);
        assertThat(ids(index.search("alpha", 10))).containsExactly(4L, 3L, 2L, 1L);
        assertThat(ids(index.search("beta alph", 10))).containsExactly(4L, 3L, 1L);
        assertThat(index.compressedTerms()).containsExactly("alpha", "beta", "delta", "gamma");
    }

    /** Random messages, random compaction points: the index answers exactly like a brute-force scan. */
    @Test
    void agreesWithABruteForceScan() throws Exception {
        Random random = new Random(42);
        String[] words = {"apple", "apply", "ape", "banana", "band", "can", "canal", "été", "eta", "日本", "本日", "🎉"};
        SearchIndex index = new SearchIndex();
        Map<Long, List<String>> docs = new HashMap<>();
        Map<Long, Long> conversation = new HashMap<>();
        long id = 0;
        for (int i = 0; i < 3000; i++) {
            id += 1 + random.nextInt(3);
            List<String> chosen = new ArrayList<>();
            int n = 1 + random.nextInt(5);
            for (int k = 0; k < n; k++) {
                chosen.add(words[random.nextInt(words.length)]);
            }
            long conv = 1 + random.nextInt(4);
            index.add(id, conv, String.join(" ", chosen));
            docs.put(id, chosen.stream().map(w -> Tokenizer.indexTokens(w)).flatMap(List::stream).toList());
            conversation.put(id, conv);
            if (random.nextInt(400) == 0) {
                index.compact();
            }
        }
        String[][] queries = {{"apple "}, {"ap"}, {"can "}, {"can"}, {"ete "}, {"banana ap"}, {"本日 "}, {"🎉 band "},
                {"canal eta"}, {"zzz"}};
        for (String[] q : queries) {
            for (long conv = 0; conv <= 4; conv++) {
                List<Tokenizer.Term> terms = Tokenizer.queryTerms(q[0]);
                List<Long> expected = new ArrayList<>();
                for (Map.Entry<Long, List<String>> e : docs.entrySet()) {
                    boolean all = terms.stream().allMatch(t -> e.getValue().stream()
                            .anyMatch(tok -> t.prefix() ? tok.startsWith(t.text()) : tok.equals(t.text())));
                    if (all && (conv == 0 || conversation.get(e.getKey()) == conv)) {
                        expected.add(e.getKey());
                    }
                }
                expected.sort((a, b) -> Long.compare(b, a));
                SearchResult got = conv == 0 ? index.search(q[0], 50) : index.search(q[0], conv, 50);
                assertThat(got.total()).as(q[0] + " in " + conv).isEqualTo(expected.size());
                assertThat(ids(got)).as(q[0] + " in " + conv).isEqualTo(expected.subList(0, Math.min(50, expected.size())));
            }
        }
        // and the same after a round trip through the serialized form
        Bytes out = new Bytes(1024);
        long covered = index.writeTo(out);
        SearchIndex copy = SearchIndex.readFrom(out.array(), 0, out.size());
        assertThat(copy.coveredUpTo()).isEqualTo(covered).isEqualTo(id);
        for (String[] q : queries) {
            assertThat(copy.search(q[0], 3, 1000)).isEqualTo(index.search(q[0], 3, 1000));
        }
    }

    @Test
    void serializedFormRoundTripsAndKeepsAcceptingNewerMessages() throws Exception {
        SearchIndex index = sample();
        index.compact();
        index.add(12, 10, "after compaction lunch");
        Bytes out = new Bytes(64);
        index.writeTo(out);
        SearchIndex copy = SearchIndex.readFrom(out.array(), 0, out.size());
        assertThat(copy.coveredUpTo()).isEqualTo(12);
        assertThat(copy.documentCount()).isEqualTo(7);
        assertThat(ids(copy.search("lunch ", 10))).containsExactly(12L, 3L, 1L);
        assertThat(copy.add(12, 10, "duplicate")).isFalse();
        copy.add(13, 10, "lunch again");
        assertThat(ids(copy.search("lunch ", 10))).containsExactly(13L, 12L, 3L, 1L);
        assertThat(ids(copy.search("東京", 10))).containsExactly(8L);
    }

    @Test
    void damagedSerializedFormsAreRefused() {
        SearchIndex index = sample();
        Bytes out = new Bytes(64);
        index.writeTo(out);
        byte[] good = out.toArray();
        assertThatThrownBy(() -> SearchIndex.readFrom(good, 0, good.length - 1))
                .isInstanceOf(MalformedSnapshotException.class);
        byte[] extra = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> SearchIndex.readFrom(extra, 0, extra.length))
                .isInstanceOf(MalformedSnapshotException.class);
        byte[] wrongMagic = good.clone();
        wrongMagic[0] ^= 1;
        assertThatThrownBy(() -> SearchIndex.readFrom(wrongMagic, 0, wrongMagic.length))
                .isInstanceOf(MalformedSnapshotException.class);
        // flipping any single byte never yields an index that silently differs: it is refused
        // or (rarely) still parses into an index whose answers we then compare
        int refused = 0;
        for (int i = 4; i < good.length; i++) {
            byte[] bad = good.clone();
            bad[i] ^= 0x55;
            try {
                SearchIndex.readFrom(bad, 0, bad.length);
            } catch (MalformedSnapshotException e) {
                refused++;
            } catch (RuntimeException e) {
                throw new AssertionError("byte " + i + " crashed the parser instead of being refused", e);
            }
        }
        assertThat(refused).isPositive();
    }

    @Test
    void aDestroyedIndexHoldsNothingAndRefusesUse() {
        SearchIndex index = sample();
        index.compact();
        assertThat(index.compressedTerms()).contains("lunch");
        index.destroy();
        assertThat(index.isDestroyed()).isTrue();
        assertThat(index.compressedTerms()).isEmpty();
        assertThat(index.documentCount()).isZero();
        assertThatThrownBy(() -> index.search("lunch", 10)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> index.add(100, 1, "x")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aDestroyedIndexOverwritesItsTermBytes() {
        SearchIndex index = sample();
        index.compact();
        Bytes out = new Bytes(64);
        index.writeTo(out); // compacted segment
        // reach the segment's arrays through a fresh compaction-free view
        Segment before = segmentOf(index);
        byte[] terms = before.termBytes;
        assertThat(new String(terms, java.nio.charset.StandardCharsets.UTF_8)).contains("lunch");
        index.destroy();
        assertThat(terms).containsOnly((byte) 0);
        assertThat(before.postings).containsOnly((byte) 0);
    }

    private static Segment segmentOf(SearchIndex index) {
        try {
            var field = SearchIndex.class.getDeclaredField("frozen");
            field.setAccessible(true);
            return (Segment) field.get(index);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
