package org.multiprocessing4j.internal.memory;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.regex.Pattern;
import org.multiprocessing4j.internal.os.Nonces;

/**
 * Where segment files live and how they are named: {@code /dev/shm} where it is a writable directory (Linux),
 * else the temp dir (macOS). The file of the segment named {@code N} is {@code mp4j-N}; generated names are
 * {@code psm_} and 24 random hex digits (Python's {@code psm_} prefix), so they cannot be guessed.
 */
public final class SegmentFiles {
    /** Every segment file starts with this. */
    public static final String PREFIX = "mp4j-";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,100}");
    private static final Path DIRECTORY = chooseDirectory();

    private SegmentFiles() {
    }

    /** @return the directory of segment files */
    public static Path directory() {
        return DIRECTORY;
    }

    /** @return whether the file system has POSIX permissions (mode 0600 is set where it has) */
    static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }

    /** @return a fresh unguessable name */
    static String newName() {
        return "psm_" + HexFormat.of().formatHex(Nonces.random(12));
    }

    /**
     * @param name a segment name
     * @return its file
     * @throws IllegalArgumentException if the name has characters other than letters, digits, '_', '.', '-'
     */
    static Path fileOf(String name) {
        checkName(name);
        return DIRECTORY.resolve(PREFIX + name);
    }

    static void checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad segment name: name='" + name
                    + "' (1 to 100 letters, digits, '_', '.' or '-')");
        }
    }

    private static Path chooseDirectory() {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return shm;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }
}
