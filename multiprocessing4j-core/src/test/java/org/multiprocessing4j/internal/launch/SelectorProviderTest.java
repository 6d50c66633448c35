package org.multiprocessing4j.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.spi.SelectorProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.connection.Pipe;

/**
 * A child JVM is told which selector provider its parent uses (the JDK's own), so that its first socket does not
 * search the class path for one; a user's choice and another java executable are left alone.
 */
class SelectorProviderTest {
    private static final String PROPERTY = "-D" + JvmCommand.SELECTOR_PROVIDER + "=";

    private static LaunchSpec spec(Path java, String... options) {
        return new LaunchSpec(java, List.of(options), List.of(System.getProperty("java.class.path")), Map.of(),
                null, Duration.ofSeconds(30));
    }

    @Test
    void theJdksProviderIsNamedOnTheCommandLine() throws Exception {
        String name = SelectorProvider.provider().getClass().getName();
        List<String> cmd = JvmCommand.build(spec(LaunchSpec.defaultJava()));
        assertTrue(cmd.contains(PROPERTY + name), cmd::toString);
        assertTrue(cmd.indexOf(PROPERTY + name) < cmd.indexOf(JvmCommand.CHILD_MAIN), cmd::toString);
    }

    @Test
    void aUsersChoiceAndAnotherJavaAreLeftAlone() throws Exception {
        List<String> own = JvmCommand.build(spec(LaunchSpec.defaultJava(), PROPERTY + "com.example.Provider"));
        assertEquals(1, own.stream().filter(o -> o.startsWith(PROPERTY)).count(), own::toString);
        assertTrue(own.contains(PROPERTY + "com.example.Provider"), own::toString);
        List<String> other = JvmCommand.build(spec(Path.of("/opt/other-jdk/bin/java")));
        assertFalse(other.stream().anyMatch(o -> o.startsWith(PROPERTY)), other::toString);
    }

    static void report(Connection out) throws Exception {
        out.send(SelectorProvider.provider().getClass().getName());
        out.close();
    }

    @Test
    void aChildUsesTheSameProviderAsItsParent() throws Exception {
        Pipe pipe = Pipe.open(false);
        Connection in = pipe.left();
        Connection out = pipe.right();
        ChildProcess child = new ChildProcess(() -> report(out));
        child.start();
        out.close();
        try {
            assertEquals(SelectorProvider.provider().getClass().getName(), in.recv());
            child.join();
            assertEquals(0, child.exitCode());
        } finally {
            in.close();
            child.kill();
            child.join();
        }
    }
}
