/**
 * Tests of the crypto wrappers, driven by the shared external vectors (read in place, see
 * {@link dev.vouch.testing.Vectors}). Every case of each file runs through Vouch's wrapper, and
 * each test checks that the cases run (or skipped by a written policy) add up to the file's count.
 *
 * <p>Run: {@code wycheproof/} x25519, ed25519, aes_gcm, hkdf_sha256, hmac_sha256, mlkem_768,
 * mlkem_768_encaps, mlkem_768_keygen_seed and mlkem_768_semi_expanded_decaps; {@code rfc/}
 * rfc7748_x25519 (the 1,000,000-iteration case only with {@code -Dvouch.vectors.slow=true}),
 * rfc8032_ed25519, rfc5869_hkdf (SHA-256 cases; the SHA-1 ones are skipped by policy) and
 * rfc9106_argon2 (Argon2d and Argon2i through BouncyCastle, as Vouch only uses Argon2id).
 *
 * <p>Not run: {@code wycheproof/chacha20_poly1305_test.json} and
 * {@code xchacha20_poly1305_test.json}. Vouch's only AEAD is AES-256-GCM, so it has no
 * ChaCha20-Poly1305 wrapper to test. The signal-fingerprint and merkle files are not crypto
 * primitives and belong to the fingerprint and transparency tests.
 */
package dev.vouch.protocol.crypto;
