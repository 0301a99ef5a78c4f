package dev.vouch.protocol.message;

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
 * Fuzzes {@link CiphertextMessage#decode}, the one entry point for bytes from the network, with
 * 10,000 hostile inputs built around each message kind: it accepts only canonical encodings and
 * refuses everything else with {@link MalformedDataException}. The mutations include the u32
 * fields: prekey ids, the inner message's length and the header's counters set to huge values.
 */
class MessageDecoderFuzzProperties {
    private static final int TRIES = 10_000;

    @Property(tries = TRIES)
    void ratchetMessages(@ForAll("aroundRatchetMessages") Case input) {
        Fuzz.assertAcceptsCanonicallyOrRefuses(input, b -> CiphertextMessage.decode(b).serialize(),
                MalformedDataException.class);
    }

    @Property(tries = TRIES)
    void preKeyMessages(@ForAll("aroundPreKeyMessages") Case input) {
        Fuzz.assertAcceptsCanonicallyOrRefuses(input, b -> CiphertextMessage.decode(b).serialize(),
                MalformedDataException.class);
    }

    @Provide
    Arbitrary<Case> aroundRatchetMessages() {
        return Fuzz.casesFor(Tag.RATCHET_MESSAGE, Encodings.of(Tag.RATCHET_MESSAGE).samples());
    }

    @Provide
    Arbitrary<Case> aroundPreKeyMessages() {
        return Fuzz.casesFor(Tag.PREKEY_MESSAGE, Encodings.of(Tag.PREKEY_MESSAGE).samples());
    }
}
