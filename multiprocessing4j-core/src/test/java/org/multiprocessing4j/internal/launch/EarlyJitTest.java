package org.multiprocessing4j.internal.launch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.connection.Pipe;

/**
 * A child compiles the library's message paths early: the commands are on its command line before the user's
 * options, a child option or the parent's property leaves them out, and the JVMs accept them without printing
 * anything on stdout (each command would print a line there without {@code quiet}).
 */
class EarlyJitTest {
    private static final Path JAVA25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private static List<String> command(String... options) throws Exception {
        return JvmCommand.build(new LaunchSpec(LaunchSpec.defaultJava(), List.of(options),
                List.of(System.getProperty("java.class.path")), Map.of(), null, Duration.ofSeconds(30)));
    }

    @Test
    void theCommandsComeBeforeTheUsersOptionsUnlessSwitchedOff() throws Exception {
        List<String> cmd = command("-Dmine=1");
        int first = cmd.indexOf(JvmCommand.EARLY_JIT.get(0));
        assertEquals(cmd.subList(first, first + JvmCommand.EARLY_JIT.size()), JvmCommand.EARLY_JIT, cmd::toString);
        assertTrue(first < cmd.indexOf("-Dmine=1"), cmd::toString);
        assertTrue(JvmCommand.EARLY_JIT.stream().anyMatch(f -> f.contains("org/multiprocessing4j/internal/pipe/")));

        List<String> off = command("-D" + JvmCommand.EARLY_JIT_PROPERTY + "=false");
        assertFalse(off.stream().anyMatch(f -> f.startsWith("-XX:CompileCommand")), off::toString);
        List<String> onAgain = command("-D" + JvmCommand.EARLY_JIT_PROPERTY + "=false",
                "-D" + JvmCommand.EARLY_JIT_PROPERTY + "=true");
        assertTrue(onAgain.containsAll(JvmCommand.EARLY_JIT), "the last word wins: " + onAgain);
        System.setProperty(JvmCommand.EARLY_JIT_PROPERTY, "false");
        try {
            List<String> parentOff = command();
            assertFalse(parentOff.stream().anyMatch(f -> f.startsWith("-XX:CompileCommand")), parentOff::toString);
            List<String> childOn = command("-D" + JvmCommand.EARLY_JIT_PROPERTY + "=true");
            assertTrue(childOn.containsAll(JvmCommand.EARLY_JIT), "a child's option over the parent's: " + childOn);
        } finally {
            System.clearProperty(JvmCommand.EARLY_JIT_PROPERTY);
        }
    }

    static void reportArguments(Connection out) throws Exception {
        out.send(new ArrayList<>(ManagementFactory.getRuntimeMXBean().getInputArguments()));
        out.close();
    }

    @Test
    void aChildRunsWithThem() throws Exception {
        Pipe pipe = Pipe.open(false);
        Connection in = pipe.left();
        Connection out = pipe.right();
        ChildProcess child = new ChildProcess(() -> reportArguments(out));
        child.start();
        out.close();
        try {
            List<?> arguments = (List<?>) in.recv();
            assertTrue(arguments.containsAll(JvmCommand.EARLY_JIT), arguments::toString);
        } finally {
            in.close();
            child.join(Duration.ofSeconds(60));
        }
        assertEquals(0, child.exitCode());
    }

    @Test
    void theJvmsAcceptThemQuietly() throws Exception {
        List<Path> javas = new ArrayList<>(List.of(LaunchSpec.defaultJava()));
        if (Files.isExecutable(JAVA25)) {
            javas.add(JAVA25);
        }
        for (Path java : javas) {
            List<String> cmd = new ArrayList<>(List.of(java.toString()));
            cmd.addAll(JvmCommand.EARLY_JIT);
            cmd.add("-version"); // on stderr
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor(), java + ": exit code");
            assertEquals("", stdout, java + ": stdout");
        }
    }
}
