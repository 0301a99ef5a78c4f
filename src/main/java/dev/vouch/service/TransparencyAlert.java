package dev.vouch.service;

import java.time.Instant;

/**
 * One key transparency alert: when it was raised, what kind, about whom (a contact's handle, or
 * empty for the log as a whole and this account) and the particulars.
 */
public record TransparencyAlert(Instant at, LogAuditor.Kind kind, String subject, String detail) {
    public String explanation() {
        return kind.explanation();
    }
}
