package dev.vouch.store.search;

import java.util.List;

/**
 * The matches of a query, newest first, at most the requested number, with the total number of
 * matching messages. {@code complete} is false while the index is still being loaded or built:
 * older or newer messages may then be missing.
 */
public record SearchResult(List<SearchHit> hits, int total, boolean complete) {
    public static final SearchResult EMPTY = new SearchResult(List.of(), 0, true);

    public SearchResult {
        hits = List.copyOf(hits);
    }

    SearchResult withComplete(boolean isComplete) {
        return isComplete == complete ? this : new SearchResult(hits, total, isComplete);
    }
}
