package dev.vouch.archive.profile;

import dev.vouch.store.model.KeyEvent;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.VerificationState;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One record of an archive's contents (docs/archive-format.md, "Contents"). The first record of
 * every archive is a {@link Header}, the last an {@link End}; private keys travel only in
 * {@link Scope#FULL} archives. Records that hold secrets do not print them.
 */
public sealed interface ArchiveItem {
    /** What an archive carries. */
    enum Scope {
        /** Everything, the account's private keys included: the archive moves the account. */
        FULL(1),
        /** History, contacts and key history without any private key: readable anywhere. */
        HISTORY_ONLY(2),
        /**
         * What a device link moves to the account's new device (docs/devices.md, "Linking"): contacts
         * with their verification, profile keys, key history and device keys, and the newest messages
         * of each conversation; no private key, session or setting.
         */
        LINK(3);

        final int code;

        Scope(int code) {
            this.code = code;
        }
    }

    /** Whose profile this is and what the archive carries. */
    record Header(int contentsVersion, Scope scope, Instant createdAt, String handle, int deviceId, String producer)
            implements ArchiveItem {
        public Header {
            Objects.requireNonNull(scope);
            Objects.requireNonNull(createdAt);
            Objects.requireNonNull(handle);
            Objects.requireNonNull(producer);
        }
    }

    /** A profile setting by name (docs/archive-format.md lists the names that never leave in a history-only archive). */
    record Setting(String name, String value) implements ArchiveItem {
        /** Prefixes of the settings that belong to the account's keys, left out of history-only archives. */
        private static final java.util.List<String> IDENTITY_BOUND = java.util.List.of("account.", "prekeys.");

        /** Whether this setting only makes sense with the account's private keys (the profile key, prekey state). */
        public static boolean identityBound(String name) {
            return IDENTITY_BOUND.stream().anyMatch(name::startsWith);
        }

        @Override
        public String toString() {
            return "Setting[" + name + "]";
        }
    }

    /** The account's private identity: account key and this device's key, as the protocol serializes them. */
    record Identity(byte[] accountIdentity, byte[] deviceIdentity) implements ArchiveItem {
        public Identity {
            accountIdentity = accountIdentity.clone();
            deviceIdentity = deviceIdentity.clone();
        }

        @Override
        public byte[] accountIdentity() {
            return accountIdentity.clone();
        }

        @Override
        public byte[] deviceIdentity() {
            return deviceIdentity.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Identity i && Arrays.equals(accountIdentity, i.accountIdentity)
                    && Arrays.equals(deviceIdentity, i.deviceIdentity);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(accountIdentity);
        }

        @Override
        public String toString() {
            return "Identity[redacted]";
        }
    }

    /** A contact as the profile knows them; the profile key only in full archives. */
    record Contact(String handle, String displayName, VerificationState verification, Optional<byte[]> accountKey,
                   Instant addedAt, Optional<byte[]> profileKey) implements ArchiveItem {
        public Contact {
            Objects.requireNonNull(verification);
            accountKey = accountKey.map(byte[]::clone);
            profileKey = profileKey.map(byte[]::clone);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Contact c && handle.equals(c.handle) && displayName.equals(c.displayName)
                    && verification == c.verification && addedAt.equals(c.addedAt)
                    && sameBytes(accountKey, c.accountKey) && sameBytes(profileKey, c.profileKey);
        }

        @Override
        public int hashCode() {
            return handle.hashCode();
        }

        @Override
        public String toString() {
            return "Contact[" + handle + ", " + verification + "]";
        }
    }

    /** One entry of a contact's key history. */
    record KeyHistory(String handle, Instant at, KeyEvent.Type type, String detail) implements ArchiveItem {
    }

    /** A contact's device whose identity key the profile knows. */
    record Device(String handle, int deviceId, byte[] identityKey) implements ArchiveItem {
        public Device {
            identityKey = identityKey.clone();
        }

        @Override
        public byte[] identityKey() {
            return identityKey.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Device d && handle.equals(d.handle) && deviceId == d.deviceId
                    && Arrays.equals(identityKey, d.identityKey);
        }

        @Override
        public int hashCode() {
            return Objects.hash(handle, deviceId);
        }
    }

    /** A ratchet session with a contact's device (full archives only), as the protocol serializes it. */
    record Session(String handle, int deviceId, byte[] record) implements ArchiveItem {
        public Session {
            record = record.clone();
        }

        @Override
        public byte[] record() {
            return record.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Session s && handle.equals(s.handle) && deviceId == s.deviceId
                    && Arrays.equals(record, s.record);
        }

        @Override
        public int hashCode() {
            return Objects.hash(handle, deviceId);
        }

        @Override
        public String toString() {
            return "Session[" + handle + "." + deviceId + ", redacted]";
        }
    }

    /** One of our prekeys with its private part (full archives only). */
    record PreKey(int kind, int keyId, byte[] record) implements ArchiveItem {
        public PreKey {
            record = record.clone();
        }

        @Override
        public byte[] record() {
            return record.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PreKey p && kind == p.kind && keyId == p.keyId && Arrays.equals(record, p.record);
        }

        @Override
        public int hashCode() {
            return Objects.hash(kind, keyId);
        }

        @Override
        public String toString() {
            return "PreKey[" + kind + " " + Integer.toUnsignedString(keyId) + ", redacted]";
        }
    }

    /** A conversation, so that one without messages survives too. */
    record Conversation(String peer) implements ArchiveItem {
    }

    /**
     * One message. {@code uid} is what deduplicates it on import (the sender's message id where it
     * has one); {@code body} is the store's message body encoding (docs/archive-format.md).
     */
    record Message(String peer, byte[] uid, MessageStatus status, byte[] body) implements ArchiveItem {
        public Message {
            Objects.requireNonNull(status);
            uid = uid.clone();
            body = body.clone();
        }

        @Override
        public byte[] uid() {
            return uid.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Message m && peer.equals(m.peer) && Arrays.equals(uid, m.uid) && status == m.status
                    && Arrays.equals(body, m.body);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(uid);
        }

        @Override
        public String toString() {
            return "Message[" + peer + ", " + status + "]";
        }
    }

    /** The count of records between the header and this one, and of messages among them. */
    record End(long records, long messages) implements ArchiveItem {
    }

    private static boolean sameBytes(Optional<byte[]> a, Optional<byte[]> b) {
        return a.isPresent() == b.isPresent() && (a.isEmpty() || Arrays.equals(a.get(), b.get()));
    }
}
