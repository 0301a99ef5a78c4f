package dev.vouch.relay.client;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.vouch.relay.api.BadFrameException;
import dev.vouch.relay.api.Frame;
import dev.vouch.relay.api.Frames;
import dev.vouch.relay.api.Wire;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A scripted stand-in for the relay, JDK only: TLS on loopback with a self-signed key made by
 * {@code keytool}, and just enough RFC 6455 (upgrade, masked client frames, fragmentation,
 * ping/pong, close) for a test to play the relay's side frame by frame. Each accepted WebSocket
 * becomes a {@link Conn} the test takes with {@link #nextConnection()}.
 */
final class LoopbackRelay implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /** A key store holding one self-signed EC P-256 key, as the relay makes on first start. */
    record Keys(Path keystore, char[] password, byte[] pin) {
        static Keys generate(Path dir, String commonName) throws Exception {
            Path keystore = dir.resolve(commonName + ".p12");
            String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
            Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "relay", "-keyalg", "EC",
                    "-groupname", "secp256r1", "-dname", "CN=" + commonName, "-validity", "2",
                    "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit",
                    "-keypass", "changeit").redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0 || !Files.exists(keystore)) {
                throw new IllegalStateException("keytool failed: " + output);
            }
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(keystore)) {
                store.load(in, "changeit".toCharArray());
            }
            X509Certificate certificate = (X509Certificate) store.getCertificate("relay");
            byte[] pin = MessageDigest.getInstance("SHA-256").digest(certificate.getPublicKey().getEncoded());
            return new Keys(keystore, "changeit".toCharArray(), pin);
        }
    }

    private final SSLServerSocket server;
    private final BlockingQueue<Conn> connections = new LinkedBlockingQueue<>();
    private final BlockingQueue<Throwable> failures = new LinkedBlockingQueue<>();
    private final Thread acceptor;

    /** @param protocols the TLS versions the relay offers */
    LoopbackRelay(Keys keys, String... protocols) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keys.keystore())) {
            store.load(in, keys.password());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, keys.password());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, new SecureRandom());
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
        server.setEnabledProtocols(protocols);
        acceptor = new Thread(this::acceptLoop, "loopback-relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** The next WebSocket a client opened (TLS handshake and upgrade done). */
    Conn nextConnection() throws InterruptedException {
        Conn conn = connections.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (conn == null) {
            throw new AssertionError("no client connected within " + WAIT);
        }
        return conn;
    }

    /** The next connection that failed before it became a WebSocket (for example in the TLS handshake). */
    Throwable nextFailure() throws InterruptedException {
        Throwable failure = failures.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        if (failure == null) {
            throw new AssertionError("no connection failed within " + WAIT);
        }
        return failure;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread handler = new Thread(() -> {
                try {
                    ((SSLSocket) socket).startHandshake();
                    connections.add(new Conn(socket));
                } catch (Exception e) {
                    failures.add(e);
                    closeQuietly(socket);
                }
            }, "loopback-relay-conn");
            handler.setDaemon(true);
            handler.start();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    /** One WebSocket, server side. */
    static final class Conn {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final String path;
        byte[] challenge;
        volatile boolean answerPings = true;

        Conn(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
            Map<String, String> headers = new HashMap<>();
            String requestLine = line();
            for (String line = line(); !line.isEmpty(); line = line()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            path = requestLine.split(" ")[1];
            String key = headers.get("sec-websocket-key");
            if (key == null || !"websocket".equalsIgnoreCase(headers.get("upgrade"))) {
                throw new IOException("not a WebSocket upgrade: " + requestLine);
            }
            String accept;
            try {
                accept = Base64.getEncoder().encodeToString(
                        MessageDigest.getInstance("SHA-1").digest((key + GUID).getBytes(UTF_8)));
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
            synchronized (out) {
                out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n").getBytes(UTF_8));
                out.flush();
            }
            Thread reader = new Thread(this::readLoop, "loopback-relay-read");
            reader.setDaemon(true);
            reader.start();
        }

        private String line() throws IOException {
            ByteArrayOutputStream buffer = new ByteArrayOutputStream();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed during the upgrade");
                }
                if (b != '\r') {
                    buffer.write(b);
                }
            }
            return buffer.toString(UTF_8);
        }

        /** Reads client frames: text messages (reassembled) go to {@link #nextText}, pings are answered. */
        private void readLoop() {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            try {
                while (true) {
                    int b0 = in.read();
                    int b1 = in.read();
                    if (b0 < 0 || b1 < 0) {
                        break;
                    }
                    boolean fin = (b0 & 0x80) != 0;
                    int opcode = b0 & 0x0F;
                    if ((b1 & 0x80) == 0) {
                        throw new IOException("client frames must be masked");
                    }
                    long length = b1 & 0x7F;
                    if (length == 126) {
                        length = (in.read() << 8) | in.read();
                    } else if (length == 127) {
                        length = 0;
                        for (int i = 0; i < 8; i++) {
                            length = (length << 8) | in.read();
                        }
                    }
                    byte[] mask = in.readNBytes(4);
                    byte[] payload = in.readNBytes((int) length);
                    for (int i = 0; i < payload.length; i++) {
                        payload[i] ^= mask[i % 4];
                    }
                    switch (opcode) {
                        case 0x0, 0x1 -> {
                            message.write(payload);
                            if (fin) {
                                texts.add(message.toString(UTF_8));
                                message.reset();
                            }
                        }
                        case 0x8 -> {
                            events.add("close");
                            writeFrame(0x8, payload, true);
                            socket.close();
                            return;
                        }
                        case 0x9 -> {
                            if (answerPings) {
                                writeFrame(0xA, payload, true);
                            }
                            events.add("ping");
                        }
                        case 0xA -> events.add("pong");
                        default -> events.add("opcode " + opcode);
                    }
                }
            } catch (IOException e) {
                // the socket closed
            }
            events.add("eof");
        }

        private void writeFrame(int opcode, byte[] payload, boolean fin) throws IOException {
            ByteArrayOutputStream frame = new ByteArrayOutputStream();
            frame.write((fin ? 0x80 : 0) | opcode);
            if (payload.length < 126) {
                frame.write(payload.length);
            } else if (payload.length < 65536) {
                frame.write(126);
                frame.write(payload.length >>> 8);
                frame.write(payload.length);
            } else {
                frame.write(127);
                for (int i = 7; i >= 0; i--) {
                    frame.write((int) ((long) payload.length >>> (8 * i)));
                }
            }
            frame.write(payload);
            synchronized (out) {
                out.write(frame.toByteArray());
                out.flush();
            }
        }

        String nextText() throws InterruptedException {
            String text = texts.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (text == null) {
                throw new AssertionError("the client sent no frame within " + WAIT);
            }
            return text;
        }

        /** The next frame from the client, of the given type. */
        <T extends Frame> T next(Class<T> type) throws InterruptedException, BadFrameException {
            Frame frame = Wire.decode(nextText());
            if (!type.isInstance(frame)) {
                throw new AssertionError("expected " + type.getSimpleName() + " but the client sent " + frame);
            }
            return type.cast(frame);
        }

        /** The next control event: "ping", "pong", "close", "eof". */
        String nextEvent() throws InterruptedException {
            String event = events.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
            if (event == null) {
                throw new AssertionError("no control event within " + WAIT);
            }
            return event;
        }

        void hello() throws IOException {
            hello(Frames.PROTOCOL);
        }

        void hello(int protocol) throws IOException {
            challenge = new byte[Frames.CHALLENGE_LENGTH];
            new SecureRandom().nextBytes(challenge);
            send(new Frames.Hello(protocol, challenge, System.currentTimeMillis()));
        }

        void send(Frame frame) throws IOException {
            sendText(Wire.encode(frame));
        }

        void sendText(String text) throws IOException {
            writeFrame(0x1, text.getBytes(UTF_8), true);
        }

        /** Sends one text message as {@code parts} frames (text, continuations), with a ping between the first two. */
        void sendFragmented(String text, int parts) throws IOException {
            byte[] bytes = text.getBytes(UTF_8);
            int step = (bytes.length + parts - 1) / parts;
            for (int i = 0; i < parts; i++) {
                byte[] part = java.util.Arrays.copyOfRange(bytes, Math.min(i * step, bytes.length),
                        Math.min((i + 1) * step, bytes.length));
                writeFrame(i == 0 ? 0x1 : 0x0, part, i == parts - 1);
                if (i == 0) {
                    writeFrame(0x9, "are you there".getBytes(UTF_8), true);
                }
            }
        }

        void sendBinary(byte[] bytes) throws IOException {
            writeFrame(0x2, bytes, true);
        }

        /** Drops the TCP connection without a close frame, as a crashed relay or a broken network would. */
        void drop() {
            try {
                socket.setSoLinger(true, 0); // a reset, not an orderly TLS close
            } catch (IOException ignored) {
                // closing anyway
            }
            closeQuietly(socket);
        }
    }
}
