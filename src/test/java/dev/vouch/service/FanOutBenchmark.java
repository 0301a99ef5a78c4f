package dev.vouch.service;

import dev.vouch.relay.server.Limits;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.testing.LocalRelay;
import dev.vouch.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Issue 6's fan-out figure (docs/devices.md): what sending one message costs when the contact has
 * five devices and the sender two other devices of their own, as a multiple of sending to a
 * contact with one device and no other device of one's own, both measured in the same run over the
 * real relay (TLS on loopback), in steady state (every session set up by warm-up sends first).
 * The two kinds of send alternate, so load on the machine falls on both alike. Run it with
 * {@code mvn -B -q -Pbench test-compile exec:exec@fanout-bench} (docs/benchmarks.md).
 */
public final class FanOutBenchmark {
    static final int WARMUP = 10;
    static final int ROUNDS = 60;

    private FanOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : ROUNDS;
        Path dir = Files.createTempDirectory("vouch-fanout-bench-");
        MutableClock clock = new MutableClock(Instant.now());
        try (LocalRelay relay = LocalRelay.start(dir.resolve("relay"), clock,
                // the relay's per-sender rate limits would otherwise stop a sender after about 60 envelopes a minute
                Limits.DEFAULT.withIdentifiedSendsPerMinute(1_000_000).withLookupsPerMinute(1_000_000)
                        .withFetchBundlesPerMinute(1_000_000))) {
            // the sender on one device, then the same account with two more devices of its own
            Member single = Member.register(dir, "solo", relay, clock);
            Member alice = Member.register(dir, "alice", relay, clock);
            Member carol = Member.register(dir, "carol", relay, clock);
            Member bob = Member.register(dir, "bob", relay, clock);
            List<dev.vouch.protocol.keys.SignedDeviceList.Device> bobs = new ArrayList<>(List.of(ExtraDevice.first(bob)));
            for (int id = 2; id <= 5; id++) {
                bobs.add(ExtraDevice.register(bob, id, "Device " + id).entry());
            }
            bob.online().publishDevices(bobs);
            bob.offline();
            List<dev.vouch.protocol.keys.SignedDeviceList.Device> alices = List.of(ExtraDevice.first(alice),
                    ExtraDevice.register(alice, 2, "Laptop").entry(), ExtraDevice.register(alice, 3, "Phone").entry());
            alice.online().publishDevices(alices);
            alice.offline();
            Messenger one = single.online();
            Messenger many = alice.online();
            one.addContact("carol");
            many.addContact("bob");

            for (int i = 0; i < WARMUP; i++) {
                send(one, "carol", "warm-up " + i);
                try {
                    send(many, "bob", "warm-up " + i);
                } catch (IllegalStateException e) {
                    throw new IllegalStateException(e.getMessage() + "; alice's problems: " + alice.problems, e);
                }
            }
            double[] baseline = new double[rounds];
            double[] fanOut = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                send(one, "carol", "message " + i);
                long t1 = System.nanoTime();
                send(many, "bob", "message " + i);
                long t2 = System.nanoTime();
                baseline[i] = (t1 - t0) / 1e6;
                fanOut[i] = (t2 - t1) / 1e6;
            }
            Arrays.sort(baseline);
            Arrays.sort(fanOut);
            double b = baseline[rounds / 2];
            double f = fanOut[rounds / 2];
            System.out.printf("%-62s %8s %8s%n", "send one message (" + rounds + " each, alternating)", "median", "p90");
            System.out.printf("%-62s %8.2f %8.2f ms%n", "to 1 device, no other own device", b, baseline[rounds * 9 / 10]);
            System.out.printf("%-62s %8.2f %8.2f ms%n", "to 5 devices + 2 other own devices (7 envelopes)", f,
                    fanOut[rounds * 9 / 10]);
            System.out.printf("%-62s %8.2fx          (target <= 7x)%n", "ratio of the medians", f / b);
            single.close();
            alice.close();
            carol.close();
            bob.close();
        } finally {
            dev.vouch.cli.BenchChild.deleteRecursively(dir);
        }
        System.exit(0);
    }

    private static void send(Messenger from, String to, String text) throws Exception {
        MessageStatus status = from.send(to, text).status();
        if (status != MessageStatus.SENT) {
            throw new IllegalStateException("a send to " + to + " (" + text + ") ended " + status + " with "
                    + from.flush() + " envelopes waiting");
        }
    }
}
