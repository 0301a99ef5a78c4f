package dev.vouch.ui.common;

/** The theme a person chose: always light, always dark, or whichever the system uses. */
public enum ThemeChoice {
    LIGHT, DARK, SYSTEM;

    public static ThemeChoice of(Theme theme) {
        return theme == Theme.DARK ? DARK : LIGHT;
    }

    /** The stored name; anything unknown is light, as before there was a choice. */
    public static ThemeChoice parse(String name) {
        for (ThemeChoice c : values()) {
            if (c.name().equalsIgnoreCase(name)) {
                return c;
            }
        }
        return LIGHT;
    }

    /** The theme this choice stands for, asking the system (a blocking look-up) only when it follows it. */
    public Theme resolve() {
        return switch (this) {
            case LIGHT -> Theme.LIGHT;
            case DARK -> Theme.DARK;
            case SYSTEM -> SystemTheme.detect();
        };
    }

    public String label() {
        return switch (this) {
            case LIGHT -> "Light";
            case DARK -> "Dark";
            case SYSTEM -> "Follow the system";
        };
    }
}
