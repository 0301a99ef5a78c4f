package dev.vouch.cli;

import dev.vouch.archive.ArchiveException;
import dev.vouch.archive.WrongArchivePassphraseException;
import dev.vouch.relay.api.InvalidInviteException;
import dev.vouch.service.RelayFailureException;
import dev.vouch.service.AlreadyInitializedException;
import dev.vouch.service.NotInitializedException;
import dev.vouch.service.DeviceListRefusedException;
import dev.vouch.service.DeviceRemovedException;
import dev.vouch.service.LinkRefusedException;
import dev.vouch.service.TransparencyFailureException;
import dev.vouch.service.UnknownContactException;
import dev.vouch.store.StoreException;
import dev.vouch.store.WrongPassphraseException;

/** The documented exit codes of every command (docs/cli.md); scripts rely on them. */
public final class ExitCode {
    public static final int OK = 0;
    /** A verification that did not match, or a failure without a more specific code. */
    public static final int FAILED = 1;
    public static final int USAGE = 2;
    /** No passphrase could be read, or it is wrong. */
    public static final int PASSPHRASE = 3;
    /** The relay is unreachable, failed its pin or version check, refused, or the invite is bad or expired. */
    public static final int RELAY = 4;
    /** The profile is missing, not initialized, open in another process, or damaged. */
    public static final int PROFILE = 5;
    /** The handle is not a contact, or the relay has no such account. */
    public static final int UNKNOWN_CONTACT = 6;
    /** The relay's answer failed a key transparency check; the keys were not used. */
    public static final int TRANSPARENCY = 7;
    /** The file is not a Vouch archive, is damaged or truncated, of an unknown version, or cannot go into this profile. */
    public static final int ARCHIVE = 8;
    /**
     * A device link was refused or did not finish: an expired or already used link code, not a link
     * code (a contact's safety code, say), another account's or relay's, a provisioning message that
     * does not open, more than a link can carry, or no answer in time. Nothing was linked.
     */
    public static final int LINK = 9;
    /** This device was removed from its account's device list (unlinked from another device). */
    public static final int DEVICE_REMOVED = 10;

    private ExitCode() {
    }

    /** The code for a failure that reached the command line. */
    static int of(Throwable failure) {
        if (failure instanceof UsageException || failure instanceof IllegalArgumentException) {
            return USAGE;
        }
        if (failure instanceof WrongPassphraseException || failure instanceof PassphraseException
                || failure instanceof WrongArchivePassphraseException) {
            return PASSPHRASE;
        }
        if (failure instanceof RelayFailureException || failure instanceof InvalidInviteException) {
            return RELAY;
        }
        if (failure instanceof TransparencyFailureException || failure instanceof DeviceListRefusedException) {
            return TRANSPARENCY;
        }
        if (failure instanceof LinkRefusedException) {
            return LINK;
        }
        if (failure instanceof DeviceRemovedException) {
            return DEVICE_REMOVED;
        }
        if (failure instanceof ArchiveException) {
            return ARCHIVE;
        }
        if (failure instanceof UnknownContactException) {
            return UNKNOWN_CONTACT;
        }
        if (failure instanceof StoreException || failure instanceof NotInitializedException
                || failure instanceof AlreadyInitializedException) {
            return PROFILE;
        }
        return FAILED;
    }
}
