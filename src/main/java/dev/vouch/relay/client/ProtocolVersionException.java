package dev.vouch.relay.client;

/** The relay speaks another protocol version than this Vouch; the connection is stopped and not retried. */
public final class ProtocolVersionException extends RelayException {
    private final int relayVersion;

    public ProtocolVersionException(int relayVersion, int ourVersion) {
        super("the relay speaks protocol version " + relayVersion + " but this Vouch speaks version " + ourVersion
                + "; update Vouch or the relay");
        this.relayVersion = relayVersion;
    }

    public int relayVersion() {
        return relayVersion;
    }
}
