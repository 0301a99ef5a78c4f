package dev.vouch.bench;

import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.protocol.crypto.Ed25519;
import dev.vouch.protocol.crypto.Hkdf;
import dev.vouch.protocol.crypto.HmacSha256;
import dev.vouch.protocol.crypto.MlKem768;
import dev.vouch.protocol.crypto.Sha;
import dev.vouch.protocol.crypto.X25519;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.kems.MLKEMExtractor;
import org.bouncycastle.crypto.params.MLKEMParameters;
import org.bouncycastle.crypto.params.MLKEMPrivateKeyParameters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The raw primitives the protocol is built from, each alone, through the same wrappers the
 * protocol calls (so the wrappers' argument checks and copies count as primitive cost, the
 * protocol's own work around them does not). {@link BenchReport} adds these up into the cost of
 * each composite operation in {@link RatchetBench} and {@link SessionSetupBench}.
 *
 * <p>Sizes are those of the protocol's hot paths: the 256-byte smallest padding bucket, the
 * 174-byte associated data of a ratchet message (two 66-byte device identity keys and the 42-byte
 * header), HKDF's 64-byte root-chain output, and the two prekey-signature messages (125 bytes for
 * the signed prekey, 1282 bytes for the ML-KEM prekey, most of it the 1184-byte public key).
 *
 * <p>{@code mlKemDecaps} is FIPS 203 decapsulation with an already expanded decapsulation key;
 * {@code mlKemDecapsFromSeed} is {@link MlKem768#decapsulate}, which Vouch calls, and which first
 * expands the 64-byte stored seed (the cost of one key generation) before decapsulating. The
 * composition in {@link BenchReport} uses the former, so any seed expansion the protocol does is
 * counted as its overhead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
public class Primitives {
    static final int PADDED_LENGTH = 256;
    static final int AAD_LENGTH = 174;
    static final int SIGNED_PREKEY_MESSAGE_LENGTH = 125;
    static final int KEM_PREKEY_MESSAGE_LENGTH = 1282;

    private final SecureRandom random = CryptoRandom.get();
    private final byte[] oneByte = {0x01};
    private final byte[] hmacKey = new byte[32];
    private final byte[] encryptKey = new byte[AesGcm.KEY_LENGTH];
    private final byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
    private final byte[] plaintext = new byte[PADDED_LENGTH];
    private final byte[] aad = new byte[AAD_LENGTH];
    private final byte[] hkdfSalt = new byte[32];
    private final byte[] hkdfIkm = new byte[32];
    private final byte[] hkdfInfo = "Vouch v1 ratchet root".getBytes(StandardCharsets.US_ASCII);
    private final byte[] sha512Input = new byte[96];
    private final byte[] smallMessage = new byte[SIGNED_PREKEY_MESSAGE_LENGTH];
    private final byte[] largeMessage = new byte[KEM_PREKEY_MESSAGE_LENGTH];
    private static final int DECRYPT_POOL = 256;
    private final byte[][] decryptKeys = new byte[DECRYPT_POOL][];
    private final byte[][] ciphertexts = new byte[DECRYPT_POOL][];
    private int nextDecrypt;
    private X25519.KeyPair ours;
    private byte[] theirs;
    private Ed25519.KeyPair signer;
    private byte[] smallSignature;
    private byte[] largeSignature;
    private MlKem768.KeyPair kem;
    private MLKEMPrivateKeyParameters kemExpanded;
    private byte[] kemCiphertext;

    @Setup
    public void setUp() throws Exception {
        random.nextBytes(hmacKey);
        random.nextBytes(encryptKey);
        random.nextBytes(plaintext);
        random.nextBytes(aad);
        random.nextBytes(hkdfSalt);
        random.nextBytes(hkdfIkm);
        random.nextBytes(sha512Input);
        random.nextBytes(smallMessage);
        random.nextBytes(largeMessage);
        for (int i = 0; i < DECRYPT_POOL; i++) {
            decryptKeys[i] = CryptoRandom.bytes(AesGcm.KEY_LENGTH);
            ciphertexts[i] = AesGcm.encrypt(decryptKeys[i], nonce, plaintext, aad);
        }
        ours = X25519.generate(random);
        theirs = X25519.generate(random).publicKey();
        signer = Ed25519.generate(random);
        smallSignature = signer.sign(smallMessage);
        largeSignature = signer.sign(largeMessage);
        kem = MlKem768.generate(random);
        kemExpanded = new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768, kem.seed());
        kemCiphertext = MlKem768.encapsulate(kem.publicKey(), random).ciphertext();
    }

    @Benchmark
    public X25519.KeyPair x25519Keygen() {
        return X25519.generate(random);
    }

    @Benchmark
    public byte[] x25519Agree() throws Exception {
        return X25519.agree(ours.privateKey(), theirs);
    }

    @Benchmark
    public byte[] ed25519Sign() {
        return signer.sign(smallMessage);
    }

    /** Verification of a signed-prekey signature (125-byte message). */
    @Benchmark
    public boolean ed25519Verify() {
        return Ed25519.verify(signer.publicKey(), smallMessage, smallSignature);
    }

    /** Verification of an ML-KEM-prekey signature (1282-byte message). */
    @Benchmark
    public boolean ed25519VerifyKemPreKey() {
        return Ed25519.verify(signer.publicKey(), largeMessage, largeSignature);
    }

    /** Not part of any composite operation (prekeys are made outside them); for reference. */
    @Benchmark
    public MlKem768.KeyPair mlKemKeygen() {
        return MlKem768.generate(random);
    }

    /** Includes FIPS 203's encapsulation-key check (the modulus check), as every encapsulation must. */
    @Benchmark
    public MlKem768.Encapsulation mlKemEncaps() throws Exception {
        return MlKem768.encapsulate(kem.publicKey(), random);
    }

    @Benchmark
    public byte[] mlKemDecaps() {
        return new MLKEMExtractor(kemExpanded).extractSecret(kemCiphertext);
    }

    @Benchmark
    public byte[] mlKemDecapsFromSeed() throws Exception {
        return MlKem768.decapsulate(kem.seed(), kemCiphertext);
    }

    @Benchmark
    public byte[] hmacSha256() {
        return HmacSha256.mac(hmacKey, oneByte);
    }

    /**
     * The JDK refuses to encrypt twice under one (key, nonce) on the same Cipher, as the ratchet
     * never does either (every message key is new), so each call uses the next key.
     */
    @Benchmark
    public byte[] aesGcmEncrypt() throws Exception {
        encryptKey[0]++;
        return AesGcm.encrypt(encryptKey, nonce, plaintext, aad);
    }

    /**
     * Cycles through {@value #DECRYPT_POOL} (key, ciphertext) pairs: the JDK keeps the AES key
     * schedule of the last key, so decrypting under one key again and again would skip the key
     * expansion that every ratchet message (each under a new key) pays.
     */
    @Benchmark
    public byte[] aesGcmDecrypt() throws Exception {
        int i = nextDecrypt;
        nextDecrypt = (i + 1) & (DECRYPT_POOL - 1);
        return AesGcm.decrypt(decryptKeys[i], nonce, ciphertexts[i], aad);
    }

    /**
     * Decryption under the key of the thread's previous AES operation, whose key schedule the JDK
     * still holds. This is what Bob's decryption costs in the single-threaded composite benchmarks:
     * Alice has just encrypted under the same message key on the same thread (AesGcm keeps one
     * Cipher per thread). Two real devices each pay the key expansion; see {@link #aesGcmDecrypt}.
     */
    @Benchmark
    public byte[] aesGcmDecryptSameKey() throws Exception {
        return AesGcm.decrypt(decryptKeys[0], nonce, ciphertexts[0], aad);
    }

    @Benchmark
    public byte[] hkdf() {
        return Hkdf.derive(hkdfSalt, hkdfIkm, hkdfInfo, 64);
    }

    @Benchmark
    public byte[] sha512() {
        return Sha.sha512(sha512Input);
    }
}
