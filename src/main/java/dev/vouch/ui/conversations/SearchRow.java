package dev.vouch.ui.conversations;

/** One search hit: the message, its conversation and a short excerpt. */
public record SearchRow(long messageId, long conversationId, String peer, String excerpt) {
}
