package dev.vouch.ui.demo;

/** Sets up a {@link Demo} ("See a demo" on the first-run screen, {@code vouch demo}). */
@FunctionalInterface
public interface Demos {
    /** Starts a relay and two talking profiles. Blocking (a few seconds): call it in the background. */
    Demo prepare() throws Exception;

    /** For setups without a demo. */
    Demos NONE = () -> {
        throw new UnsupportedOperationException("this build cannot start the demo");
    };
}
