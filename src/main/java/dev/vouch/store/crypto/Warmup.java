package dev.vouch.store.crypto;

import dev.vouch.protocol.crypto.AesGcm;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.crypto.AuthenticationFailedException;
import dev.vouch.protocol.crypto.HmacSha256;
import dev.vouch.protocol.crypto.InvalidKeyMaterialException;
import java.util.concurrent.CompletableFuture;

/**
 * Runs the unlock and read paths' crypto on dummy data so the JIT has compiled them before the
 * user submits the passphrase. A fresh JVM runs Argon2id about three times slower than a warm one,
 * and AES-GCM's intrinsics take thousands of calls to kick in; the unlock screen starts this
 * while the user types. Touches no secret.
 */
public final class Warmup {
    private Warmup() {
    }

    public static CompletableFuture<Void> start() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                run();
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }, "vouch-crypto-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
        return done;
    }

    static void run() {
        byte[] salt = new byte[16];
        // Enough passes over enough memory for the JIT to compile Argon2's block function fully.
        for (int i = 0; i < 4; i++) {
            Argon2id.derive(new byte[8], salt, new Argon2id.Params(16 * 1024, 1, 4), 32);
        }
        byte[] key = new byte[32];
        byte[] nonce = new byte[AesGcm.NONCE_LENGTH];
        byte[] aad = new byte[48];
        for (int size : new int[] {64, 160, 512}) {
            byte[] sealed;
            try {
                sealed = AesGcm.encrypt(key, nonce, new byte[size], aad);
                for (int i = 0; i < 20_000; i++) {
                    AesGcm.decrypt(key, nonce, sealed, aad);
                    HmacSha256.mac(key, aad);
                }
            } catch (AuthenticationFailedException | InvalidKeyMaterialException e) {
                throw new IllegalStateException("warm-up data must round-trip", e);
            }
        }
    }
}
