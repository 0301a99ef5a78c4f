package dev.vouch.app;

import dev.vouch.cli.VouchCommand;
import java.util.List;

/**
 * Entry point of every face of Vouch: without arguments the desktop app, with arguments the
 * command line (which includes {@code vouch app}, {@code vouch demo} and {@code vouch relay}).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String[] effective = args.length == 0 ? new String[] {"app"} : args;
        System.exit(VouchCommand.run(effective, List.of(new AppCommand(), new DemoCommand())));
    }
}
