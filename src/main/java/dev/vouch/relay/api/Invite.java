package dev.vouch.relay.api;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How a client learns where a relay is and which keys to pin:
 * {@code vouch://relay?v=1&host=H&port=P&pin=B64URL&log=B64URL&exp=SECONDS}.
 *
 * @param spkiPin SHA-256 of the relay certificate's SubjectPublicKeyInfo
 * @param logKey the transparency log's Ed25519 public key, when the relay runs one
 * @param expires after this the invite is refused
 */
public record Invite(String host, int port, byte[] spkiPin, Optional<byte[]> logKey, Optional<Instant> expires) {
    public static final int VERSION = 1;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    public Invite {
        if (host == null || host.isBlank() || host.length() > 253 || !host.matches("[A-Za-z0-9.:\\-\\[\\]]+")) {
            throw new IllegalArgumentException("invite host is invalid");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invite port must be 1..65535");
        }
        if (spkiPin == null || spkiPin.length != 32) {
            throw new IllegalArgumentException("invite pin must be a SHA-256 (32 bytes)");
        }
        spkiPin = spkiPin.clone();
        logKey = logKey.map(byte[]::clone);
        if (logKey.isPresent() && logKey.get().length != 32) {
            throw new IllegalArgumentException("invite log key must be 32 bytes");
        }
    }

    @Override
    public byte[] spkiPin() {
        return spkiPin.clone();
    }

    public String link() {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("v", Integer.toString(VERSION));
        q.put("host", host);
        q.put("port", Integer.toString(port));
        q.put("pin", B64.encodeToString(spkiPin));
        logKey.ifPresent(k -> q.put("log", B64.encodeToString(k)));
        expires.ifPresent(e -> q.put("exp", Long.toString(e.getEpochSecond())));
        StringBuilder link = new StringBuilder("vouch://relay?");
        q.forEach((k, v) -> link.append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)).append('&'));
        link.setLength(link.length() - 1);
        return link.toString();
    }

    /** The pin as shown to people: base64url, as in the link. */
    public String pinText() {
        return B64.encodeToString(spkiPin);
    }

    /** The log key as shown to people: base64url, as in the link. */
    public Optional<String> logKeyText() {
        return logKey.map(B64::encodeToString);
    }

    /**
     * Parses and checks an invite link.
     *
     * @throws InvalidInviteException naming what is wrong: not an invite, another version, expired, malformed
     */
    public static Invite parse(String link, Instant now) throws InvalidInviteException {
        if (link == null || link.length() > 2048) {
            throw new InvalidInviteException("not a Vouch invite");
        }
        URI uri;
        try {
            uri = new URI(link.strip());
        } catch (java.net.URISyntaxException e) {
            throw new InvalidInviteException("not a Vouch invite (malformed link)");
        }
        if (!"vouch".equals(uri.getScheme()) || !"relay".equals(uri.getHost()) || uri.getRawQuery() == null) {
            throw new InvalidInviteException("not a Vouch invite (it must start with vouch://relay?)");
        }
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : uri.getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new InvalidInviteException("malformed invite parameter");
            }
            String key = pair.substring(0, eq);
            if (q.put(key, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)) != null) {
                throw new InvalidInviteException("invite repeats parameter " + key);
            }
        }
        String version = q.get("v");
        if (!Integer.toString(VERSION).equals(version)) {
            throw new InvalidInviteException("invite version " + version + " is not supported (this Vouch reads version "
                    + VERSION + ")");
        }
        try {
            Optional<Instant> expires = Optional.ofNullable(q.get("exp")).map(s -> Instant.ofEpochSecond(Long.parseLong(s)));
            if (expires.isPresent() && !now.isBefore(expires.get())) {
                throw new InvalidInviteException("the invite expired at " + expires.get());
            }
            return new Invite(q.get("host"), Integer.parseInt(required(q, "port")), B64D.decode(required(q, "pin")),
                    Optional.ofNullable(q.get("log")).map(B64D::decode), expires);
        } catch (IllegalArgumentException e) {
            throw new InvalidInviteException("malformed invite: " + e.getMessage());
        }
    }

    private static String required(Map<String, String> q, String key) throws InvalidInviteException {
        String value = q.get(key);
        if (value == null) {
            throw new InvalidInviteException("invite lacks " + key);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Invite i && host.equals(i.host) && port == i.port
                && java.util.Arrays.equals(spkiPin, i.spkiPin) && link().equals(i.link());
    }

    @Override
    public int hashCode() {
        return host.hashCode() * 31 + port;
    }
}
