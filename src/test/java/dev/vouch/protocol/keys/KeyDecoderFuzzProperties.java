package dev.vouch.protocol.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.InvalidSignatureException;
import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.ProtocolException;
import dev.vouch.protocol.encoding.Tag;
import dev.vouch.testing.Encodings;
import dev.vouch.testing.Fuzz;
import dev.vouch.testing.Fuzz.Case;
import dev.vouch.testing.Fuzz.Sample;
import java.util.HexFormat;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzzes every key decoder, public and private, with 10,000 hostile inputs each (random bytes,
 * random bodies behind a valid prefix, mutations of valid encodings; see {@link Fuzz}). A decoder
 * either accepts, and then the input was the canonical encoding of what it returned, or refuses
 * with its checked type; no unchecked exception may escape.
 */
class KeyDecoderFuzzProperties {
    private static final int TRIES = 10_000;

    @Property(tries = TRIES)
    void accountIdentityKey(@ForAll("accountIdentityKeys") Case input) {
        refusesOnlyAsMalformed(Tag.ACCOUNT_IDENTITY_KEY, input);
    }

    @Property(tries = TRIES)
    void deviceIdentityKey(@ForAll("deviceIdentityKeys") Case input) {
        refusesOnlyAsMalformed(Tag.DEVICE_IDENTITY_KEY, input);
    }

    @Property(tries = TRIES)
    void signedPreKey(@ForAll("signedPreKeys") Case input) {
        refusesOnlyAsMalformed(Tag.SIGNED_PREKEY, input);
    }

    @Property(tries = TRIES)
    void oneTimePreKey(@ForAll("oneTimePreKeys") Case input) {
        refusesOnlyAsMalformed(Tag.ONE_TIME_PREKEY, input);
    }

    @Property(tries = TRIES)
    void kemPreKey(@ForAll("kemPreKeys") Case input) {
        refusesOnlyAsMalformed(Tag.KEM_PREKEY, input);
    }

    @Property(tries = TRIES)
    void preKeyBundle(@ForAll("preKeyBundles") Case input) {
        Fuzz.assertAcceptsCanonicallyOrRefuses(input, Encodings.of(Tag.PREKEY_BUNDLE).codec(),
                MalformedDataException.class, InvalidSignatureException.class);
    }

    @Property(tries = TRIES)
    void accountIdentityPrivate(@ForAll("accountIdentityPrivates") Case input) {
        refusesOnlyAsMalformed(Tag.ACCOUNT_IDENTITY_PRIVATE, input);
    }

    @Property(tries = TRIES)
    void deviceIdentityPrivate(@ForAll("deviceIdentityPrivates") Case input) {
        refusesOnlyAsMalformed(Tag.DEVICE_IDENTITY_PRIVATE, input);
    }

    @Property(tries = TRIES)
    void signedPreKeyPrivate(@ForAll("signedPreKeyPrivates") Case input) {
        refusesOnlyAsMalformed(Tag.SIGNED_PREKEY_PRIVATE, input);
    }

    @Property(tries = TRIES)
    void oneTimePreKeyPrivate(@ForAll("oneTimePreKeyPrivates") Case input) {
        refusesOnlyAsMalformed(Tag.ONE_TIME_PREKEY_PRIVATE, input);
    }

    @Property(tries = TRIES)
    void kemPreKeyPrivate(@ForAll("kemPreKeyPrivates") Case input) {
        refusesOnlyAsMalformed(Tag.KEM_PREKEY_PRIVATE, input);
    }

    /**
     * A bundle whose structure is intact but one bit of signed content (the device identity key,
     * either prekey's id or key, the last-resort flag) or of a signature differs is refused with
     * {@link InvalidSignatureException}, whatever the bit.
     */
    @Property(tries = TRIES)
    void bundleWithAnyBitOfSignedContentChangedHasABadSignature(@ForAll("signedBitFlips") Case input) {
        ProtocolException refusal = Fuzz.assertAcceptsCanonicallyOrRefuses(input,
                Encodings.of(Tag.PREKEY_BUNDLE).codec(), InvalidSignatureException.class);
        assertThat(refusal).as("a bundle with a changed signed field must not verify: %s", input).isNotNull();
    }

