package dev.vouch.store.search;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory inverted index over message text: tokens (see {@link Tokenizer}) to the messages
 * that contain them. Pure data structure, no SQL and no keys; thread-safe (queries share a read
 * lock, additions and compaction take the write lock briefly; tokenizing happens outside it).
 *
 * <p>Messages must be added in increasing id order; an id at or below {@link #coveredUpTo()} is
 * ignored, so replaying a range twice is harmless. Each message with at least one token becomes
 * a document numbered in that order, so "newest first" is descending document number. New
 * documents go to a small mutable buffer (a hash map of int lists); {@link #compact()} folds the
 * buffer into one immutable, compressed {@link Segment}.
 */
public final class SearchIndex {
    private static final byte[] MAGIC = "VSI1".getBytes(StandardCharsets.US_ASCII);
    private static final long ANY_CONVERSATION = Long.MIN_VALUE;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private Segment frozen = Segment.EMPTY;
    private Map<String, IntList> live = new HashMap<>();
    private int liveDocuments;
    // Row ids of SQLite tables allocated as MAX(id) + 1 stay far below 2^31: ints halve the table.
    private int[] messageIds;
    private int[] conversationIds;
    private int documents;
    private long coveredUpTo;
    private boolean destroyed;

    public SearchIndex() {
        this(new int[1024], new int[1024], 0, 0, Segment.EMPTY);
    }

    private SearchIndex(int[] messageIds, int[] conversationIds, int documents, long coveredUpTo, Segment frozen) {
        this.messageIds = messageIds;
        this.conversationIds = conversationIds;
        this.documents = documents;
        this.coveredUpTo = coveredUpTo;
        this.frozen = frozen;
    }

    /**
     * Indexes one message. Text without tokens (or {@code null}, for non-text content) adds no
     * document but still counts as covered.
     *
     * @return false when the id was already covered (the message is ignored)
     * @throws IllegalArgumentException for an id outside 1..2^31-1
     * @throws IllegalStateException after {@link #destroy()}
     */
    public boolean add(long messageId, long conversationId, String text) {
        if (messageId <= 0 || messageId > Integer.MAX_VALUE || conversationId <= 0 || conversationId > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("ids must be between 1 and 2^31-1");
        }
        List<String> tokens = text == null ? List.of() : Tokenizer.indexTokens(text);
        lock.writeLock().lock();
        try {
            checkAlive();
            if (messageId <= coveredUpTo) {
                return false;
            }
            coveredUpTo = messageId;
            if (tokens.isEmpty()) {
                return true;
            }
            if (documents == messageIds.length) {
                int grown = documents + Math.max(1024, documents >> 1);
                messageIds = Arrays.copyOf(messageIds, grown);
                conversationIds = Arrays.copyOf(conversationIds, grown);
            }
            int doc = documents++;
            messageIds[doc] = (int) messageId;
            conversationIds[doc] = (int) conversationId;
            for (String token : tokens) {
                live.computeIfAbsent(token, k -> new IntList()).add(doc);
            }
            liveDocuments++;
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Records that every message up to {@code messageId} has been seen (e.g. the last one was damaged). */
    public void cover(long messageId) {
        lock.writeLock().lock();
        try {
            checkAlive();
            coveredUpTo = Math.max(coveredUpTo, messageId);
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** The highest message id seen: the next message to index is the one after it. */
    public long coveredUpTo() {
        lock.readLock().lock();
        try {
            return coveredUpTo;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Messages with at least one token. */
    public int documentCount() {
        lock.readLock().lock();
        try {
            return documents;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Documents added since the last {@link #compact()}. */
    public int bufferedDocuments() {
        lock.readLock().lock();
        try {
            return liveDocuments;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Folds the buffer into the compressed segment. */
    public void compact() {
        lock.writeLock().lock();
        try {
            checkAlive();
            compactLocked();
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void compactLocked() {
        if (liveDocuments == 0 && live.isEmpty()) {
            return;
        }
        frozen = Segment.merge(frozen, Segment.of(live));
        live = new HashMap<>();
        liveDocuments = 0;
    }

    /** Approximate bytes held by the compressed part and the document table (the buffer is not counted). */
    public long compressedBytes() {
        lock.readLock().lock();
        try {
            return frozen.bytesUsed() + 8L * messageIds.length;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Distinct tokens in the compressed part. */
    public int termCount() {
        lock.readLock().lock();
        try {
            return frozen.termCount;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Matches of {@code query} in every conversation. */
    public SearchResult search(String query, int limit) {
        return search(Tokenizer.queryTerms(query), ANY_CONVERSATION, limit);
    }

    /** Matches of {@code query} in one conversation. */
    public SearchResult search(String query, long conversationId, int limit) {
        return search(Tokenizer.queryTerms(query), conversationId, limit);
    }

    /**
     * Messages containing every term (a prefix term: some token starting with it), newest
     * first, at most {@code limit}, with the total count.
     */
    SearchResult search(List<Tokenizer.Term> terms, long conversation, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("negative limit");
        }
        if (terms.isEmpty()) {
            return SearchResult.EMPTY;
        }
        lock.readLock().lock();
        try {
            checkAlive();
            int n = documents;
            List<Sources> plan = new ArrayList<>(terms.size());
            for (Tokenizer.Term term : terms) {
                Sources sources = sources(term);
                if (sources.cost == 0) {
                    return SearchResult.EMPTY;
                }
                plan.add(sources);
            }
            plan.sort((a, b) -> Long.compare(a.cost, b.cost));
            long[] bits = new long[(n + 63) >>> 6];
            plan.get(0).orInto(frozen, bits);
            for (int k = 1; k < plan.size(); k++) {
                long[] next = new long[bits.length];
                plan.get(k).andInto(frozen, bits, next);
                bits = next;
            }
            return collect(bits, conversation, limit);
        } finally {
            lock.readLock().unlock();
        }
    }

    private SearchResult collect(long[] bits, long conversation, int limit) {
        List<SearchHit> hits = new ArrayList<>(Math.min(limit, 128));
        int total = 0;
        for (int w = bits.length - 1; w >= 0; w--) {
            long word = bits[w];
            while (word != 0) {
                int bit = 63 - Long.numberOfLeadingZeros(word);
                word &= ~(1L << bit);
                int doc = (w << 6) | bit;
                if (conversation != ANY_CONVERSATION && conversationIds[doc] != conversation) {
                    continue;
                }
                total++;
                if (hits.size() < limit) {
                    hits.add(new SearchHit(messageIds[doc], conversationIds[doc]));
                }
            }
        }
        return new SearchResult(hits, total, true);
    }

    /** Where one term's documents are: a range of compressed terms and some buffered lists. */
    private static final class Sources {
        int from;
        int to;
        final List<IntList> buffered = new ArrayList<>(1);
        long cost;

        void orInto(Segment segment, long[] bits) {
            for (int t = from; t < to; t++) {
                segment.orInto(t, bits);
            }
            for (IntList list : buffered) {
                list.orInto(bits);
            }
        }

        void andInto(Segment segment, long[] filter, long[] out) {
            for (int t = from; t < to; t++) {
                segment.andInto(t, filter, out);
            }
            for (IntList list : buffered) {
                list.andInto(filter, out);
            }
        }
    }

    private Sources sources(Tokenizer.Term term) {
        Sources s = new Sources();
        byte[] key = term.text().getBytes(StandardCharsets.UTF_8);
        if (term.prefix()) {
            s.from = frozen.lowerBound(key);
            s.to = frozen.prefixEnd(key, s.from);
            for (Map.Entry<String, IntList> e : live.entrySet()) {
                if (e.getKey().startsWith(term.text())) {
                    s.buffered.add(e.getValue());
                }
            }
        } else {
            int t = frozen.find(key);
            s.from = t < 0 ? 0 : t;
            s.to = t < 0 ? 0 : t + 1;
            IntList list = live.get(term.text());
            if (list != null) {
                s.buffered.add(list);
            }
        }
        for (int t = s.from; t < s.to; t++) {
            s.cost += frozen.docFreq[t];
        }
        for (IntList list : s.buffered) {
            s.cost += list.size();
        }
        return s;
    }

    /**
     * Drops everything and overwrites the compressed terms and postings; every later use fails.
     * Called when the store locks, so no token outlives the keys in this structure.
     */
    public void destroy() {
        lock.writeLock().lock();
        try {
            if (destroyed) {
                return;
            }
            destroyed = true;
            frozen.wipe();
            frozen = Segment.EMPTY;
            live = new HashMap<>();
            Arrays.fill(messageIds, 0);
            Arrays.fill(conversationIds, 0);
            documents = 0;
            liveDocuments = 0;
        } finally {
            lock.writeLock().unlock();
        }
    }

    public boolean isDestroyed() {
        lock.readLock().lock();
        try {
            return destroyed;
        } finally {
            lock.readLock().unlock();
        }
    }

    private void checkAlive() {
        if (destroyed) {
            throw new IllegalStateException("the search index was dropped (the store is locked)");
        }
    }

    /** The terms of the compressed part, for tests that inspect what is held. */
    List<String> compressedTerms() {
        lock.readLock().lock();
        try {
            List<String> out = new ArrayList<>(frozen.termCount);
            for (int t = 0; t < frozen.termCount; t++) {
                out.add(frozen.term(t));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    // ---- serialization ----

    /**
     * Compacts, then writes the whole index into {@code out} (plaintext: the caller seals it and
     * wipes the buffer). Returns the covered message id the bytes stand for.
     */
    long writeTo(Bytes out) {
        Segment seg;
        int[] ids;
        int[] convs;
        int n;
        long covered;
        lock.writeLock().lock();
        try {
            checkAlive();
            compactLocked();
            seg = frozen;
            ids = messageIds;
            convs = conversationIds;
            n = documents;
            covered = coveredUpTo;
        } finally {
            lock.writeLock().unlock();
        }
        // The segment is immutable and the document table is append-only, so the copies taken
        // under the lock stay valid while writing outside it.
        out.write(MAGIC, 0, MAGIC.length);
        out.varlong(covered);
        out.varint(n);
        long prev = 0;
        for (int d = 0; d < n; d++) {
            out.varlong(ids[d] - prev);
            prev = ids[d];
            out.varlong(convs[d]);
        }
        out.varint(seg.termCount);
        int prevStart = 0;
        int prevLength = 0;
        for (int t = 0; t < seg.termCount; t++) {
            int start = seg.termStarts[t];
            int length = seg.termStarts[t + 1] - start;
            int shared = 0;
            int limit = Math.min(length, prevLength);
            while (shared < limit && seg.termBytes[prevStart + shared] == seg.termBytes[start + shared]) {
                shared++;
            }
            out.varint(shared);
            out.varint(length - shared);
            out.write(seg.termBytes, start + shared, length - shared);
            out.varint(seg.docFreq[t]);
            out.varint(seg.lastDoc[t]);
            out.varint(seg.postingStarts[t + 1] - seg.postingStarts[t]);
            prevStart = start;
            prevLength = length;
        }
        int postingLength = seg.postingStarts[seg.termCount];
        out.varint(postingLength);
        out.write(seg.postings, 0, postingLength);
        return covered;
    }

    /**
     * Reads what {@link #writeTo} wrote, checking every structural invariant (sorted unique
     * terms, postings ascending, in range and matching their counts).
     */
    static SearchIndex readFrom(byte[] data, int from, int to) throws MalformedSnapshotException {
        Bytes.Reader r = new Bytes.Reader(data, from, to);
        for (byte b : MAGIC) {
            if (r.u8() != (b & 0xFF)) {
                throw new MalformedSnapshotException("not a search index");
            }
        }
        long covered = r.varlong();
        if (covered < 0) {
            throw new MalformedSnapshotException("negative covered id");
        }
        int n = r.varint(r.remaining() / 2);
        int[] ids = new int[Math.max(1024, n + n / 8)];
        int[] convs = new int[ids.length];
        long prev = 0;
        for (int d = 0; d < n; d++) {
            long delta = r.varlong();
            if (delta <= 0 || delta > Integer.MAX_VALUE || prev + delta > Math.min(covered, Integer.MAX_VALUE)) {
                throw new MalformedSnapshotException("message ids out of order or range");
            }
            prev += delta;
            ids[d] = (int) prev;
            convs[d] = r.varint(Integer.MAX_VALUE);
            if (convs[d] == 0) {
                throw new MalformedSnapshotException("conversation id out of range");
            }
        }
        int terms = r.varint(r.remaining() / 5);
        int[] termStarts = new int[terms + 1];
        int[] docFreq = new int[terms];
        int[] lastDoc = new int[terms];
        int[] postingStarts = new int[terms + 1];
        Bytes termBytes = new Bytes(terms * 8);
        int prevStart = 0;
        int prevLength = 0;
        int ppos = 0;
        for (int t = 0; t < terms; t++) {
            int shared = r.varint(prevLength);
            int suffix = r.varint(r.remaining());
            if (shared + suffix == 0) {
                throw new MalformedSnapshotException("empty term");
            }
            int start = termBytes.size();
            termBytes.repeat(prevStart, shared);
            int at = r.position();
            r.skip(suffix);
            termBytes.write(data, at, suffix);
            int length = shared + suffix;
            if (t > 0 && Arrays.compareUnsigned(termBytes.array(), prevStart, prevStart + prevLength,
                    termBytes.array(), start, start + length) >= 0) {
                throw new MalformedSnapshotException("terms not strictly ascending");
            }
            termStarts[t] = start;
            docFreq[t] = r.varint(n);
            lastDoc[t] = r.varint(Math.max(0, n - 1));
            if (docFreq[t] == 0) {
                throw new MalformedSnapshotException("term without postings");
            }
            postingStarts[t] = ppos;
            ppos += r.varint(Integer.MAX_VALUE - ppos);
            prevStart = start;
            prevLength = length;
        }
        termStarts[terms] = termBytes.size();
        postingStarts[terms] = ppos;
        int postingLength = r.varint(r.remaining());
        if (postingLength != ppos) {
            throw new MalformedSnapshotException("posting lengths disagree");
        }
        int at = r.position();
        r.skip(postingLength);
        if (r.remaining() != 0) {
            throw new MalformedSnapshotException("trailing bytes");
        }
        byte[] postings = Arrays.copyOfRange(data, at, at + postingLength);
        Segment seg = new Segment(termBytes.toArray(), termStarts, docFreq, lastDoc, postingStarts, postings, terms);
        termBytes.wipe();
        for (int t = 0; t < terms; t++) {
            checkPostings(seg, t, n);
        }
        return new SearchIndex(ids, convs, n, covered, seg);
    }

    private static void checkPostings(Segment seg, int t, int documents) throws MalformedSnapshotException {
        byte[] p = seg.postings;
        int pos = seg.postingStarts[t];
        int end = seg.postingStarts[t + 1];
        int doc = 0;
        int count = 0;
        while (pos < end) {
            int b = p[pos++];
            int v = b & 0x7F;
            for (int shift = 7; b < 0; shift += 7) {
                if (pos >= end || shift > 28) {
                    throw new MalformedSnapshotException("bad posting varint");
                }
                b = p[pos++];
                v |= (b & 0x7F) << shift;
            }
            if (v < 0 || (v == 0 && count > 0)) {
                throw new MalformedSnapshotException("postings not ascending");
            }
            doc += v;
            count++;
            if (doc < 0 || doc >= documents) {
                throw new MalformedSnapshotException("posting out of range");
            }
        }
        if (count != seg.docFreq[t] || doc != seg.lastDoc[t]) {
            throw new MalformedSnapshotException("postings disagree with their counts");
        }
    }
}
