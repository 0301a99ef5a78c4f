package dev.vouch.protocol;

/** The peer's device identity key differs from the one we trust for that address. */
public final class UntrustedIdentityException extends ProtocolException {
    private final ProtocolAddress address;

    public UntrustedIdentityException(ProtocolAddress address) {
        super("identity key of " + address + " is not the trusted one");
        this.address = address;
    }

    public ProtocolAddress address() {
        return address;
    }
}
