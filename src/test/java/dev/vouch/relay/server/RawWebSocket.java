package dev.vouch.relay.server;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import javax.net.ssl.SSLSocket;

/**
 * A WebSocket client written out by hand over a pinned TLS socket, for what java.net.http will not
 * do: stop reading while sending, send invalid UTF-8, shrink the receive buffer.
 */
final class RawWebSocket implements AutoCloseable {
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    private static final SecureRandom RANDOM = new SecureRandom();

    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : -1;
        }
    }

    private final SSLSocket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawWebSocket(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static RawWebSocket connect(int port, byte[] pin, int receiveBuffer) throws Exception {
        Socket plain = new Socket();
        plain.setReceiveBufferSize(receiveBuffer);
        plain.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        SSLSocket tls = (SSLSocket) PinnedTls.context(pin).getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
        tls.setSoTimeout(30_000);
        tls.startHandshake();
        RawWebSocket ws = new RawWebSocket(tls);
        byte[] key = new byte[16];
        RANDOM.nextBytes(key);
        ws.out.write(("GET " + RelayServer.WEBSOCKET_PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        ws.out.flush();
        StringBuilder headers = new StringBuilder();
        while (!headers.toString().endsWith("\r\n\r\n")) {
            int b = ws.in.read();
            if (b < 0) {
                throw new EOFException("the relay closed during the upgrade: " + headers);
            }
            headers.append((char) b);
        }
        if (!headers.toString().startsWith("HTTP/1.1 101")) {
            throw new IOException("no upgrade: " + headers);
        }
        return ws;
    }

    /** Sends one masked frame, as a client must. */
    void send(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        RANDOM.nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
    }

    void sendText(String text) throws IOException {
        send(TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next whole frame from the relay (the relay does not fragment the frames tested here). */
    Frame read() throws IOException {
        int b0 = in.read();
        if (b0 < 0) {
            throw new EOFException("the relay closed the connection");
        }
        int b1 = readByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = ((long) readByte() << 8) | readByte();
        } else if (length == 127) {
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | readByte();
            }
        }
        byte[] payload = in.readNBytes((int) length);
        if (payload.length != length) {
            throw new EOFException("the relay closed in the middle of a frame");
        }
        return new Frame(b0 & 0x0F, payload);
    }

    private int readByte() throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new EOFException("the relay closed in the middle of a frame");
        }
        return b;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
