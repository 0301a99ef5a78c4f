package dev.vouch.store.model;

/** Whether we sent a message or received it. */
public enum Direction {
    INCOMING,
    OUTGOING
}
