package dev.vouch.cli;

import picocli.CommandLine.Command;

/** Utilities for people who check Vouch against other implementations. */
@Command(name = "tools",
        mixinStandardHelpOptions = true,
        description = "Interoperability and diagnostic tools.",
        subcommands = {SafetyNumberCommand.class})
public final class ToolsCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
