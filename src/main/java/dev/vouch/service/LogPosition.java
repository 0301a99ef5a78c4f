package dev.vouch.service;

import java.time.Instant;

/** Where a contact's keys were last proven in the log: the entry's position and version, in a head of that size. */
public record LogPosition(long index, long version, long headSize, Instant checkedAt) {
}
