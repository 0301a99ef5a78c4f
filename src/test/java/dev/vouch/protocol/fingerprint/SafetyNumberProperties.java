package dev.vouch.protocol.fingerprint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of safety numbers over random parties. A small iteration count keeps the run short;
 * the vector test covers Signal's 5200.
 */
class SafetyNumberProperties {
    private static final SafetyNumberGenerator GENERATOR = new SafetyNumberGenerator(16);

    @Property(tries = 300)
    void bothSidesReadTheSameDigits(@ForAll("parties") PartyIdentity a, @ForAll("parties") PartyIdentity b) {
        SafetyNumber aView = GENERATOR.generate(a, b);
        SafetyNumber bView = GENERATOR.generate(b, a);
        assertThat(aView.displayable()).hasSize(60).isEqualTo(bView.displayable());
        assertThat(aView.localFingerprint()).isEqualTo(bView.remoteFingerprint());
    }

    @Property(tries = 300)
    void eachSideAcceptsTheOthersCodeButNotItsOwn(@ForAll("parties") PartyIdentity a,
            @ForAll("parties") PartyIdentity b, @ForAll @IntRange(min = 0, max = 1000) int version)
            throws FingerprintException {
        Assume.that(!a.equals(b));
        SafetyNumber aView = GENERATOR.generate(a, b);
        SafetyNumber bView = GENERATOR.generate(b, a);
        byte[] fromA = aView.scannable(version).toByteArray();
        byte[] fromB = bView.scannable(version).toByteArray();
        assertThat(bView.matches(fromA, version)).isTrue();
        assertThat(aView.matches(fromB, version)).isTrue();
        assertThat(aView.matches(fromA, version)).isFalse();
    }

    @Property(tries = 300)
    void anyChangeOfKeyOrIdChangesTheNumber(@ForAll("parties") PartyIdentity a, @ForAll("parties") PartyIdentity b,
            @ForAll("parties") PartyIdentity substitute, @ForAll @IntRange(min = 0, max = 3) int which)
            throws FingerprintException {
        PartyIdentity changed = switch (which) {
            case 0 -> new PartyIdentity(substitute.publicKey(), a.stableId());   // substituted key (MITM)
            case 1 -> new PartyIdentity(a.publicKey(), substitute.stableId());   // different id
            default -> substitute;
        };
        Assume.that(!changed.equals(a));
        SafetyNumber honest = GENERATOR.generate(b, a);
        SafetyNumber attacked = GENERATOR.generate(b, changed);
        assertThat(attacked.displayable()).isNotEqualTo(honest.displayable());
        // B holds the attacked number; A's real code must not verify against it, in either direction.
        SafetyNumber aView = GENERATOR.generate(a, b);
        assertThat(attacked.matches(aView.scannable(2).toByteArray(), 2)).isFalse();
        assertThat(aView.matches(attacked.scannable(2).toByteArray(), 2)).isFalse();
    }

    @Property(tries = 200)
    void codesOfDifferentVersionsRaiseTheMismatch(@ForAll("parties") PartyIdentity a,
            @ForAll("parties") PartyIdentity b, @ForAll @IntRange(min = 0, max = 5) int ours,
            @ForAll @IntRange(min = 0, max = 5) int theirs) {
        Assume.that(ours != theirs);
        SafetyNumber aView = GENERATOR.generate(a, b);
        byte[] fromB = GENERATOR.generate(b, a).scannable(theirs).toByteArray();
        assertThatThrownBy(() -> aView.matches(fromB, ours))
                .isInstanceOfSatisfying(FingerprintVersionMismatchException.class,
                        e -> assertThat(e.theirVersion()).isEqualTo(theirs));
    }

    @Property(tries = 300)
    void scannableRoundTripsThroughTheParser(@ForAll("parties") PartyIdentity a, @ForAll("parties") PartyIdentity b,
            @ForAll @IntRange(min = 0) int version) throws FingerprintParsingException {
        ScannableFingerprint fingerprint = GENERATOR.generate(a, b).scannable(version);
        assertThat(ScannableFingerprint.parse(fingerprint.toByteArray())).isEqualTo(fingerprint);
    }

    @Provide
    Arbitrary<PartyIdentity> parties() {
        Arbitrary<byte[]> keys = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(40);
        // Any well-formed text, including supplementary characters; never lone surrogates.
        Arbitrary<String> ids = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE)
                .list().ofMaxSize(12)
                .map(cps -> cps.stream().collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        .toString());
        return Combinators.combine(keys, ids).as(PartyIdentity::new);
    }
}
