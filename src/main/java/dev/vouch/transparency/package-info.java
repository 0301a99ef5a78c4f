/**
 * Vouch's key transparency log: the pure core the relay and the clients build on.
 *
 * <ul>
 *   <li>{@code transparency.merkle}: RFC 6962 / RFC 9162 hashing, inclusion and consistency proof
 *       verification as pure static functions, and the append-only {@code MerkleTree} that makes
 *       proofs over a {@code NodeStore}.</li>
 *   <li>{@code transparency.log}: what the log holds and signs: {@code LogEntry} (the leaf data),
 *       {@code TreeHead}, {@code SignedTreeHead}, and the log's Ed25519 key ({@code LogKey},
 *       {@code LogSigner}).</li>
 * </ul>
 *
 * <p>Every failed check is a {@link dev.vouch.transparency.TransparencyException} (proof shape,
 * root mismatch, bad head signature); bytes that do not decode are a
 * {@link dev.vouch.protocol.MalformedDataException}, as for every Vouch encoding. Both are
 * {@link dev.vouch.protocol.ProtocolException}s, so a client that catches that one type keeps its
 * last good head on any failure. Nothing here holds state a failed check could damage. See
 * {@code docs/transparency.md}.
 */
package dev.vouch.transparency;
