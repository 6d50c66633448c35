package org.multiprocessing4j.internal.resource;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.multiprocessing4j.internal.os.Nonces;

/**
 * This JVM's private directory for socket files: {@code <tmp>/mp4j-user-<uid>/mp4j-<pid>-<start time>-<random>},
 * both mode 0700, so only this OS user can reach the sockets in it. It is deleted when the JVM exits; a directory left
 * by a JVM that was killed is deleted by the next JVM that creates its own, once the owner (pid and start time) is
 * gone.
 *
 * <pre>
 * Why a directory per user: a process finds another's sockets by pid (a waker that rings a parked thread of another
 * JVM; see PeerSockets), and every JVM sweeps the directories of dead ones when it makes its own. Both list the base
 * directory. Listed in the temp directory itself, that cost each fresh JVM a pass over every file of /tmp (780 on a
 * build machine), matching a glob interpreted, and the C2 compilation of the matcher, in the middle of its first
 * items: a queue between fresh workers moved 4.2e6-6.1e6 ints per s with an empty temp directory and 3.7e6-4.4e6
 * with 1,000 files in it. The user's directory holds only the library's own.
 * Safety: the name is predictable, so it is used only if it is a real directory (not a link), owned by this user, and
 * of mode 0700; else (someone else made it, or the file system is not POSIX) each JVM's directory goes into the temp
 * directory itself, as before, and a peer is looked for in both places.
 * </pre>
 */
public final class RuntimeDir {
    private static final String PREFIX = "mp4j-";
    /** The prefix of a user's directory in the temp directory; its JVMs' directories are in it. */
    static final String USER_PREFIX = "mp4j-user-";
    private static final int MAX_USER_NAME = 24;
    private static volatile RuntimeDir instance;
    private static volatile Path userBase;

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    private final Path path;
    private final AtomicLong sequence = new AtomicLong();

    private RuntimeDir(Path path) {
        this.path = path;
    }

    /**
     * @return this JVM's directory, created on first use
     * @throws IOException if it cannot be created
     */
    public static RuntimeDir get() throws IOException {
        RuntimeDir d = instance;
        if (d == null) {
            synchronized (RuntimeDir.class) {
                d = instance;
                if (d == null) {
                    d = create();
                    instance = d;
                }
            }
        }
        return d;
    }

    /** @return the directory itself ({@code <tmp>/mp4j-<pid>-<start millis>-<random>}) */
    public Path path() {
        return path;
    }

    /**
     * The directory under which every JVM of this user makes its own runtime directory, so that one process can
     * find another's sockets by pid: {@code <base>/mp4j-<pid>-<start millis>-*}. It is the user's directory
     * ({@code <tmp>/mp4j-user-<uid>}) if that is safe to use, else the temp directory itself.
     *
     * @return the base directory
     */
    public static Path baseDirectory() {
        Path b = userBase;
        if (b == null) {
            synchronized (RuntimeDir.class) {
                b = userBase;
                if (b == null) {
                    b = userBase(base());
                    userBase = b;
                }
            }
        }
        return b;
    }

    /**
     * Where a JVM of another layout may have its directory: the temp directory itself, if the user's directory is
     * used (a JVM that found the user's directory unsafe), or {@code null}.
     *
     * @return the other base directory, or {@code null}
     */
    public static Path otherBaseDirectory() {
        Path b = baseDirectory();
        Path tmp = base();
        return b.equals(tmp) ? null : tmp;
    }

