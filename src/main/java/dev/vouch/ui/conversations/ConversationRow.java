package dev.vouch.ui.conversations;

/** One line of the conversation list. */
public record ConversationRow(long id, String peer, String preview, long unread) {
}
