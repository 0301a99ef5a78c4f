package dev.vouch.protocol.x3dh;

import dev.vouch.protocol.crypto.Hkdf;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.protocol.crypto.MlKem768;
import dev.vouch.protocol.crypto.X25519;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.protocol.keys.DeviceIdentityKey;
import dev.vouch.protocol.keys.KemPreKey;
import dev.vouch.protocol.keys.OneTimePreKey;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.protocol.keys.SignedPreKey;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * PQXDH key agreement (Signal's specification, revision 3) with X25519, SHA-256 and ML-KEM-768:
 * DH1 = DH(IK_A, SPK_B), DH2 = DH(EK_A, IK_B), DH3 = DH(EK_A, SPK_B), optionally
 * DH4 = DH(EK_A, OPK_B), and SS from encapsulating to PQPK_B;
 * SK = HKDF(salt = 32 zero bytes, F || DH1 || DH2 || DH3 [|| DH4] || SS, info).
 * Pure functions: keys in, shared secret out.
 */
public final class Pqxdh {
    private static final byte[] INFO = "Vouch_PQXDH_CURVE25519_SHA-256_ML-KEM-768".getBytes(StandardCharsets.US_ASCII);
    /** 32 0xFF bytes, separating the X25519 inputs from any XEdDSA use of the same keys (spec 2.5). */
    private static final byte[] F = filled(32, (byte) 0xFF);
    private static final byte[] SALT = new byte[32];

    private Pqxdh() {
    }

    /** What the initiator learns and must send: the shared secret, its ephemeral key and the KEM ciphertext. */
    public record Initiation(byte[] sharedSecret, byte[] baseKey, byte[] kemCiphertext) {
        @Override
        public String toString() {
            return "Pqxdh.Initiation[sharedSecret=<redacted>]";
        }
    }

    public static Initiation initiate(DeviceIdentity ours, PreKeyBundle theirs, SecureRandom random)
            throws InvalidKeyMaterialException {
        X25519.KeyPair ephemeral = X25519.generate(random);
        byte[] ek = ephemeral.privateKey();
        byte[] spk = theirs.signedPreKey().publicKey();
        byte[] dh1 = ours.agree(spk);
        byte[] dh2 = X25519.agree(ek, theirs.identityKey().agreementKey());
        byte[] dh3 = X25519.agree(ek, spk);
        byte[] dh4 = theirs.oneTimePreKey().isPresent()
                ? X25519.agree(ek, theirs.oneTimePreKey().get().publicKey()) : null;
        MlKem768.Encapsulation kem = MlKem768.encapsulate(theirs.kemPreKey().publicKey(), random);
        byte[] sk = derive(dh1, dh2, dh3, dh4, kem.sharedSecret());
        return new Initiation(sk, ephemeral.publicKey(), kem.ciphertext());
    }

    /**
     * The responder's side, from the prekeys the initiation named.
     *
     * @param oneTimePreKey null when the initiator used none
     */
    public static byte[] respond(DeviceIdentity ours, SignedPreKey signedPreKey, OneTimePreKey oneTimePreKey,
                                 KemPreKey kemPreKey, DeviceIdentityKey theirIdentity, byte[] baseKey,
                                 byte[] kemCiphertext) throws InvalidKeyMaterialException {
        byte[] dh1 = signedPreKey.agree(theirIdentity.agreementKey());
        byte[] dh2 = ours.agree(baseKey);
        byte[] dh3 = signedPreKey.agree(baseKey);
        byte[] dh4 = oneTimePreKey == null ? null : oneTimePreKey.agree(baseKey);
        byte[] ss = kemPreKey.decapsulate(kemCiphertext);
        return derive(dh1, dh2, dh3, dh4, ss);
    }

    private static byte[] derive(byte[] dh1, byte[] dh2, byte[] dh3, byte[] dh4, byte[] ss) {
        ByteArrayOutputStream km = new ByteArrayOutputStream(32 * 6);
        km.writeBytes(F);
        km.writeBytes(dh1);
        km.writeBytes(dh2);
        km.writeBytes(dh3);
        if (dh4 != null) {
            km.writeBytes(dh4);
        }
        km.writeBytes(ss);
        byte[] input = km.toByteArray();
        byte[] sk = Hkdf.derive(SALT, input, INFO, 32);
        Arrays.fill(input, (byte) 0);
        return sk;
    }

    private static byte[] filled(int length, byte value) {
        byte[] out = new byte[length];
        Arrays.fill(out, value);
        return out;
    }
}
