package dev.vouch.protocol.keys;

import dev.vouch.protocol.MalformedDataException;
import dev.vouch.protocol.crypto.Ed25519;
import dev.vouch.protocol.encoding.ByteReader;
import dev.vouch.protocol.encoding.Tag;
import java.security.SecureRandom;

/** An account's long-term identity key pair; it signs the account's device list. */
public final class AccountIdentity {
    private final Ed25519.KeyPair pair;
    private final AccountIdentityKey publicKey;

    private AccountIdentity(Ed25519.KeyPair pair) {
        this.pair = pair;
        this.publicKey = new AccountIdentityKey(pair.publicKey());
    }

    public static AccountIdentity generate(SecureRandom random) {
        return new AccountIdentity(Ed25519.generate(random));
    }

    public AccountIdentityKey publicKey() {
        return publicKey;
    }

    public byte[] sign(byte[] message) {
        return pair.sign(message);
    }

    /** The private form, for the encrypted local store and the archive only. */
    public byte[] serializePrivate() {
        return Tag.ACCOUNT_IDENTITY_PRIVATE.writer(32).fixed(pair.privateKey()).toByteArray();
    }

    public static AccountIdentity decodePrivate(byte[] data) throws MalformedDataException {
        ByteReader r = Tag.ACCOUNT_IDENTITY_PRIVATE.reader(data);
        byte[] seed = r.fixed(Ed25519.PRIVATE_KEY_LENGTH);
        r.end();
        return new AccountIdentity(Ed25519.fromPrivateKey(seed));
    }

    @Override
    public String toString() {
        return "AccountIdentity[" + publicKey + "]";
    }
}
