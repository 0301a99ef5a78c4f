package dev.vouch.ui.common;

/** What a desktop notification of a new message shows; the message text only when chosen. */
public enum NotificationContent {
    SENDER_AND_TEXT("Sender and text"),
    SENDER_ONLY("Sender only"),
    NOTHING("Nothing: only that a message came");

    public static final NotificationContent DEFAULT = SENDER_ONLY;

    private final String label;

    NotificationContent(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The stored name; anything unknown is the private default, sender only. */
    public static NotificationContent parse(String name) {
        for (NotificationContent c : values()) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return DEFAULT;
    }
}
