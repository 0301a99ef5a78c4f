package dev.vouch.store.model;

/**
 * A sealed envelope waiting in the outbox for the relay to accept it.
 *
 * @param id the outbox row
 * @param messageId the stored message it carries, or 0 for one that carries none (a receipt)
 * @param recipientKey the serialized device identity key it was encrypted to
 */
public record OutgoingEnvelope(long id, long messageId, String recipient, int deviceId, byte[] recipientKey,
                               byte[] envelope) {
    public OutgoingEnvelope {
        recipientKey = recipientKey.clone();
        envelope = envelope.clone();
    }

    /** The serialized device identity key the envelope was encrypted to. */
    @Override
    public byte[] recipientKey() {
        return recipientKey.clone();
    }

    @Override
    public byte[] envelope() {
        return envelope.clone();
    }

    @Override
    public String toString() {
        return "OutgoingEnvelope[" + id + " for message " + messageId + ", " + envelope.length + " bytes]";
    }
}
