package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.multiprocessing4j.internal.child.Training;

/**
 * A class-data-sharing archive of the child start path, so a cold child JVM loads the library's and the JDK's
 * classes ready-parsed: a dynamic AppCDS archive before JDK 25, an AOT cache ({@code -XX:AOTCache}) from JDK 25 on.
 *
 * <pre>
 * Overview:
 *  key      SHA-256 of the java executable, its version, every class path entry (path, size, mtime) and the JVM
 *           options: an archive is used only by JVMs that match the one that made it
 *  where    the system property mp4j.cds.dir, else $XDG_CACHE_HOME/multiprocessing4j or
 *           ~/.cache/multiprocessing4j, like any build cache; a file per key, replaced atomically, so concurrent
 *           programs never see half an archive; the newest KEEP archives are kept, older ones deleted
 *  off      -Dmp4j.cds=false
 *  made by  a training JVM of the library's own ({@link Training}), launched in the background, at the lowest CPU
 *           priority, 2 s after the first time a spec has none: user processes never pay for a dump, and a program
 *           that ends sooner trains nothing. It ends with its parent (its stdin closes). Until the archive exists,
 *           children start without it. It also loads (never initializes) the capturing classes of the tasks that
 *           fresh JVMs were launched for until then (Launchers.taskClasses), so their children load those from the
 *           archive too, without opening a jar on the way to the task's first line.
 *  skipped  when a class path entry is a directory (the JDK archives classes from jars only) or the cache
 *           directory cannot be written
 * </pre>
 */
final class ClassDataSharing {
    private static final Pattern RELEASE_VERSION = Pattern.compile("JAVA_VERSION=\"(\\d+)");
    private static final int AOT_CACHE_FEATURE = 25;
    private static final int KEEP = 8;
    private static final Set<String> TRAINING = ConcurrentHashMap.newKeySet();
    private static final Map<Path, Integer> FEATURES = new ConcurrentHashMap<>();
    /**
     * How long a program runs before its training starts: a training JVM takes a core for 1-2 s and ends with its
     * parent, so in a shorter program it would only slow the first children (~80 ms for the first start here,
     * measured) and publish nothing.
     */
    private static final long TRAINING_DELAY_MILLIS = 2_000;
    private static final List<String> NICE = List.of("/usr/bin/nice", "/bin/nice");
    /**
     * The AOT cache is made without the training's method profiles. With them, a JDK 25 child replays them at
     * start-up and its JIT compiles the training's hot methods while the child is still on its way to the task's
     * first line, on cores the child needs: alternating starts of an empty task, 8 pairs, 36.3-40.8 ms (median 38.9)
     * without the profiles against 39.1-43.6 ms (40.5) with them, 7 of 8 pairs faster; turning their replay off in
     * the child gave the same. The library's per-message paths are compiled early by their own settings
     * ({@link JvmCommand#EARLY_JIT}). The option is a diagnostic one: a JDK without it refuses to start the training,
     * which is then run again with the profiles.
     */
    private static final List<String> NO_PROFILES = List.of("-XX:+UnlockDiagnosticVMOptions",
            "-XX:-AOTRecordTraining");

    private ClassDataSharing() {
    }

    /** The options that make a child use the spec's archive; starts making one if there is none yet. */
    static List<String> options(LaunchSpec spec, List<String> baseCommand) {
        try {
            int feature = feature(spec.java());
            Path archive = archiveFor(spec, feature);
            if (archive == null) {
                return List.of();
            }
            if (Files.isRegularFile(archive)) {
                // an archive that does not fit is skipped by the JVM; these keep it from saying so on the console
                return feature >= AOT_CACHE_FEATURE
                        ? List.of("-XX:AOTCache=" + archive, "-Xlog:aot=off", "-Xlog:cds=off")
                        : List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
            }
            if (TRAINING.add(archive.toString())) {
                pruneStalePartials(archive.getParent());
                train(spec, baseCommand, archive, feature);
            }
        } catch (IOException | RuntimeException e) {
            // no archive: the child starts a little slower
        }
        return List.of();
    }

