package dev.vouch.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileLocationTest {
    @Test
    void explicitFolderWinsOverEnvironment() {
        assertThat(ProfileLocation.resolve(Path.of("/tmp/a"), Map.of("VOUCH_PROFILE", "/tmp/b"), "Linux", "/home/u"))
                .isEqualTo(Path.of("/tmp/a"));
        assertThat(ProfileLocation.resolve(null, Map.of("VOUCH_PROFILE", "/tmp/b"), "Linux", "/home/u"))
                .isEqualTo(Path.of("/tmp/b"));
    }

    @Test
    void operatingSystemDefaults() {
        assertThat(ProfileLocation.resolve(null, Map.of(), "Linux", "/home/u")).isEqualTo(Path.of("/home/u/.local/share/vouch"));
        assertThat(ProfileLocation.resolve(null, Map.of("XDG_DATA_HOME", "/data"), "Linux", "/home/u"))
                .isEqualTo(Path.of("/data/vouch"));
        assertThat(ProfileLocation.resolve(null, Map.of(), "Mac OS X", "/Users/u"))
                .isEqualTo(Path.of("/Users/u/Library/Application Support/Vouch"));
        assertThat(ProfileLocation.defaultFor(Map.of("APPDATA", "C:\\Users\\u\\AppData\\Roaming"), "Windows 11", "C:\\Users\\u"))
                .isEqualTo(Path.of("C:\\Users\\u\\AppData\\Roaming", "Vouch"));
    }
}
