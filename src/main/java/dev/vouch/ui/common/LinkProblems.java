package dev.vouch.ui.common;

import dev.vouch.qr.QrPayloadException;
import dev.vouch.service.DeviceRemovedException;
import dev.vouch.service.LinkRefusedException;
import dev.vouch.service.RelayFailureException;

/**
 * Why linking a device did not go on, in plain words for either side of a link (the new device
 * showing its code, the account's device taking it). Every refusal changed nothing, and says so.
 */
public final class LinkProblems {
    /** What to do on the new device to get a fresh code. */
    public static final String NEW_CODE = "On the new device, press \"Show a new code\" and use that one.";

    private LinkProblems() {
    }

    public static String describe(Exception e) {
        if (e instanceof ScanProblem) {
            return e.getMessage();
        }
        if (e instanceof QrPayloadException q) {
            return switch (q.reason()) {
                case WRONG_KIND -> "That is a contact's safety code, not a link code. Nothing was changed. On the new"
                        + " device, choose \"Link to an account I already use\": the code it then shows is the one"
                        + " to use here.";
                case UNSUPPORTED_VERSION -> "That link code comes from a different version of Vouch. Nothing was"
                        + " changed. Update Vouch on the older device, then show a new code.";
                case MALFORMED -> "That link code is damaged or incomplete. Nothing was changed. Copy all of it again"
                        + " (the Copy button on the new device copies it whole), or scan its QR code.";
                case NOT_A_VOUCH_CODE -> "That is not a Vouch link code. Nothing was changed. The new device shows"
                        + " its code as a QR code and as text starting with VOUCHLINK.";
            };
        }
        if (e instanceof LinkRefusedException refused) {
            return switch (refused.reason()) {
                case EXPIRED -> "That link code has expired (a code works for 10 minutes). Nothing was changed. "
                        + NEW_CODE;
                case REUSED -> "That link code was already used: a link code works only once. Nothing was changed. "
                        + NEW_CODE;
                case OTHER_ACCOUNT -> "That link code belongs to another relay or account than this one ("
                        + refused.getMessage() + "). Nothing was changed. On the new device, paste the invite of"
                        + " this account's relay, then show a new code.";
                case NOT_A_LINK_CODE, TAMPERED -> "That link code cannot be used (" + refused.getMessage()
                        + "). Nothing was changed. " + NEW_CODE;
                case TOO_LARGE -> "This account's contacts and key history are too large to send in one link."
                        + " Nothing was added.";
                case BAD_DEVICE_LIST -> Problems.capitalize(refused.getMessage()) + " Nothing was changed.";
                case TIMED_OUT -> "The other device did not answer in time. Nothing was added. " + NEW_CODE;
            };
        }
        if (e instanceof DeviceRemovedException) {
            return REMOVED;
        }
        if (e instanceof RelayFailureException) {
            return "The relay cannot be reached right now (" + e.getMessage() + "), so the device cannot be linked."
                    + " Nothing was changed: try again when the connection is back.";
        }
        return Problems.describe(e);
    }

    /** What a device removed from its account is told. */
    public static final String REMOVED = "This device was removed from your account by another of its devices."
            + " Messages no longer arrive here, and it cannot send. The history already on this computer stays in"
            + " its profile. To use your account here again, link this computer anew from one of its devices.";
}
