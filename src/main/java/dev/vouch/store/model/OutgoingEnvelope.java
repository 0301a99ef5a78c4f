package dev.vouch.store.model;

/**
 * A sealed envelope waiting in the outbox for the relay to accept it.
 *
 * @param id the outbox row
 * @param messageId the stored message it carries, or 0 for one that carries none (a receipt)
 */
public record OutgoingEnvelope(long id, long messageId, String recipient, int deviceId, byte[] envelope) {
    public OutgoingEnvelope {
        envelope = envelope.clone();
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
