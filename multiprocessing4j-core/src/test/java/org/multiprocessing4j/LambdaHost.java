package org.multiprocessing4j;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.multiprocessing4j.function.SerializableRunnable;

/**
 * Holds a lambda for ReadyLambdaTest: its static initializer appends this JVM's pid to the file that
 * {@code mp4j.test.hostFile} names (children only: the test sets the property in their JVM options), so the test sees
 * which JVMs ran any of its code.
 */
final class LambdaHost {
    static {
        String file = System.getProperty("mp4j.test.hostFile");
        if (file != null) {
            try {
                Fixtures.append(Path.of(file), String.valueOf(ProcessHandle.current().pid()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private LambdaHost() {
    }

    /** @return a task that appends {@code word} to the file {@code out} */
    static SerializableRunnable task(String out, String word) {
        return () -> Fixtures.append(Path.of(out), word);
    }
}
