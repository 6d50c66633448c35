package org.multiprocessing4j.internal.resource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.multiprocessing4j.internal.os.Nonces;

/**
 * This JVM's private directory for socket files: {@code <tmp>/mp4j-<pid>-<start time>-<random>}, mode 0700, so only
 * this OS user can reach the sockets in it. It is deleted when the JVM exits; a directory left by a JVM that was
 * killed is deleted by the next JVM that creates its own, once the owner (pid and start time) is gone.
 */
public final class RuntimeDir {
    private static final String PREFIX = "mp4j-";
    private static volatile RuntimeDir instance;

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
     * find another's sockets by pid: {@code <base>/mp4j-<pid>-<start millis>-*}.
     *
     * @return the base directory
     */
    public static Path baseDirectory() {
        return base();
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
        Path base = base();
        sweep(base);
        ProcessHandle self = ProcessHandle.current();
        byte[] random = Nonces.random(6);
        Path dir = base.resolve(PREFIX + self.pid() + "-" + startMillis(self) + "-" + HexFormat.of().formatHex(random));
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
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

    /** Deletes directories of ours whose owning JVM (pid and start time) is gone. */
    private static void sweep(Path base) {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(base, PREFIX + "*")) {
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
     * listener's socket), and a walk that meets a file deleted under it throws an unchecked exception, which once
     * ended this hook with a stack trace at exit: the walk is retried then, a few times.
     */
    private static void deleteTree(Path dir) {
        for (int attempt = 0; attempt < 3; attempt++) {
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
            } catch (IOException e) {
                return; // already gone
            } catch (UncheckedIOException e) {
                continue; // a file went while the walk listed it
            }
            for (Path p : files) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: the sweep of a later JVM retries
                }
            }
            if (!Files.exists(dir)) {
                return;
            }
        }
    }
}
