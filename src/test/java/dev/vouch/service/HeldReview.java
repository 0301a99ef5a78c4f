package dev.vouch.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.VerificationState;
import java.util.List;

/** A key change waiting for review, made for real: tests of reminders and reviews start from it. */
public final class HeldReview {
    /** The text of the message held. */
    public static final String TEXT = "held for review";

    private HeldReview() {
    }

    /**
     * {@code alice} verifies {@code bob} and holds new devices; bob adds a laptop; alice's next
     * message to him is held for review. Returns alice's messenger, online.
     */
    public static Messenger newDeviceHeld(Member alice, Member bob) throws Exception {
        Messenger a = alice.online();
        a.addContact(bob.handle);
        a.keys().verifyDigits(a.keys().require(bob.handle), a.keys().safetyNumber(a.keys().require(bob.handle))
                .displayable());
        a.keys().holdNewDevices(true);
        ExtraDevice laptop = ExtraDevice.register(bob, 2, "Laptop");
        bob.online().publishDevices(List.of(ExtraDevice.first(bob), laptop.entry()));
        bob.offline();
        assertThat(a.send(bob.handle, TEXT).status()).isEqualTo(MessageStatus.HELD);
        assertThat(a.keys().require(bob.handle).verification()).isEqualTo(VerificationState.CHANGED_AFTER_VERIFIED);
        return a;
    }
}
