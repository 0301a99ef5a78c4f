package dev.vouch.protocol.state;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.testing.Encodings;
import dev.vouch.testing.Fuzz;
import dev.vouch.testing.Fuzz.Case;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes {@link SessionRecord#decode} with 10,000 hostile inputs around records of several
 * shapes (pending, with skipped and retired keys, with previous sessions). Records come from local
 * storage, but storage can be damaged: a bad record must be refused with
 * {@link MalformedDataException}, never crash the reader, and every record it accepts must write
 * back to the same bytes. Mutations set the counts and counters to huge values.
 */
class SessionRecordFuzzProperties {
    @Property(tries = 10_000)
    void sessionRecords(@ForAll("aroundSessionRecords") Case input) {
        Fuzz.assertAcceptsCanonicallyOrRefuses(input, Encodings.of(Tag.SESSION_RECORD).codec(),
                MalformedDataException.class);
    }

    @Provide
    Arbitrary<Case> aroundSessionRecords() {
        return Fuzz.casesFor(Tag.SESSION_RECORD, Encodings.of(Tag.SESSION_RECORD).samples());
    }
}
