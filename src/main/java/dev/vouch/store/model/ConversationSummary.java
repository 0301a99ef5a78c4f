package dev.vouch.store.model;

import java.util.Optional;

/**
 * One line of the conversation list: the peer, counts, and the newest message (which may be
 * damaged: then the peer is still shown and the preview is flagged).
 *
 * @param peer null when the conversation row itself is damaged
 */
public record ConversationSummary(long id, String peer, long messageCount, long unread,
                                  Optional<StoredMessage> lastMessage, boolean damaged) {
}