    @Provide
    Arbitrary<Case> signedBitFlips() {
        return Combinators.combine(Arbitraries.of(Encodings.of(Tag.PREKEY_BUNDLE).samples()),
                        Arbitraries.integers().between(0, Integer.MAX_VALUE))
                .as(KeyDecoderFuzzProperties::flipSignedBit);
    }

    /**
     * Flips one bit among the bundle's signed bytes and signatures. Layout: prefix (2), device id
     * (4, unsigned), identity (64), signed prekey id, key, signature (4 + 32 + 64), has-one-time
     * flag and the unsigned one-time prekey (1 [+ 36]), ML-KEM prekey id, last-resort flag, key,
     * signature (4 + 1 + 1184 + 64). Only the lowest bit of the last-resort flag keeps it a valid
     * boolean.
     */
    private static Case flipSignedBit(Sample bundle, int index) {
        byte[] bytes = bundle.bytes();
        int kem = bytes[170] == 1 ? 207 : 171;
        int lastResortFlag = kem + 4;
        int[][] ranges = {{6, 170}, {kem, lastResortFlag}, {lastResortFlag + 1, kem + 4 + 1 + 1184 + 64}};
        int total = 1; // the flag's one bit
        for (int[] r : ranges) {
            total += (r[1] - r[0]) * 8;
        }
        int pick = Math.floorMod(index, total);
        byte[] out = bytes.clone();
        if (pick == total - 1) {
            out[lastResortFlag] ^= 1;
        } else {
            for (int[] r : ranges) {
                int bits = (r[1] - r[0]) * 8;
                if (pick < bits) {
                    out[r[0] + pick / 8] ^= (byte) (1 << (pick % 8));
                    break;
                }
                pick -= bits;
            }
        }
        if (out.length != bytes.length || kem + 4 + 1 + 1184 + 64 != bytes.length) {
            throw new AssertionError("bundle layout out of step with PreKeyBundle.serialize: " + HexFormat.of().formatHex(bytes));
        }
        return new Case("signed bit " + Math.floorMod(index, total) + " flipped in " + bundle, out);
    }

    @Provide
    Arbitrary<Case> accountIdentityKeys() {
        return casesFor(Tag.ACCOUNT_IDENTITY_KEY);
    }

    @Provide
    Arbitrary<Case> deviceIdentityKeys() {
        return casesFor(Tag.DEVICE_IDENTITY_KEY);
    }

    @Provide
    Arbitrary<Case> signedPreKeys() {
        return casesFor(Tag.SIGNED_PREKEY);
    }

    @Provide
    Arbitrary<Case> oneTimePreKeys() {
        return casesFor(Tag.ONE_TIME_PREKEY);
    }

    @Provide
    Arbitrary<Case> kemPreKeys() {
        return casesFor(Tag.KEM_PREKEY);
    }

    @Provide
    Arbitrary<Case> preKeyBundles() {
        return casesFor(Tag.PREKEY_BUNDLE);
    }

    @Provide
    Arbitrary<Case> accountIdentityPrivates() {
        return casesFor(Tag.ACCOUNT_IDENTITY_PRIVATE);
    }

    @Provide
    Arbitrary<Case> deviceIdentityPrivates() {
        return casesFor(Tag.DEVICE_IDENTITY_PRIVATE);
    }

    @Provide
    Arbitrary<Case> signedPreKeyPrivates() {
        return casesFor(Tag.SIGNED_PREKEY_PRIVATE);
    }

    @Provide
    Arbitrary<Case> oneTimePreKeyPrivates() {
        return casesFor(Tag.ONE_TIME_PREKEY_PRIVATE);
    }

    @Provide
    Arbitrary<Case> kemPreKeyPrivates() {
        return casesFor(Tag.KEM_PREKEY_PRIVATE);
    }

    private static Arbitrary<Case> casesFor(Tag tag) {
        return Fuzz.casesFor(tag, Encodings.of(tag).samples());
    }

    private static void refusesOnlyAsMalformed(Tag tag, Case input) {
        Fuzz.assertAcceptsCanonicallyOrRefuses(input, Encodings.of(tag).codec(), MalformedDataException.class);
    }
}
