package dev.vouch.cli;

import picocli.CommandLine.IVersionProvider;

/** Reads the version from the jar manifest, written by the build. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = VersionProvider.class.getPackage().getImplementationVersion();
        return new String[] {"Vouch " + (version == null ? "development build" : version)};
    }
}
