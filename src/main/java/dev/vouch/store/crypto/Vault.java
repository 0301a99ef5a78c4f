package dev.vouch.store.crypto;

import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.crypto.AuthenticationFailedException;
import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import dev.vouch.store.WrongPassphraseException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;

/**
 * The profile's key record: the passphrase goes through Argon2id to a key-encryption key, which
 * wraps a random 256-bit data key with AES-256-GCM. Changing the passphrase rewraps the data key
 * only. The KDF parameters and salt are authenticated with the wrapped key, so they cannot be
 * weakened unnoticed.
 */
public record Vault(int format, Argon2id.Params params, byte[] salt, byte[] wrappedKey) {
    public static final int FORMAT = 1;
    public static final int SALT_LENGTH = 16;
    public static final int DATA_KEY_LENGTH = 32;

    public Vault {
        salt = salt.clone();
        wrappedKey = wrappedKey.clone();
    }

    @Override
    public byte[] salt() {
        return salt.clone();
    }

    @Override
    public byte[] wrappedKey() {
        return wrappedKey.clone();
    }

    /** A new vault around a fresh random data key. */
    public static Vault create(char[] passphrase, Argon2id.Params params) {
        byte[] dataKey = CryptoRandom.bytes(DATA_KEY_LENGTH);
        try {
            return wrap(passphrase, params, dataKey);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    /** @throws WrongPassphraseException when the passphrase (or a damaged record) does not open the key */
    public byte[] unlock(char[] passphrase) throws WrongPassphraseException {
        if (format != FORMAT) {
            throw new IllegalStateException("unknown vault format " + format);
        }
        byte[] kek = kek(passphrase, params, salt);
        byte[] nonce = Arrays.copyOf(wrappedKey, AesGcm.NONCE_LENGTH);
        byte[] body = Arrays.copyOfRange(wrappedKey, AesGcm.NONCE_LENGTH, wrappedKey.length);
        try {
            return AesGcm.decrypt(kek, nonce, body, associatedData(format, params, salt));
        } catch (AuthenticationFailedException | InvalidKeyMaterialException e) {
            throw new WrongPassphraseException();
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    /** The same data key under a new passphrase (and possibly new KDF parameters): history is not touched. */
    public Vault rewrap(char[] oldPassphrase, char[] newPassphrase, Argon2id.Params newParams)
            throws WrongPassphraseException {
        byte[] dataKey = unlock(oldPassphrase);
        try {
            return wrap(newPassphrase, newParams, dataKey);
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
    }

    private static Vault wrap(char[] passphrase, Argon2id.Params params, byte[] dataKey) {
        byte[] salt = CryptoRandom.bytes(SALT_LENGTH);
        byte[] kek = kek(passphrase, params, salt);
        byte[] nonce = CryptoRandom.bytes(AesGcm.NONCE_LENGTH);
        try {
            byte[] sealed = AesGcm.encrypt(kek, nonce, dataKey, associatedData(FORMAT, params, salt));
            byte[] wrapped = Arrays.copyOf(nonce, nonce.length + sealed.length);
            System.arraycopy(sealed, 0, wrapped, nonce.length, sealed.length);
            return new Vault(FORMAT, params, salt, wrapped);
        } catch (InvalidKeyMaterialException e) {
            throw new IllegalStateException("key-encryption key has a wrong length", e);
        } finally {
            Arrays.fill(kek, (byte) 0);
        }
    }

    private static byte[] kek(char[] passphrase, Argon2id.Params params, byte[] salt) {
        byte[] password = passphraseBytes(passphrase);
        try {
            return Argon2id.derive(password, salt, params, 32);
        } finally {
            Arrays.fill(password, (byte) 0);
        }
    }

    /**
     * UTF-8 of the NFC form, so the same passphrase typed on another system (which may compose
     * accents differently) opens the store.
     */
    static byte[] passphraseBytes(char[] passphrase) {
        String normalized = Normalizer.normalize(CharBuffer.wrap(passphrase), Normalizer.Form.NFC);
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(normalized);
        byte[] out = new byte[encoded.remaining()];
        encoded.get(out);
        if (encoded.hasArray()) {
            Arrays.fill(encoded.array(), (byte) 0);
        }
        return out;
    }

    private static byte[] associatedData(int format, Argon2id.Params params, byte[] salt) {
        return ByteBuffer.allocate(16 + 16 + salt.length).put("Vouch vault v1\0\0".getBytes(StandardCharsets.US_ASCII))
                .putInt(format).putInt(params.memoryKiB()).putInt(params.iterations()).putInt(params.parallelism())
                .put(salt).array();
    }

    @Override
    public String toString() {
        return "Vault[format=" + format + ", " + params + "]";
    }
}
