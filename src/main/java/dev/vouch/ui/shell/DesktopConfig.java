package dev.vouch.ui.shell;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.service.Messenger;
import dev.vouch.ui.common.Dialogs;
import dev.vouch.ui.common.LocalRelays;
import dev.vouch.ui.common.UiExecutors;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * Everything the desktop app is built from, wired by the composition root ({@code dev.vouch.app})
 * or by a test.
 *
 * @param kdf         the Argon2id cost for a new profile's passphrase
 * @param idleTimeout lock after this long without a key press or mouse move; zero never locks
 */
public record DesktopConfig(Path profile, Argon2id.Params kdf, Duration idleTimeout, Clock clock,
                            Messenger.Options messenger, LocalRelays localRelays, UiExecutors executors,
                            Dialogs dialogs) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(10);

    public static DesktopConfig defaults(Path profile, LocalRelays localRelays) {
        return new DesktopConfig(profile, Argon2id.Params.RECOMMENDED, DEFAULT_IDLE_TIMEOUT, Clock.systemUTC(),
                Messenger.Options.defaults(), localRelays, UiExecutors.forFx(), Dialogs.SYSTEM);
    }
}
