package dev.vouch.relay.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.relay.api.ErrorCode;
import dev.vouch.relay.api.Frames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BiFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code fetchBundles}, {@code lookup} and identified {@code send} are limited per requesting device,
 * in a sliding minute of the relay's clock (the tests move it by hand), with the documented defaults.
 */
class PerDeviceRateLimitTest {
    @TempDir
    Path data;
    RelayFixture fixture;
    RelayServer relay;
    TestDevice bob;

    @BeforeEach
    void start() throws Exception {
        fixture = new RelayFixture(data);
        relay = fixture.relay;
        bob = new TestDevice("bob");
        try (TestClient bobClient = bob.registered(relay)) {
            bobClient.ok(bob.preKeys(bobClient, 1, 0, 0, true));
        }
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    /**
     * {@code limit} requests pass, the next is {@code rate-limited}, also on a new connection of the
     * same device; another device is not affected; half a minute later still limited, a minute after
     * the first request allowed again.
     */
    private void limitedPerDevice(int limit, String request, BiFunction<TestClient, Integer, Frames.Request> make)
            throws Exception {
        TestDevice alice = new TestDevice("alice");
        try (TestClient aliceClient = alice.registered(relay)) {
            for (int i = 0; i < limit; i++) {
                aliceClient.ok(make.apply(aliceClient, i));
            }
            Frames.Error refused = aliceClient.error(make.apply(aliceClient, limit), ErrorCode.RATE_LIMITED);
            assertThat(refused.message()).contains(Integer.toString(limit));
        }
        try (TestClient again = alice.authenticated(relay); TestClient carol = new TestDevice("carol").registered(relay)) {
            again.error(make.apply(again, 0), ErrorCode.RATE_LIMITED);
            carol.ok(make.apply(carol, 0));
            fixture.clock.advance(Duration.ofSeconds(30));
            again.error(make.apply(again, 0), ErrorCode.RATE_LIMITED);
            fixture.clock.advance(Duration.ofSeconds(31));
            again.ok(make.apply(again, 0));
        }
        assertThat(fixture.events()).contains("event=rate-limited request=" + request).doesNotContain("alice")
                .doesNotContain("bob");
    }

    @Test
    void fetchBundlesIsLimitedTo30PerMinutePerDevice() throws Exception {
        assertThat(Limits.DEFAULT.fetchBundlesPerMinute()).isEqualTo(30);
        limitedPerDevice(30, "fetchBundles", (client, i) -> new Frames.FetchBundles(client.nextId(), "bob"));
    }

    @Test
    void refusedFetchesCountToo() throws Exception {
        try (TestClient alice = new TestDevice("alice").registered(relay)) {
            for (int i = 0; i < 15; i++) {
                alice.error(new Frames.FetchBundles(alice.nextId(), "nobody" + i), ErrorCode.UNKNOWN_ACCOUNT);
                alice.error(new Frames.FetchBundles(alice.nextId(), "x"), ErrorCode.HANDLE_INVALID);
            }
            alice.error(new Frames.FetchBundles(alice.nextId(), "bob"), ErrorCode.RATE_LIMITED);
        }
    }

    @Test
    void lookupIsLimitedTo120PerMinutePerDevice() throws Exception {
        assertThat(Limits.DEFAULT.lookupsPerMinute()).isEqualTo(120);
        limitedPerDevice(120, "lookup", (client, i) -> new Frames.Lookup(client.nextId(), "bob"));
    }

    @Test
    void identifiedSendsAreLimitedTo60PerMinutePerDevice() throws Exception {
        assertThat(Limits.DEFAULT.identifiedSendsPerMinute()).isEqualTo(60);
        limitedPerDevice(60, "send", (client, i) -> bob.identifiedSendTo(client, ("hi " + i).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void eachLimitCountsItsOwnRequestsAndSealedSendsAreNotLimited() throws Exception {
        try (TestClient alice = new TestDevice("alice").registered(relay); TestClient anonymous = TestClient.connect(relay)) {
            for (int i = 0; i < 30; i++) {
                alice.ok(new Frames.FetchBundles(alice.nextId(), "bob"));
            }
            alice.error(new Frames.FetchBundles(alice.nextId(), "bob"), ErrorCode.RATE_LIMITED);
            alice.ok(new Frames.Lookup(alice.nextId(), "bob"));
            for (int i = 0; i < 60; i++) {
                alice.ok(bob.identifiedSendTo(alice, new byte[] {1}));
            }
            alice.error(bob.identifiedSendTo(alice, new byte[] {1}), ErrorCode.RATE_LIMITED);
            alice.ok(new Frames.Lookup(alice.nextId(), "bob"));
            // sealed sends carry the access key and are not rate-limited (the mailbox quota bounds them),
            // on any connection
            for (int i = 0; i < 70; i++) {
                anonymous.ok(bob.sendTo(anonymous, new byte[] {2}));
            }
            alice.ok(bob.sendTo(alice, new byte[] {3}));
        }
    }
}
