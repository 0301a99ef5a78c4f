package dev.vouch.cli;

import dev.vouch.relay.api.Invite;
import dev.vouch.service.KeyFingerprint;
import dev.vouch.service.Messenger;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.model.Account;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Creates the profile's account and registers it with a relay. */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Create this profile's account: new keys, registered with the relay of the invite.",
            "Creates the profile (asking for a new passphrase) if the folder has none."})
public final class InitCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--handle", required = true, paramLabel = "HANDLE", description = "Your handle on the relay.")
    String handle;

    @Option(names = "--relay", required = true, paramLabel = "INVITE", description = "The relay's vouch:// invite.")
    String inviteLink;

    @Override
    public Integer call() throws Exception {
        VouchCommand root = (VouchCommand) spec.root().userObject();
        Invite invite = Invite.parse(inviteLink, Instant.now());
        try (ProfileStore store = ProfileSession.openOrCreate(root)) {
            Account account = Messenger.initialize(store, handle, invite, Messenger.Options.defaults());
            var out = spec.commandLine().getOut();
            out.println("account:     " + account.handle() + " (device " + account.deviceId() + ")");
            out.println("relay:       " + invite.host() + ":" + invite.port() + ", pin " + invite.pinText());
            out.println("account key: " + KeyFingerprint.of(account.accountIdentity().publicKey().serialize()));
            out.println("profile:     " + store.directory());
        }
        return ExitCode.OK;
    }
}
