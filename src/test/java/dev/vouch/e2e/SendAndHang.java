package dev.vouch.e2e;

import dev.vouch.service.Messenger;
import dev.vouch.service.MessengerListener;
import dev.vouch.service.RelayFailureException;
import dev.vouch.store.ProfileStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * A sender for the crash test, in its own JVM: sends {@code count} messages and prints
 * {@code RETURNED i STATUS} as each {@code send} returns, then waits to be killed. Arguments:
 * profile folder, passphrase file, recipient, count, text prefix.
 */
public final class SendAndHang {
    private SendAndHang() {
    }

    public static void main(String[] args) throws Exception {
        Path profile = Path.of(args[0]);
        char[] passphrase = Files.readString(Path.of(args[1]), StandardCharsets.UTF_8).strip().toCharArray();
        String recipient = args[2];
        int count = Integer.parseInt(args[3]);
        String prefix = args[4];
        ProfileStore store = ProfileStore.open(profile, Clock.systemUTC());
        store.unlock(passphrase);
        Messenger messenger = Messenger.open(store, Messenger.Options.defaults(), MessengerListener.NONE);
        try {
            messenger.connect();
        } catch (RelayFailureException offline) {
            System.out.println("OFFLINE");
        }
        for (int i = 1; i <= count; i++) {
            Messenger.SendResult result = messenger.send(recipient, prefix + i);
            System.out.println("RETURNED " + i + " " + result.status());
            System.out.flush();
        }
        System.out.println("DONE");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
