package dev.vouch.archive.profile;

/** Constants of the contents format, version 1 (docs/archive-format.md, "Contents"). */
final class ContentsFormat {
    static final int VERSION = 1;

    static final int HEADER = 1;
    static final int SETTING = 2;
    static final int IDENTITY = 3;
    static final int CONTACT = 4;
    static final int KEY_HISTORY = 5;
    static final int DEVICE = 6;
    static final int SESSION = 7;
    static final int PREKEY = 8;
    static final int CONVERSATION = 9;
    static final int MESSAGE = 10;
    static final int END = 255;

    /** Record header: type (u8) and payload length (u32). */
    static final int RECORD_HEADER = 5;
    /** The largest payload: a message of the store's largest content with room for its other fields. */
    static final int MAX_PAYLOAD = (1 << 20) + 64 * 1024;
    static final int MAX_TEXT = 64 * 1024;
    static final int MAX_KEY = 16 * 1024;

    private ContentsFormat() {
    }
}
