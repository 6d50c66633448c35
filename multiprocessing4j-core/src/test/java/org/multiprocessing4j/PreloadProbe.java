package org.multiprocessing4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Named by Context.withPreload in a test: its static initializer appends this JVM's pid to a file. */
public final class PreloadProbe {
    static {
        try {
            Fixtures.append(Path.of(System.getProperty("mp4j.test.preloadFile")),
                    String.valueOf(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PreloadProbe() {
    }
}
