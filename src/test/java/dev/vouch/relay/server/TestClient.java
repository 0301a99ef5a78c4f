package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vouch.protocol.keys.PreKeyBundle;
import dev.vouch.relay.api.BadFrameException;
import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Frame;
import dev.vouch.relay.api.Frames;
import dev.vouch.relay.api.Wire;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/** A WebSocket client on java.net.http with a pinned TLS context; frames arrive in a queue. */
final class TestClient implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final WebSocket socket;
    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private final AtomicLong ids = new AtomicLong();
    final Frames.Hello hello;

    private TestClient(HttpClient http, URI uri) throws Exception {
        StringBuilder partial = new StringBuilder();
        socket = http.newWebSocketBuilder().connectTimeout(TIMEOUT).buildAsync(uri, new WebSocket.Listener() {
            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                partial.append(data);
                if (last) {
                    frames.add(partial.toString());
                    partial.setLength(0);
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                frames.add("BINARY");
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
                closed.complete(statusCode);
                return null;
            }

            @Override
            public void onError(WebSocket ws, Throwable error) {
                closed.complete(-1);
            }
        }).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        hello = (Frames.Hello) next();
    }

    static TestClient connect(RelayServer relay) throws Exception {
        return connect(relay.port(), relay.spkiPin());
    }

    static TestClient connect(int port, byte[] pin) throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(PinnedTls.context(pin)).connectTimeout(TIMEOUT).build();
        return new TestClient(http, URI.create("wss://127.0.0.1:" + port + RelayServer.WEBSOCKET_PATH));
    }

    /** The {@code index}th bundle of a {@code fetchBundles} answer, decoded and verified. */
    static PreKeyBundle bundle(JsonNode body, int index) throws Exception {
        return PreKeyBundle.decode(Base64.getDecoder().decode(body.get("bundles").get(index).get("bundle").asText()));
    }

    /** The device binding that comes with the {@code index}th bundle of a {@code fetchBundles} answer. */
    static byte[] bundleBinding(JsonNode body, int index) {
        return Base64.getDecoder().decode(body.get("bundles").get(index).get("deviceBinding").asText());
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    void sendText(String text) throws Exception {
        socket.sendText(text, true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    void sendBinary(byte[] bytes) throws Exception {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    void send(Frame frame) throws Exception {
        sendText(Wire.encode(frame));
    }

    private int deliveriesSeen;
    private final List<Integer> queueEmptyAfter = new java.util.ArrayList<>();

    /**
     * The next frame from the relay; fails the test after {@link #TIMEOUT}. {@code queueEmpty}
     * frames are noted (see {@link #queueEmptyAfter()}) and skipped.
     */
    Frame next() throws Exception {
        while (true) {
            String text = frames.poll(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (text == null) {
                fail("no frame from the relay within " + TIMEOUT + (closed.isDone() ? " (closed " + closed.get() + ")" : ""));
            }
            Frame frame;
            try {
                frame = Wire.decode(text);
            } catch (BadFrameException e) {
                throw new AssertionError("the relay sent a frame its own mapper refuses: " + text, e);
            }
            if (frame instanceof Frames.QueueEmpty) {
                queueEmptyAfter.add(deliveriesSeen);
                continue;
            }
            if (frame instanceof Frames.Deliver) {
                deliveriesSeen++;
            }
            return frame;
        }
    }

    /** For each {@code queueEmpty} frame read so far, how many deliveries had come before it. */
    List<Integer> queueEmptyAfter() {
        return List.copyOf(queueEmptyAfter);
    }

    /** Sends a request and returns the answer with its id (deliveries arriving before it are kept in order for later). */
    Frames.ServerFrame request(Frames.Request request) throws Exception {
        send(request);
        return answerTo(request.id());
    }

    private final java.util.ArrayDeque<Frames.Deliver> early = new java.util.ArrayDeque<>();

    Frames.ServerFrame answerTo(long id) throws Exception {
        while (true) {
            Frame frame = next();
            if (frame instanceof Frames.Deliver d) {
                early.add(d);
                continue;
            }
            if (frame instanceof Frames.Ok ok && ok.id() == id || frame instanceof Frames.Error e && e.id() == id) {
                return (Frames.ServerFrame) frame;
            }
            fail("expected the answer to " + id + " but got " + Wire.encode(frame));
        }
    }

    JsonNode ok(Frames.Request request) throws Exception {
        Frames.ServerFrame answer = request(request);
        if (!(answer instanceof Frames.Ok ok)) {
            throw new AssertionError("expected ok for " + request.getClass().getSimpleName() + " but got "
                    + Wire.encode(answer));
        }
        return ok.body();
    }

    Frames.Error error(Frames.Request request, ErrorCode code) throws Exception {
        Frames.ServerFrame answer = request(request);
        assertThat(answer).as(Wire.encode(answer)).isInstanceOf(Frames.Error.class);
        Frames.Error error = (Frames.Error) answer;
        assertThat(error.code()).as(error.message()).isEqualTo(code);
        return error;
    }

    /** The next envelope delivered to this connection. */
    Frames.Deliver deliver() throws Exception {
        if (!early.isEmpty()) {
            return early.poll();
        }
        Frame frame = next();
        if (!(frame instanceof Frames.Deliver d)) {
            throw new AssertionError("expected a deliver frame but got " + Wire.encode(frame));
        }
        return d;
    }

    /**
     * The next thing the relay does: a frame (decoded, or the raw text if it does not decode) or,
     * when it closes the connection instead, the close code as an Integer.
     */
    Object nextOrClose() throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            String text = frames.poll(50, TimeUnit.MILLISECONDS);
            if (text != null) {
                Frame frame = Wire.decode(text);
                if (frame instanceof Frames.QueueEmpty) {
                    queueEmptyAfter.add(deliveriesSeen);
                    continue;
                }
                return frame;
            }
            if (closed.isDone() && frames.isEmpty()) {
                return closed.get();
            }
        }
        throw new AssertionError("the relay neither answered nor closed within " + TIMEOUT);
    }

    /** Waits for the relay to close this connection and returns the close code. */
    int awaitClose() throws Exception {
        return closed.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
        }
        socket.abort();
    }
}
