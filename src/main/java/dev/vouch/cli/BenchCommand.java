package dev.vouch.cli;

import picocli.CommandLine.Command;

/** Benchmarks that ship with Vouch, so anyone can check its figures on their own machine. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure Vouch on this machine.",
        subcommands = {StoreBenchCommand.class, RelayBenchCommand.class, ArchiveBenchCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