    /**
     * @param tmp the temp directory
     * @return {@code tmp/mp4j-user-<uid>} (or {@code -<user name>} where there is no {@code /proc}), made if
     *     it is missing, if it is this user's own directory of mode 0700; else {@code tmp}
     */
    static Path userBase(Path tmp) {
        if (!posix()) {
            return tmp;
        }
        Owner me = Owner.current();
        if (me == null) {
            return tmp;
        }
        Path dir = tmp.resolve(USER_PREFIX + me.key());
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } catch (FileAlreadyExistsException e) {
            // made before, by a JVM of this user (or by someone else: checked below)
        } catch (IOException | UnsupportedOperationException e) {
            return tmp;
        }
        return isPrivateDirectoryOf(dir, me.principal()) ? dir : tmp;
    }

    /**
     * This JVM's user as the file system sees it: the owner of {@code /proc/self} (the process's effective user, which
     * a user name from the password database may not name, in a container run under an arbitrary uid) and its uid;
     * where there is no {@code /proc}, the user named by {@code user.name}, without a uid.
     *
     * @param principal the owner
     * @param uid the numeric user id, or {@code null}
     */
    record Owner(UserPrincipal principal, Object uid) {
        private static final Path PROC_SELF = Path.of("/proc/self");

        /** @return the part of the user's directory's name that tells users apart */
        String key() {
            return uid != null ? uid.toString() : userName();
        }

        /** @return this JVM's user, or {@code null} if it cannot be told */
        static Owner current() {
            try {
                if (Files.isDirectory(PROC_SELF)) {
                    return new Owner(Files.getOwner(PROC_SELF), Files.getAttribute(PROC_SELF, "unix:uid"));
                }
                return new Owner(PROC_SELF.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(System.getProperty("user.name")), null);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    /** @return whether {@code dir} is a directory, not a link, owned by {@code me}, that only its owner can use */
    static boolean isPrivateDirectoryOf(Path dir, UserPrincipal me) {
        try {
            PosixFileAttributes a = Files.readAttributes(dir, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isDirectory() && !a.isSymbolicLink() && a.owner().equals(me)
                    && a.permissions().equals(OWNER_ONLY);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * @return this JVM's user name, with characters outside {@code [A-Za-z0-9_.]} replaced, at most 24 of them: the
     *     key of the user's directory where the file system has no numeric uid
     */
    static String userName() {
        String name = System.getProperty("user.name", "");
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < name.length() && b.length() < MAX_USER_NAME; i++) {
            char c = name.charAt(i);
            b.append(c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '.') ? c : '_');
        }
        return b.length() == 0 ? "_" : b.toString();
    }

    /** @return whether the file system has POSIX owners and modes (else no directory can be made private) */
    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** @return a fresh socket path inside the directory (short enough for a Unix socket address) */
    public Path newSocketPath() {
        return path.resolve("c" + sequence.incrementAndGet() + ".sock");
    }

    /** @return a fresh file path inside the directory */
    public Path newFile(String suffix) {
        return path.resolve("f" + sequence.incrementAndGet() + suffix);
    }

    private static RuntimeDir create() throws IOException {
        Path base = baseDirectory();
        sweep(base);
        ProcessHandle self = ProcessHandle.current();
        byte[] random = Nonces.random(6);
        Path dir = base.resolve(PREFIX + self.pid() + "-" + startMillis(self) + "-" + HexFormat.of().formatHex(random));
        if (posix()) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
            Files.createDirectory(dir);
        }
        RuntimeDir d = new RuntimeDir(dir);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(dir), "mp4j-runtime-dir-cleanup"));
        return d;
    }

    private static Path base() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        // a Unix socket path has room for ~100 bytes; fall back to /tmp where the temp dir is long (macOS)
        if (tmp.toAbsolutePath().toString().length() > 50 && Files.isDirectory(Path.of("/tmp"))) {
            return Path.of("/tmp");
        }
        return tmp;
    }

    private static long startMillis(ProcessHandle p) {
        return p.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
    }

    /**
     * Deletes the runtime directory of a child that has ended (a JVM killed with SIGKILL, or halted, cannot delete its
     * own: its bell sockets would stay until the next JVM's sweep). A directory of a later process with the same pid
     * is kept: its start time is another.
     *
     * @param pid the child's pid
     */
    public static void deleteAbandoned(long pid) {
        sweep(baseDirectory(), prefixOf(pid));
    }

    /**
     * @param pid a process
     * @return how the names of that pid's runtime directories begin ({@code mp4j-<pid>-})
     */
    public static String prefixOf(long pid) {
        return PREFIX + pid + "-";
    }

    /** Deletes directories of ours whose owning JVM (pid and start time) is gone. */
    private static void sweep(Path base) {
        sweep(base, PREFIX);
    }

    private static void sweep(Path base, String prefix) {
        try (DirectoryStream<Path> dirs = list(base, prefix)) {
            for (Path dir : dirs) {
                String[] parts = dir.getFileName().toString().split("-");
                if (parts.length == 4 && !ownerAlive(parts[1], parts[2])) {
                    deleteTree(dir);
                }
            }
        } catch (IOException | RuntimeException e) {
            // another user's directory, or a race with its owner: leave it
        }
    }

    /**
     * The runtime directory of a live process: the one its pid names, or, where a dead process with the same pid left
     * one too, the one whose name carries the live process's start time.
     *
     * @param base the base directory to look in ({@link #baseDirectory()}, {@link #otherBaseDirectory()})
     * @param pid the process
     * @return the directory, or {@code null} if there is none
     * @throws IOException if the base directory cannot be listed
     */
    public static Path directoryOf(Path base, long pid) throws IOException {
        Path found = null;
        String start = null;
        try (DirectoryStream<Path> dirs = list(base, prefixOf(pid))) {
            for (Path dir : dirs) {
                if (found != null) {
                    if (start == null) {
                        start = String.valueOf(ProcessHandle.of(pid).map(RuntimeDir::startMillis).orElse(0L));
                    }
                    String[] parts = dir.getFileName().toString().split("-");
                    if (parts.length < 3 || !parts[2].equals(start)) {
                        continue;
                    }
                }
                found = dir;
            }
        }
        return found;
    }

    /**
     * Lists the entries of {@code dir} whose names begin with {@code prefix}: a plain comparison of each name, where a
     * glob is matched by a regular expression that a fresh JVM runs interpreted, and then compiles.
     *
     * @param dir the directory
     * @param prefix the prefix
     * @return the stream, to close
     * @throws IOException if the directory cannot be listed
     */
    public static DirectoryStream<Path> list(Path dir, String prefix) throws IOException {
        return Files.newDirectoryStream(dir, p -> p.getFileName().toString().startsWith(prefix));
    }

    private static boolean ownerAlive(String pid, String start) {
        try {
            Optional<ProcessHandle> owner = ProcessHandle.of(Long.parseLong(pid));
            return owner.isPresent() && owner.get().isAlive()
                    && String.valueOf(startMillis(owner.get())).equals(start);
        } catch (NumberFormatException e) {
            return true;
        }
    }

    /**
     * Deletes a directory and what it holds. Other exit hooks delete their own files in it meanwhile (a pool's or a
     * listener's socket), and a file may be made in it while the listing runs: the deletion is retried then, a few
     * times. A plain directory listing, no stream: at a fresh worker's exit, a walk sorted and collected through
     * streams (their classes and lambdas set up interpreted) took 2.1-3.2 ms of CPU, in the middle of the other
     * workers' items when a producer ended before its consumers.
     */
    private static void deleteTree(Path dir) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                deleteContents(dir);
                Files.deleteIfExists(dir);
                return;
            } catch (NoSuchFileException e) {
                return; // already gone
            } catch (IOException | RuntimeException e) {
                // a file went, or came, while the listing ran: again
            }
        }
    }

    private static void deleteContents(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    deleteContents(p);
                }
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: the sweep of a later JVM retries
                }
            }
        }
    }
}
