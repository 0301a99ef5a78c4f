package dev.vouch.service;

import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import dev.vouch.store.model.Contact;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.store.model.StoredMessage;
import dev.vouch.store.model.VerificationState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * "Remind me later" for a key change waiting for review (docs/devices.md, "Reminders"): when each
 * reminder is due, which ones have not been told yet, and forgetting those of contacts reviewed
 * meanwhile. Kept in the profile's settings: {@code review.remind-later.HANDLE} holds the time
 * asked for, {@code review.reminded.HANDLE} the time of the reminder that was told (so each fires
 * once, and a new "remind me later" fires again). Time is the service's clock.
 */
public final class ReviewReminders {
    static final String REMIND_PREFIX = "review.remind-later.";
    static final String FIRED_PREFIX = "review.reminded.";

    /** A reminder whose time has come: the contact, the time asked for, and how many messages are held. */
    public record Due(String handle, Instant at, int held) {
    }

    /**
     * What a check found: every due reminder, those of them told for the first time by this check,
     * and when the next one not yet told falls due (empty when none is set).
     */
    public record Check(List<Due> due, List<Due> fired, Optional<Instant> next) {
    }

    private final ProfileStore store;
    private final Clock clock;

    ReviewReminders(ProfileStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** The reminder set for a contact (normalized handle), if any. */
    Optional<Instant> at(String handle) throws StoreException {
        return store.settings().get(REMIND_PREFIX + handle).map(s -> Instant.ofEpochMilli(Long.parseLong(s)));
    }

    /** Sets (or moves) a contact's reminder to {@code after} from now; a moved reminder fires again. */
    Instant set(String handle, Duration after) throws StoreException {
        Instant at = clock.instant().plus(after);
        store.settings().put(REMIND_PREFIX + handle, Long.toString(at.toEpochMilli()));
        return at;
    }

    /** The contact was reviewed: its reminder goes. */
    void clear(String handle) throws StoreException {
        store.settings().remove(REMIND_PREFIX + handle);
        store.settings().remove(FIRED_PREFIX + handle);
    }

    /** Every due reminder of a contact whose review still waits; reminders of reviewed contacts are removed. */
    public List<Due> due() throws StoreException {
        return check(false).due();
    }

    /**
     * Every due reminder, marking those not yet told as told: each reminder is in {@link Check#fired()}
     * of exactly one check. Reminders of contacts reviewed meanwhile are removed and never fire.
     */
    public synchronized Check fire() throws StoreException {
        return check(true);
    }

    private Check check(boolean mark) throws StoreException {
        Instant now = clock.instant();
        List<Due> due = new ArrayList<>();
        List<Due> fired = new ArrayList<>();
        Optional<Instant> next = Optional.empty();
        for (Contact contact : store.contacts().list()) {
            Optional<Instant> at = at(contact.handle());
            if (at.isEmpty()) {
                continue;
            }
            if (contact.verification() != VerificationState.CHANGED_AFTER_VERIFIED) {
                clear(contact.handle());
                continue;
            }
            Optional<String> told = store.settings().get(FIRED_PREFIX + contact.handle());
            boolean firedBefore = told.isPresent() && told.get().equals(Long.toString(at.get().toEpochMilli()));
            if (at.get().isAfter(now)) {
                next = next.isEmpty() || at.get().isBefore(next.get()) ? at : next;
                continue;
            }
            Due reminder = new Due(contact.handle(), at.get(), held(store, contact).size());
            due.add(reminder);
            if (mark && !firedBefore) {
                store.settings().put(FIRED_PREFIX + contact.handle(), Long.toString(at.get().toEpochMilli()));
                fired.add(reminder);
            }
        }
        return new Check(List.copyOf(due), List.copyOf(fired), next);
    }

    /** The messages held for a contact until its key change is reviewed, oldest first. */
    static List<StoredMessage> held(ProfileStore store, Contact contact) throws StoreException {
        Optional<Long> conversation = store.conversations().find(contact.handle());
        return conversation.isEmpty() ? List.of()
                : store.messages().withStatus(MessageStatus.HELD, conversation.get(), Integer.MAX_VALUE);
    }
}