    private static Path archiveFor(LaunchSpec spec, int feature) throws IOException {
        if (feature < 17 || "false".equals(System.getProperty("mp4j.cds"))) {
            return null;
        }
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            return null;
        }
        update(sha, "mp4j-cds-1 " + spec.java().toRealPath() + " " + feature);
        for (String entry : spec.classPath()) {
            Path p = Path.of(entry);
            if (!Files.isRegularFile(p)) {
                return null;
            }
            update(sha, entry + " " + Files.size(p) + " " + Files.getLastModifiedTime(p).toMillis());
        }
        spec.jvmOptions().forEach(o -> update(sha, o));
        Path dir = cacheDir();
        return dir == null ? null : dir.resolve(HexFormat.of().formatHex(sha.digest(), 0, 16)
                + (feature >= AOT_CACHE_FEATURE ? ".aot" : ".jsa"));
    }

    private static void train(LaunchSpec spec, List<String> baseCommand, Path archive, int feature) {
        Thread t = new Thread(() -> {
            Path partial = archive.resolveSibling(archive.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            List<String> cmd = new ArrayList<>(baseCommand.subList(0, 1));
            cmd.add(feature >= AOT_CACHE_FEATURE ? "-XX:AOTCacheOutput=" + partial
                    : "-XX:ArchiveClassesAtExit=" + partial);
            int options = cmd.size();
            if (feature >= AOT_CACHE_FEATURE) {
                cmd.addAll(NO_PROFILES);
            }
            try {
                Thread.sleep(TRAINING_DELAY_MILLIS);
                cmd.addAll(baseCommand.subList(1, baseCommand.size() - 1));
                List<String> tasks = Launchers.taskClasses();
                if (!tasks.isEmpty()) {
                    cmd.add("-D" + Training.TASK_CLASSES_PROPERTY + "=" + String.join(",", tasks));
                }
                cmd.add("org.multiprocessing4j.internal.child.Training");
                boolean trained = runTraining(cmd, partial);
                if (!trained && feature >= AOT_CACHE_FEATURE) {
                    // a JDK that no longer has the diagnostic option refuses to start: train with its profiles
                    cmd.subList(options, options + NO_PROFILES.size()).clear();
                    trained = runTraining(cmd, partial);
                }
                if (trained) {
                    publish(partial, archive);
                }
            } catch (IOException e) {
                // no archive this time
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException ignored) {
                    // a later training replaces it
                }
            }
        }, "mp4j-cds-training");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Runs a training JVM to its end. Its stdin stays open: it ends early when that closes, that is when this JVM ends.
     *
     * @return whether it ended well and left its archive
     */
    private static boolean runTraining(List<String> cmd, Path partial) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(niced(cmd)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor() == 0 && Files.isRegularFile(partial);
    }

    /**
     * The command run at the lowest CPU priority when {@code nice} is there: the training is the library's own
     * business, and the user's processes, the first of them above all, come first.
     */
    private static List<String> niced(List<String> cmd) {
        for (String nice : NICE) {
            if (Files.isExecutable(Path.of(nice))) {
                List<String> niced = new ArrayList<>(List.of(nice, "-n", "19"));
                niced.addAll(cmd);
                return niced;
            }
        }
        return cmd;
    }

    private static void publish(Path partial, Path archive) throws IOException {
        try {
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(partial, archive, StandardCopyOption.REPLACE_EXISTING);
        }
        prune(archive.getParent());
    }

    /**
     * Deletes partial archives of trainings that ended with their parent: a training JVM writes its archive as it
     * exits, which it does when its parent ends, so the parent cannot delete it. A partial is named after the
     * parent's pid; it goes once that process is gone and the file has not changed for a minute (the training may
     * still be writing), or once it is an hour old whatever its pid says (a pid may be reused).
     */
    private static void pruneStalePartials(Path dir) {
        long now = System.currentTimeMillis();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".tmp"))::iterator) {
                long age = now - modified(f);
                if (age > TimeUnit.HOURS.toMillis(1)
                        || (age > TimeUnit.MINUTES.toMillis(1) && !ownerAlive(f.getFileName().toString()))) {
                    Files.deleteIfExists(f);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a later training tries again
        }
    }

    /** @return whether the process whose pid a partial's name holds ({@code KEY.jsa.PID.tmp}) is alive */
    static boolean ownerAlive(String partialName) {
        String[] parts = partialName.split("\\.");
        if (parts.length < 4) {
            return false;
        }
        try {
            return ProcessHandle.of(Long.parseLong(parts[parts.length - 2])).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Keeps the {@value #KEEP} newest archives: old class paths leave theirs behind. */
    private static void prune(Path dir) throws IOException {
        List<Path> archives;
        try (Stream<Path> files = Files.list(dir)) {
            archives = files.filter(f -> f.toString().endsWith(".jsa") || f.toString().endsWith(".aot"))
                    .sorted(Comparator.comparingLong(ClassDataSharing::modified).reversed())
                    .collect(Collectors.toList());
        }
        for (Path old : archives.subList(Math.min(KEEP, archives.size()), archives.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static long modified(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    private static Path cacheDir() {
        String own = System.getProperty("mp4j.cds.dir");
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        Path dir = own != null && !own.isEmpty() ? Path.of(own) : base.resolve("multiprocessing4j");
        try {
            Files.createDirectories(dir);
            return Files.isWritable(dir) ? dir : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int feature(Path java) {
        return FEATURES.computeIfAbsent(java, j -> {
            if (j.equals(LaunchSpec.defaultJava())) {
                return Runtime.version().feature();
            }
            try {
                Path release = j.toRealPath().getParent().getParent().resolve("release");
                Matcher m = RELEASE_VERSION.matcher(Files.readString(release, StandardCharsets.UTF_8));
                return m.find() ? Integer.parseInt(m.group(1)) : 0;
            } catch (IOException | RuntimeException e) {
                return 0;
            }
        });
    }

    private static void update(MessageDigest sha, String s) {
        sha.update(s.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
    }
}
