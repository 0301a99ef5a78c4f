package dev.vouch.store.search;

/** One message that matches a query; fetch it with {@code MessageDao.get(messageId)}. */
public record SearchHit(long messageId, long conversationId) {
}
