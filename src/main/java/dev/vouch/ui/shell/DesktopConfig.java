package dev.vouch.ui.shell;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.service.Messenger;
import dev.vouch.ui.common.Dialogs;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.common.UiExecutors;
import dev.vouch.ui.demo.Demos;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything the desktop app is built from, wired by the composition root ({@code dev.vouch.app})
 * or by a test.
 *
 * @param kdf         the Argon2id cost for a new profile's passphrase
 * @param idleTimeout lock after this long without a key press or mouse move; zero never locks
 * @param demos       what "See a demo" on the first-run screen starts
 */
public record DesktopConfig(Path profile, Argon2id.Params kdf, Duration idleTimeout, Clock clock,
                            Messenger.Options messenger, LocalRelays localRelays, UiExecutors executors,
                            Dialogs dialogs, Demos demos) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

    /** Without a demo. */
    public DesktopConfig(Path profile, Argon2id.Params kdf, Duration idleTimeout, Clock clock,
                         Messenger.Options messenger, LocalRelays localRelays, UiExecutors executors, Dialogs dialogs) {
        this(profile, kdf, idleTimeout, clock, messenger, localRelays, executors, dialogs, Demos.NONE);
    }

    public static DesktopConfig defaults(Path profile, LocalRelays localRelays) {
        return defaults(profile, localRelays, Demos.NONE);
    }

    public static DesktopConfig defaults(Path profile, LocalRelays localRelays, Demos demos) {
        return new DesktopConfig(profile, Argon2id.Params.RECOMMENDED, DEFAULT_IDLE_TIMEOUT, Clock.systemUTC(),
                Messenger.Options.defaults(), localRelays, UiExecutors.forFx(), Dialogs.SYSTEM, demos);
    }

    /** The same with another demo. */
    public DesktopConfig withDemos(Demos other) {
        return new DesktopConfig(profile, kdf, idleTimeout, clock, messenger, localRelays, executors, dialogs, other);
    }
}
