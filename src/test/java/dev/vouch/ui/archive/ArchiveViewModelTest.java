package dev.vouch.ui.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.protocol.keys.AccountIdentity;
import dev.vouch.protocol.keys.DeviceIdentity;
import dev.vouch.service.MessageUids;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.dao.MessageDao.NewMessage;
import dev.vouch.store.model.Account;
import dev.vouch.store.model.Direction;
import dev.vouch.store.model.MessageBody;
import dev.vouch.store.model.MessageStatus;
import dev.vouch.ui.Desktops;
import dev.vouch.ui.common.UiExecutors;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archive window's model on a real profile and real archive files. */
class ArchiveViewModelTest {
    static final String PASSPHRASE = "orchard lantern copper seventy 4";
    static final String ARCHIVE_PASSPHRASE = "saffron kettle meadow ninety 7";

    @TempDir
    Path dir;

    private static ProfileStore profile(Path dir, int messages) throws Exception {
        ProfileStore store = ProfileStore.create(dir, PASSPHRASE.toCharArray(), Desktops.FAST_KDF, Clock.systemUTC());
        store.accounts().save(new Account("ada", 1, AccountIdentity.generate(CryptoRandom.get()),
                DeviceIdentity.generate(CryptoRandom.get())));
        long conversation = store.conversations().open("bob");
        List<NewMessage> batch = new ArrayList<>();
        Instant t = Instant.parse("2026-11-28T09:00:00Z");
        for (int i = 0; i < messages; i++) {
            MessageBody body = MessageBody.text(Direction.INCOMING, "bob", 1, t.plusSeconds(i), t.plusSeconds(i),
                    "message " + i + " " + "words ".repeat(20));
            batch.add(new NewMessage(conversation, MessageUids.of(body), MessageStatus.READ, body)); // as the messenger stores them
        }
        store.messages().insertAll(batch);
        return store;
    }

    @Test
    void exportsThenImportsAndExplainsEveryRefusalInPlainWords() throws Exception {
        try (ProfileStore store = profile(dir.resolve("ada"), 30)) {
            ArchiveViewModel vm = new ArchiveViewModel(store, UiExecutors.synchronous(), Desktops.FAST_KDF, Clock.systemUTC());
            Path file = dir.resolve("ada.vouch");

            vm.export(ARCHIVE_PASSPHRASE.toCharArray(), ARCHIVE_PASSPHRASE.toCharArray());
            assertThat(vm.problemProperty().get()).contains("Choose the archive file");

            vm.fileProperty().set(file.toString());
            char[] typed = ARCHIVE_PASSPHRASE.toCharArray();
            char[] other = (ARCHIVE_PASSPHRASE + "!").toCharArray();
            vm.export(typed, other);
            assertThat(vm.problemProperty().get()).contains("differ");
            assertThat(new String(typed)).as("the passphrase is cleared").isEqualTo("\0".repeat(typed.length));
            vm.export("secret".toCharArray(), "secret".toCharArray());
            assertThat(vm.problemProperty().get()).contains("stronger");
            assertThat(file).doesNotExist();

            vm.export(ARCHIVE_PASSPHRASE.toCharArray(), ARCHIVE_PASSPHRASE.toCharArray());
            assertThat(vm.problemProperty().get()).isEmpty();
            assertThat(vm.statusProperty().get()).contains("Exported 30 messages").contains("account's keys");
            assertThat(vm.progressProperty().get()).isEqualTo(1.0);
            assertThat(file).exists();

            vm.export(ARCHIVE_PASSPHRASE.toCharArray(), ARCHIVE_PASSPHRASE.toCharArray());
            assertThat(vm.problemProperty().get()).contains("exists already");

            vm.importArchive("not the passphrase at all".toCharArray());
            assertThat(vm.problemProperty().get()).contains("does not open this archive").contains("nothing was imported");

            vm.importArchive(ARCHIVE_PASSPHRASE.toCharArray());
            assertThat(vm.problemProperty().get()).isEmpty();
            assertThat(vm.statusProperty().get()).contains("Imported 0 messages (30 were here already)");

            Path notAnArchive = Files.writeString(dir.resolve("notes.txt"), "just some text");
            vm.fileProperty().set(notAnArchive.toString());
            vm.importArchive(ARCHIVE_PASSPHRASE.toCharArray());
            assertThat(vm.problemProperty().get()).contains("not a Vouch archive");
        }
    }

    @Test
    void cancellingAnExportLeavesNoFile() throws Exception {
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (ProfileStore store = profile(dir.resolve("ada"), 20_000)) {
            // Results arrive on the worker itself, so the test sees each step in order.
            ArchiveViewModel vm = new ArchiveViewModel(store, new UiExecutors(background, Runnable::run),
                    Desktops.FAST_KDF, Clock.systemUTC());
            vm.progressProperty().addListener((o, was, now) -> {
                if (now.doubleValue() > 0 && now.doubleValue() < 1) {
                    vm.cancel(); // as a person would, once the bar moves
                }
            });
            Path file = dir.resolve("cancelled.vouch");
            vm.fileProperty().set(file.toString());
            vm.export(ARCHIVE_PASSPHRASE.toCharArray(), ARCHIVE_PASSPHRASE.toCharArray());
            background.shutdown();
            assertThat(background.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(vm.runningProperty().get()).isFalse();
            assertThat(vm.problemProperty().get()).isEqualTo("Cancelled (no archive was written)");
            assertThat(file).doesNotExist();
            try (Stream<Path> left = Files.list(dir)) {
                assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".partial"));
            }
        } finally {
            background.shutdownNow();
        }
    }
}
