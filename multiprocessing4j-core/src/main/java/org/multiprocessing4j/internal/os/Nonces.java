package org.multiprocessing4j.internal.os;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Random bytes for challenges and secrets: read from {@code /dev/urandom} where it exists (what the JDK's
 * {@code NativePRNG} reads too, without the provider framework's start-up cost in a fresh child JVM), else from
 * {@link SecureRandom}.
 */
public final class Nonces {
    private static final Path URANDOM = Path.of("/dev/urandom");

    private Nonces() {
    }

    /**
     * @param size how many bytes
     * @return that many random bytes
     */
    public static byte[] random(int size) {
        byte[] out = new byte[size];
        if (Files.isReadable(URANDOM)) {
            try (InputStream in = new FileInputStream(URANDOM.toFile())) {
                int n = 0;
                while (n < size) {
                    int r = in.read(out, n, size - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                if (n == size) {
                    return out;
                }
            } catch (IOException e) {
                // fall back below
            }
        }
        new SecureRandom().nextBytes(out);
        return out;
    }
}
