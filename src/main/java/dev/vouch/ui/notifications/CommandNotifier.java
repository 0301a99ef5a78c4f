package dev.vouch.ui.notifications;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;

/** A notification through {@code notify-send} (the freedesktop notification service), run in the background. */
final class CommandNotifier implements Notifier {
    private final String program;
    private final Executor background;

    CommandNotifier(String program, Executor background) {
        this.program = program;
        this.background = background;
    }

    /** {@code notify-send} when it is on the PATH of a Linux (or other freedesktop) system. */
    static Optional<CommandNotifier> notifySend(Executor background) {
        String os = System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT);
        if (os.contains("win") || os.contains("mac")) {
            return Optional.empty();
        }
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            File candidate = new File(dir, "notify-send");
            if (candidate.isFile() && candidate.canExecute()) {
                return Optional.of(new CommandNotifier(candidate.getPath(), background));
            }
        }
        return Optional.empty();
    }

    @Override
    public void show(String title, String body) {
        // Arguments go to the program as they are: no shell reads them.
        List<String> command = List.of(program, "--app-name=Vouch", "--", title, body);
        background.execute(() -> {
            try {
                new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            } catch (IOException e) {
                // gone since: nothing to show, and the message is in the window all the same
            }
        });
    }
}
