package dev.vouch.service;

import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.client.RelayErrorException;
import dev.vouch.relay.client.RelayException;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Waits for the relay client's futures on a service thread and turns their failures into typed ones. */
final class RelayCalls {
    private RelayCalls() {
    }

    /** The answer, or the relay's failure; the connection's own request timeout bounds the wait. */
    static <T> T await(CompletableFuture<T> future) throws RelayFailureException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RelayFailureException("interrupted while waiting for the relay");
        } catch (ExecutionException | CompletionException | CancellationException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            while ((cause instanceof CompletionException || cause instanceof ExecutionException) && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RelayException relay) {
                throw new RelayFailureException(relay);
            }
            if (cause instanceof IllegalStateException || cause instanceof IllegalArgumentException) {
                throw new RelayFailureException(cause.getMessage());
            }
            throw new IllegalStateException("unexpected failure of a relay request", cause);
        }
    }

    /** The relay's error code when {@code failure} is a refusal. */
    static Optional<ErrorCode> code(RelayFailureException failure) {
        return failure.getCause() instanceof RelayErrorException refused ? Optional.of(refused.code()) : Optional.empty();
    }
}
