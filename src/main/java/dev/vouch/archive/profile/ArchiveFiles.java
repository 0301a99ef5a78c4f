package dev.vouch.archive.profile;

import dev.vouch.archive.ArchiveReader;
import dev.vouch.archive.ArchiveWriter;
import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.protocol.crypto.CryptoRandom;
import dev.vouch.store.ProfileStore;
import dev.vouch.store.StoreException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HexFormat;

/**
 * Archives as files: export never leaves a partial file under the target name, and import reads a
 * file into a profile all or nothing, creating the profile when the folder has none.
 */
public final class ArchiveFiles {
    private static final int BUFFER = 1 << 16;

    /** Wraps the temporary file's stream; tests use it to make a disk fill up. */
    interface OutputFilter {
        OutputStream wrap(OutputStream out);
    }

    private ArchiveFiles() {
    }

    /**
     * Exports the profile to {@code target}: the archive is written to a temporary file beside it,
     * forced to disk, then renamed into place, so the target is either absent, untouched, or a
     * complete archive. Any failure (a full disk, a cancellation) removes the temporary file.
     *
     * @throws FileAlreadyExistsException when {@code target} exists and {@code replace} is false
     */
    public static ProfileExporter.Result export(ProfileStore store, ArchiveItem.Scope scope, Path target,
                                                char[] passphrase, Argon2id.Params params, boolean replace,
                                                TransferMonitor monitor, Clock clock)
            throws IOException, StoreException {
        return export(store, scope, target, passphrase, params, replace, monitor, clock, out -> out);
    }

    static ProfileExporter.Result export(ProfileStore store, ArchiveItem.Scope scope, Path target, char[] passphrase,
                                         Argon2id.Params params, boolean replace, TransferMonitor monitor, Clock clock,
                                         OutputFilter filter) throws IOException, StoreException {
        Path absolute = target.toAbsolutePath();
        if (!replace && Files.exists(absolute)) {
            throw new FileAlreadyExistsException(absolute.toString(), null, "the file exists (choose another name)");
        }
        Path temporary = absolute.resolveSibling("." + absolute.getFileName() + "."
                + HexFormat.of().formatHex(CryptoRandom.bytes(6)) + ".partial");
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream file = filter.wrap(Channels.newOutputStream(channel));
            ProfileExporter.Result result;
            // Closing the writer writes the last chunk; the channel stays open until it is forced.
            try (ArchiveWriter archive = ArchiveWriter.create(new BufferedOutputStream(unclosable(file), BUFFER),
                    passphrase, params)) {
                result = new ProfileExporter(store, clock).export(scope, archive, monitor);
            }
            file.flush();
            channel.force(true);
            channel.close();
            if (replace) {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(temporary, absolute, StandardCopyOption.ATOMIC_MOVE);
            }
            return result;
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Opens {@code file} as an archive: header and passphrase checked, contents not yet read. */
    public static ContentsReader open(Path file, char[] passphrase, TransferMonitor monitor) throws IOException {
        InputStream in = new Progress(new BufferedInputStream(Files.newInputStream(file), BUFFER), Files.size(file), monitor);
        try {
            return new ContentsReader(ArchiveReader.open(in, passphrase));
        } catch (IOException | RuntimeException e) {
            in.close();
            throw e;
        }
    }

    /** Imports {@code file} into {@code store} (an unlocked profile, with or without an account). */
    public static ProfileImporter.Result importInto(ProfileStore store, Path file, char[] passphrase,
                                                    TransferMonitor monitor) throws IOException, StoreException {
        try (ContentsReader reader = open(file, passphrase, monitor)) {
            return new ProfileImporter(store).importFrom(reader, monitor);
        }
    }

    /**
     * Imports {@code file} into a new profile in {@code directory} (which must hold none), created
     * with {@code storePassphrase}. The profile is built in a temporary folder beside it and moved
     * into place only once the import has committed: a failure leaves no profile behind.
     */
    public static ProfileImporter.Result importAsNewProfile(Path directory, char[] storePassphrase,
                                                            Argon2id.Params storeParams, Path file,
                                                            char[] archivePassphrase, TransferMonitor monitor,
                                                            Clock clock) throws IOException, StoreException {
        Path target = directory.toAbsolutePath();
        if (ProfileStore.exists(target)) {
            throw new StoreException("a Vouch profile already exists in " + target);
        }
        Path building = target.resolveSibling("." + target.getFileName() + ".import-"
                + HexFormat.of().formatHex(CryptoRandom.bytes(6)));
        try {
            ProfileImporter.Result result;
            try (ContentsReader reader = open(file, archivePassphrase, monitor);
                 ProfileStore store = ProfileStore.create(building, storePassphrase, storeParams, clock)) {
                result = new ProfileImporter(store).importFrom(reader, monitor);
            }
            moveProfile(building, target);
            return result;
        } finally {
            deleteTree(building);
        }
    }

    /**
     * Puts the closed profile in place: the whole folder by one rename (keeping its owner-only
     * permissions) when {@code target} does not exist, else its files moved in, the database last
     * since it is what makes a profile.
     */
    private static void moveProfile(Path from, Path target) throws IOException, StoreException {
        if (!Files.exists(target)) {
            Files.move(from, target, StandardCopyOption.ATOMIC_MOVE);
            return;
        }
        if (ProfileStore.exists(target)) {
            throw new StoreException("a Vouch profile appeared in " + target + " during the import");
        }
        Path database = from.resolve(ProfileStore.DATABASE_FILE);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(from)) {
            for (Path f : files) {
                if (!f.equals(database)) {
                    Files.move(f, target.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        Files.move(database, target.resolve(ProfileStore.DATABASE_FILE), StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static OutputStream unclosable(OutputStream out) {
        return new java.io.FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                out.flush();
            }
        };
    }

    /** Counts the archive bytes read and reports them about once a chunk. */
    private static final class Progress extends FilterInputStream {
        private final long total;
        private final TransferMonitor monitor;
        private long done;
        private long reported;

        Progress(InputStream in, long total, TransferMonitor monitor) {
            super(in);
            this.total = total;
            this.monitor = monitor;
            monitor.progress(0, total);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? -1 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }

        private void count(int n) {
            if (n > 0) {
                done += n;
            }
            if (done - reported >= BUFFER || (n < 0 && reported != done)) {
                reported = done;
                monitor.progress(done, total);
            }
        }
    }
}
