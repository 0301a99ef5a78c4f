package dev.vouch.relay.client;

import dev.vouch.relay.api.ErrorCode;

/** The relay refused a request with an {@code error} frame. */
public final class RelayErrorException extends RelayException {
    private final ErrorCode code;

    public RelayErrorException(ErrorCode code, String message) {
        super("relay refused the request (" + code.wire() + "): " + message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
