package dev.vouch.app;

import dev.vouch.cli.VouchCommand;

/** Entry point of every face of Vouch: the command line now, the desktop app and the relay later. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(VouchCommand.run(args));
    }
}
