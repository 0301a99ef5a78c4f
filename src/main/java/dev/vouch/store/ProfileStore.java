package dev.vouch.store;

import dev.vouch.protocol.crypto.Argon2id;
import dev.vouch.store.crypto.StoreKeys;
import dev.vouch.store.crypto.Vault;
import dev.vouch.store.model.Account;
import dev.vouch.store.dao.AccountDao;
import dev.vouch.store.dao.ContactDao;
import dev.vouch.store.dao.ConversationDao;
import dev.vouch.store.dao.OutboxDao;
import dev.vouch.store.dao.MessageDao;
import dev.vouch.store.dao.ProtocolStateDao;
import dev.vouch.store.dao.SettingsDao;
import dev.vouch.store.dao.VaultDao;
import dev.vouch.store.sqlite.Database;
import dev.vouch.store.sqlite.Migrations;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One profile's encrypted store: a folder holding one SQLite database. It opens locked; the
 * passphrase unlocks it (Argon2id, then the data key), and {@link #lock()} or the idle timeout
 * drops the keys again. Only one process may open a profile at a time.
 */
public final class ProfileStore implements AutoCloseable {
    public static final String DATABASE_FILE = "vouch.db";
    private static final String LOCK_FILE = "vouch.lock";
    static final Migrations MIGRATIONS = new Migrations("profile", List.of("V1__initial.sql", "V2__outbox.sql", "V3__archive.sql"));

    private final Path directory;
    private final Database database;
    private final FileChannel lockChannel;
    private final FileLock processLock;
    private final Clock clock;
    private final StoreContext context;
    private final VaultDao vaultDao;
    private final MessageDao messages;
    private final ConversationDao conversations;
    private final OutboxDao outbox;
    private final AccountDao accounts;
    private final ContactDao contacts;
    private final SettingsDao settings;
    private volatile ProtocolStateDao protocolState;
    private final List<Runnable> lockListeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> unlockListeners = new CopyOnWriteArrayList<>();
    private volatile Duration idleTimeout = Duration.ZERO;
    private volatile Instant lastActivity;

    private ProfileStore(Path directory, Database database, FileChannel lockChannel, FileLock processLock, Clock clock) {
        this.directory = directory;
        this.database = database;
        this.lockChannel = lockChannel;
        this.processLock = processLock;
        this.clock = clock;
        this.lastActivity = clock.instant();
        this.context = new StoreContext(database, () -> lastActivity = clock.instant());
        this.vaultDao = new VaultDao(database);
        this.messages = new MessageDao(context);
        this.conversations = new ConversationDao(context);
        this.outbox = new OutboxDao(context);
        this.accounts = new AccountDao(context);
        this.contacts = new ContactDao(context);
        this.settings = new SettingsDao(context);
    }

    public static boolean exists(Path directory) {
        return Files.isRegularFile(directory.resolve(DATABASE_FILE));
    }

    /** Creates a new profile in {@code directory} and returns it unlocked. */
    public static ProfileStore create(Path directory, char[] passphrase, Argon2id.Params params, Clock clock)
            throws StoreException {
        if (exists(directory)) {
            throw new StoreException("a Vouch profile already exists in " + directory);
        }
        createPrivateDirectory(directory);
        Vault vault = Vault.create(passphrase, params);
        ProfileStore store = openDatabase(directory, true, clock);
        try {
            store.vaultDao.save(vault);
            store.unlock(passphrase);
            return store;
        } catch (StoreException | RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Opens an existing profile, locked. */
    public static ProfileStore open(Path directory, Clock clock) throws StoreException {
        if (!exists(directory)) {
            throw new NotAStoreException("no Vouch profile in " + directory);
        }
        return openDatabase(directory, false, clock);
    }

    private static ProfileStore openDatabase(Path directory, boolean create, Clock clock) throws StoreException {
        FileChannel channel = null;
        FileLock lock;
        try {
            channel = FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new StoreException("the profile in " + directory + " is open in another Vouch process");
        }
        try {
            Database database = Database.open(directory.resolve(DATABASE_FILE), create, MIGRATIONS);
            return new ProfileStore(directory, database, channel, lock, clock);
        } catch (StoreException | RuntimeException e) {
            releaseQuietly(lock, channel);
            throw e;
        }
    }

    public Path directory() {
        return directory;
    }

    /**
     * Derives the key from the passphrase and unlocks. On a wrong passphrase nothing is written.
     *
     * @throws WrongPassphraseException when the passphrase does not open the key
     */
    public void unlock(char[] passphrase) throws StoreException {
        Vault vault = vaultDao.load();
        byte[] dataKey = vault.unlock(passphrase);
        try {
            context.install(StoreKeys.derive(dataKey));
        } finally {
            Arrays.fill(dataKey, (byte) 0);
        }
        lastActivity = clock.instant();
        unlockListeners.forEach(Runnable::run);
    }

    /** Drops the keys; the store stays open and can be unlocked again. */
    public void lock() {
        boolean wasUnlocked = context.unlocked();
        context.destroyKeys();
        protocolState = null;
        if (wasUnlocked) {
            lockListeners.forEach(Runnable::run);
        }
    }

    /** The protocol's state, bound to this profile's device identity. */
    public ProtocolStateDao protocolState() throws StoreException {
        ProtocolStateDao current = protocolState;
        if (current == null || isLocked()) {
            Account account = accounts.load()
                    .orElseThrow(() -> new StoreException("this profile has no account yet"));
            current = new ProtocolStateDao(context, account.deviceIdentity());
            protocolState = current;
        }
        return current;
    }

    public AccountDao accounts() {
        return accounts;
    }

    public ContactDao contacts() {
        return contacts;
    }

    public SettingsDao settings() {
        return settings;
    }

    public boolean isLocked() {
        return !context.unlocked();
    }

    /** Listeners run (on the locking thread) whenever the store locks, by the user or by the idle timeout. */
    public void addLockListener(Runnable listener) {
        lockListeners.add(listener);
    }

    /**
     * Listeners run on the unlocking thread right after every successful unlock (not for the
     * unlock inside {@link #create}, which returns before anyone could listen). They must only
     * schedule work: unlocking must not wait for them.
     */
    public void addUnlockListener(Runnable listener) {
        unlockListeners.add(listener);
    }

    /** Locks after this long without use; zero disables the timeout. */
    public void setIdleTimeout(Duration timeout) {
        idleTimeout = timeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    /** Locks if the idle timeout has passed; returns whether it locked. Called periodically by the app. */
    public boolean lockIfIdle() {
        Duration timeout = idleTimeout;
        if (timeout.isZero() || isLocked()) {
            return false;
        }
        if (Duration.between(lastActivity, clock.instant()).compareTo(timeout) >= 0) {
            lock();
            return true;
        }
        return false;
    }

    /**
     * Checks the idle timeout every {@code period} on {@code scheduler} (a daemon thread of the
     * app); cancel the returned future when the store closes.
     */
    public ScheduledFuture<?> scheduleIdleLock(ScheduledExecutorService scheduler, Duration period) {
        return scheduler.scheduleAtFixedRate(this::lockIfIdle, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Rewraps the data key under a new passphrase; instant whatever the history size. */
    public void changePassphrase(char[] oldPassphrase, char[] newPassphrase, Argon2id.Params params)
            throws StoreException {
        Vault rewrapped = vaultDao.load().rewrap(oldPassphrase, newPassphrase, params);
        vaultDao.save(rewrapped);
    }

    public Argon2id.Params kdfParams() throws StoreException {
        return vaultDao.load().params();
    }

    public MessageDao messages() {
        return messages;
    }

    public OutboxDao outbox() {
        return outbox;
    }

    public ConversationDao conversations() {
        return conversations;
    }

    public StoreContext context() {
        return context;
    }

    @Override
    public void close() {
        lock();
        database.close();
        releaseQuietly(processLock, lockChannel);
    }

    private static void createPrivateDirectory(Path directory) throws StoreException {
        try {
            if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(directory,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
        } catch (IOException e) {
            throw new StoreException("cannot create the profile folder " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void releaseQuietly(FileLock lock, FileChannel channel) {
        try {
            lock.release();
        } catch (IOException ignored) {
            // released with the channel anyway
        }
        closeQuietly(channel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing left to do
            }
        }
    }
}
