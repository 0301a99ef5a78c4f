package dev.vouch.protocol.sealed;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.InvalidMessageException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.ProtocolException;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.testing.Encodings;
import dev.vouch.testing.Fuzz;
import dev.vouch.testing.Fuzz.Case;
import dev.vouch.testing.Fuzz.Sample;
import java.security.SecureRandom;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes the sealed-sender decoders with 10,000 hostile inputs each: {@link SealedSender#open},
 * the entry point for envelopes from the relay, refuses every input that is not an envelope
 * sealed to it, only as {@link MalformedDataException} or {@link InvalidMessageException}, both
 * for inputs built to fail parsing and for same-length changes that reach authentication; the two
 * structural decoders accept only canonical encodings.
 */
class SealedSenderFuzzProperties {
    private static final int TRIES = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DeviceIdentity RECIPIENT = DeviceIdentity.generate(RANDOM);
    private static final List<Sample> ENVELOPES = envelopes();

    @Property(tries = TRIES)
    void openRefusesHostileEnvelopes(@ForAll("aroundEnvelopes") Case input) {
        refusedByOpen(input);
    }

    @Property(tries = TRIES)
    void openRefusesChangedEnvelopesAtAuthentication(@ForAll("sameLengthChanges") Case input) {
        refusedByOpen(input);
    }

    @Property(tries = TRIES)
    void envelopeStructure(@ForAll("envelopeStructures") Case input) {
        Fuzz.assertAcceptsCanonicallyOrRefuses(input, Encodings.of(Tag.SEALED_ENVELOPE).codec(),
                MalformedDataException.class);
    }

    @Property(tries = TRIES)
    void contentStructure(@ForAll("contents") Case input) {
        Fuzz.assertAcceptsCanonicallyOrRefuses(input, Encodings.of(Tag.SEALED_CONTENT).codec(),
                MalformedDataException.class);
    }

    private static void refusedByOpen(Case input) {
        ProtocolException refusal = Fuzz.assertAcceptsCanonicallyOrRefuses(input, b -> {
            SealedSender.open(RECIPIENT, b);
            return b;
        }, MalformedDataException.class, InvalidMessageException.class);
        assertThat(refusal).as("only an envelope sealed to the recipient opens: %s", input).isNotNull();
    }

    @Provide
    Arbitrary<Case> aroundEnvelopes() {
        return Fuzz.casesFor(Tag.SEALED_ENVELOPE, ENVELOPES);
    }

    @Provide
    Arbitrary<Case> sameLengthChanges() {
        return Fuzz.sameLengthMutationsOf(ENVELOPES);
    }

    @Provide
    Arbitrary<Case> envelopeStructures() {
        return Fuzz.casesFor(Tag.SEALED_ENVELOPE, Encodings.of(Tag.SEALED_ENVELOPE).samples());
    }

    @Provide
    Arbitrary<Case> contents() {
        return Fuzz.casesFor(Tag.SEALED_CONTENT, Encodings.of(Tag.SEALED_CONTENT).samples());
    }

    private static List<Sample> envelopes() {
        DeviceIdentity sender = DeviceIdentity.generate(RANDOM);
        SenderCertificate certificate = new SenderCertificate("alice", 3, sender.publicKey());
        try {
            return List.of(Encodings.sealedEnvelope("envelope to the recipient", SealedSender.seal(sender, certificate,
                    RECIPIENT.publicKey(), ContentType.SESSION_MESSAGE, SealedSenderTest.ratchetLikeInner(), RANDOM)));
        } catch (ProtocolException e) {
            throw new AssertionError("sealing the sample must succeed", e);
        }
    }
}
