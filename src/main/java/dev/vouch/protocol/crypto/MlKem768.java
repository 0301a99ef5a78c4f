package dev.vouch.protocol.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.generators.MLKEMKeyPairGenerator;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.kems.MLKEMGenerator;
import org.bouncycastle.crypto.params.MLKEMKeyGenerationParameters;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.bouncycastle.crypto.params.MLKEMPublicKeyParameters;

/**
 * ML-KEM-768 (FIPS 203) on BouncyCastle. Private keys are kept as their 64-byte seed (d || z),
 * the compact form FIPS 203 recommends; public keys are the 1184-byte encapsulation key, checked
 * (length and modulus) before use.
 */
public final class MlKem768 {
    public static final int SEED_LENGTH = 64;
    public static final int PUBLIC_KEY_LENGTH = 1184;
    public static final int EXPANDED_PRIVATE_KEY_LENGTH = 2400;
    public static final int CIPHERTEXT_LENGTH = 1088;
    public static final int SHARED_SECRET_LENGTH = 32;
    private static final MLKEMParameters PARAMS = MLKEMParameters.ml_kem_768;

    private MlKem768() {
    }

    public record KeyPair(byte[] seed, byte[] publicKey) {
        public KeyPair {
            seed = seed.clone();
            publicKey = publicKey.clone();
        }

        @Override
        public byte[] seed() {
            return seed.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public String toString() {
            return "MlKem768.KeyPair[seed=<redacted>]";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof KeyPair k && Arrays.equals(publicKey, k.publicKey) && ConstantTime.equals(seed, k.seed);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(publicKey);
        }
    }

    public record Encapsulation(byte[] ciphertext, byte[] sharedSecret) {
        public Encapsulation {
            ciphertext = ciphertext.clone();
            sharedSecret = sharedSecret.clone();
        }

        @Override
        public byte[] ciphertext() {
            return ciphertext.clone();
        }

        @Override
        public byte[] sharedSecret() {
            return sharedSecret.clone();
        }

        @Override
        public String toString() {
            return "MlKem768.Encapsulation[sharedSecret=<redacted>]";
        }
    }

    public static KeyPair generate(SecureRandom random) {
        MLKEMKeyPairGenerator generator = new MLKEMKeyPairGenerator();
        generator.init(new MLKEMKeyGenerationParameters(random, PARAMS));
        AsymmetricCipherKeyPair pair = generator.generateKeyPair();
        MLKEMPrivateKeyParameters priv = (MLKEMPrivateKeyParameters) pair.getPrivate();
        return new KeyPair(priv.getSeed(), ((MLKEMPublicKeyParameters) pair.getPublic()).getEncoded());
    }

    /** Deterministic key generation (FIPS 203 ML-KEM.KeyGen_internal) from the 64-byte seed d || z. */
    public static KeyPair fromSeed(byte[] seed) throws InvalidKeyMaterialException {
        MLKEMPrivateKeyParameters priv = privateFromSeed(seed);
        return new KeyPair(seed, priv.getPublicKey());
    }

    /**
     * The 2400-byte expanded decapsulation key dk = s || ek || H(ek) || z that FIPS 203
     * ML-KEM.KeyGen_internal derives from {@code seed}. Vouch keeps only the seed; this exists for
     * peers and tools that want the expanded form, and to check key generation against vectors.
     */
    public static byte[] expandedPrivateKey(byte[] seed) throws InvalidKeyMaterialException {
        return privateFromSeed(seed).getEncoded();
    }

    public static Encapsulation encapsulate(byte[] publicKey, SecureRandom random) throws InvalidKeyMaterialException {
        SecretWithEncapsulation result = new MLKEMGenerator(random).generateEncapsulated(publicKeyParams(publicKey));
        return new Encapsulation(result.getEncapsulation(), result.getSecret());
    }

    /** Deterministic encapsulation with the 32-byte message m (FIPS 203 ML-KEM.Encaps_internal); for tests. */
    public static Encapsulation encapsulateDeterministic(byte[] publicKey, byte[] m) throws InvalidKeyMaterialException {
        if (m == null || m.length != 32) {
            throw new IllegalArgumentException("ML-KEM encapsulation randomness must be 32 bytes");
        }
        SecretWithEncapsulation result = MLKEMGenerator.internalGenerateEncapsulated(publicKeyParams(publicKey), m.clone());
        return new Encapsulation(result.getEncapsulation(), result.getSecret());
    }

    /**
     * The shared secret for {@code ciphertext}. A well-formed but wrong ciphertext yields the
     * implicit-rejection secret, as FIPS 203 requires; a wrong length is refused.
     */
    public static byte[] decapsulate(byte[] seed, byte[] ciphertext) throws InvalidKeyMaterialException {
        return extract(privateFromSeed(seed), ciphertext);
    }

    /** Decapsulation with the 2400-byte expanded decapsulation key, checked per FIPS 203 7.3. */
    public static byte[] decapsulateExpanded(byte[] expandedKey, byte[] ciphertext) throws InvalidKeyMaterialException {
        if (expandedKey == null || expandedKey.length != EXPANDED_PRIVATE_KEY_LENGTH) {
            throw new InvalidKeyMaterialException("ML-KEM-768 decapsulation key must be 2400 bytes");
        }
        MLKEMPrivateKeyParameters priv;
        try {
            // BouncyCastle's constructor performs the FIPS 203 7.3 hash check: H(ek) stored in dk
            // must match the ek stored in dk, which catches a corrupted hash or embedded ek.
            priv = new MLKEMPrivateKeyParameters(PARAMS, expandedKey);
        } catch (RuntimeException e) {
            throw new InvalidKeyMaterialException("ML-KEM-768 decapsulation key is inconsistent");
        }
        return extract(priv, ciphertext);
    }

    private static byte[] extract(MLKEMPrivateKeyParameters priv, byte[] ciphertext) throws InvalidKeyMaterialException {
        if (ciphertext == null || ciphertext.length != CIPHERTEXT_LENGTH) {
            throw new InvalidKeyMaterialException("ML-KEM-768 ciphertext must be 1088 bytes");
        }
        return new MLKEMExtractor(priv).extractSecret(ciphertext);
    }

    private static MLKEMPrivateKeyParameters privateFromSeed(byte[] seed) throws InvalidKeyMaterialException {
        if (seed == null || seed.length != SEED_LENGTH) {
            throw new InvalidKeyMaterialException("ML-KEM-768 seed must be 64 bytes");
        }
        return new MLKEMPrivateKeyParameters(PARAMS, seed);
    }

    private static MLKEMPublicKeyParameters publicKeyParams(byte[] publicKey) throws InvalidKeyMaterialException {
        if (publicKey == null || publicKey.length != PUBLIC_KEY_LENGTH) {
            throw new InvalidKeyMaterialException("ML-KEM-768 public key must be 1184 bytes");
        }
        try {
            // BouncyCastle's constructor performs the FIPS 203 modulus check on the encoded t.
            return new MLKEMPublicKeyParameters(PARAMS, publicKey);
        } catch (RuntimeException e) {
            throw new InvalidKeyMaterialException("ML-KEM-768 public key fails the modulus check");
        }
    }
}
