package dev.vouch.archive.profile;

import java.io.IOException;

/** The user cancelled an export (no archive is left behind) or an import (nothing was imported). */
public final class TransferCancelledException extends IOException {
    public TransferCancelledException(String message) {
        super(message);
    }
}
