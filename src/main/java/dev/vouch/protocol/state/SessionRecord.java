package dev.vouch.protocol.state;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.ByteWriter;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.protocol.ratchet.SessionState;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * All sessions with one remote device: the current one, and a few previous ones kept because
 * messages may still arrive for them (both sides started a session at once, or a session was
 * replaced while messages were in flight).
 */
public final class SessionRecord {
    public static final int MAX_PREVIOUS_STATES = 5;

    private SessionState current;
    private final List<SessionState> previous;

    public SessionRecord(SessionState current) {
        this(current, new ArrayList<>());
    }

    private SessionRecord(SessionState current, List<SessionState> previous) {
        this.current = current;
        this.previous = previous;
    }

    public SessionState current() {
        return current;
    }

    public List<SessionState> previous() {
        return Collections.unmodifiableList(previous);
    }

    /** Makes {@code state} current and keeps the old current one as the most recent previous state. */
    public void promote(SessionState state) {
        previous.remove(state);
        if (current != null && current != state) {
            previous.add(0, current);
        }
        while (previous.size() > MAX_PREVIOUS_STATES) {
            previous.remove(previous.size() - 1);
        }
        current = state;
    }

    /** The state (current or previous) that PQXDH run {@code baseKey} created, if we still have it. */
    public Optional<SessionState> findByBaseKey(byte[] baseKey) {
        if (current.hasBaseKey(baseKey)) {
            return Optional.of(current);
        }
        return previous.stream().filter(s -> s.hasBaseKey(baseKey)).findFirst();
    }

    public byte[] serialize() {
        int length = 2 + 1 + current.encodedLength();
        for (SessionState state : previous) {
            length += state.encodedLength();
        }
        ByteWriter w = Tag.SESSION_RECORD.exactWriter(length);
        w.u8(previous.size());
        current.write(w);
        for (SessionState state : previous) {
            state.write(w);
        }
        return w.toByteArray();
    }

    public static SessionRecord decode(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.SESSION_RECORD.reader(data);
        int previousCount = r.u8();
        if (previousCount > MAX_PREVIOUS_STATES) {
            throw new MalformedDataException("session record: too many previous states");
        }
        SessionState current = SessionState.read(r);
        List<SessionState> previous = new ArrayList<>(previousCount);
        for (int i = 0; i < previousCount; i++) {
            previous.add(SessionState.read(r));
        }
        r.end();
        return new SessionRecord(current, previous);
    }
}
