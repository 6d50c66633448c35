package org.multiprocessing4j.internal.launch;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.multiprocessing4j.ProcessStartException;
import org.multiprocessing4j.internal.control.Bootstrap;
import org.multiprocessing4j.internal.control.ControlChannel;
import org.multiprocessing4j.internal.resource.RuntimeDir;
import org.multiprocessing4j.internal.os.Nonces;

/**
 * Launches one child JVM and waits until it has connected back and authenticated.
 *
 * <pre>
 * Overview (docs/process-lifecycle.md, "Launch"):
 *  1. bind a listener on a fresh socket file in this JVM's private directory (mode 0700)
 *  2. start the JVM: stdout inherited, stderr pumped to ours, stdin a pipe
 *  3. write the bootstrap line (socket path, a random launch secret, and the process itself when it is small:
 *     Bootstrap's DIRECT mode) to its stdin and close it
 *  4. accept one connection, watching the JVM: if it exits first, fail with its exit code and stderr tail, unless
 *     it was given its process directly and announced on its stderr that it ran it (its task may end the JVM before
 *     it has connected: that is the process's own end, not a failed start); past the start time-out, kill it and
 *     fail
 *  5. run the hand-shake as the server (the child proves it knows the secret, and so do we)
 *  6. close the listener and delete its socket file: the connection stays, the file is gone
 * Any failure ends the JVM and releases all of the above before ProcessStartException is thrown.
 * </pre>
 */
final class JvmLauncher {
    private static final long POLL_MILLIS = 20;
    /** The selectors of launches in flight, woken at JVM exit: HotSpot's exit waits 300 ms for threads in native. */
    private static final Set<Selector> IN_FLIGHT = ConcurrentHashMap.newKeySet();
    private static volatile boolean aborted;

    private JvmLauncher() {
    }

    /**
     * @param spec how to launch
     * @param mode how the JVM gets its process: in the bootstrap line, or over the socket (then {@code payload} is what
     *     it warms up with)
     * @param payload what the mode puts into the line ({@link Bootstrap#payload()})
     * @return the connected JVM; for {@link Bootstrap.Mode#DIRECT}, possibly one that ran its process and ended before
     *     it connected (then without a channel)
     */
    static LaunchedJvm launch(LaunchSpec spec, Bootstrap.Mode mode, byte[] payload) {
        long t0 = System.nanoTime();
        Path socketPath = null;
        ServerSocketChannel server = null;
        Process process = null;
        StderrPump stderr = null;
        List<String> command = List.of();
        try {
            command = JvmCommand.build(spec);
            // the JVM boots (~30 ms to its main) while this thread makes the socket (the first Unix-domain socket of
            // a JVM costs ~15-20 ms); the child learns the socket's path from the bootstrap line, written after the bind
            process = startProcess(spec, command);
            boolean direct = mode == Bootstrap.Mode.DIRECT;
            stderr = StderrPump.start(process, direct);
            socketPath = RuntimeDir.get().newSocketPath();
            server = bind(socketPath);
            byte[] secret = Nonces.random(32);
            try {
                new Bootstrap(socketPath.toString(), secret, mode, payload).writeTo(process.getOutputStream());
            } catch (IOException e) {
                // the JVM died before reading its stdin: step 4 reports how
            }
            try {
                SocketChannel socket = accept(server, process, stderr, spec, command, t0, direct);
                if (socket != null) {
                    return new LaunchedJvm(process, ControlChannel.serve(socket, secret), stderr, t0, direct);
                }
            } catch (IOException e) {
                if (!(direct && ranAndEnded(process, stderr))) {
                    throw e;
                }
            }
            return new LaunchedJvm(process, null, stderr, t0, true); // it ran its process and ended: no channel
        } catch (IOException | RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            if (e instanceof ProcessStartException) {
                throw (ProcessStartException) e;
            }
            throw new ProcessStartException("cannot start a child JVM: " + e + elapsed(t0) + tailOf(stderr)
                    + "\ncommand: " + String.join(" ", command), e);
        } finally {
            closeQuietly(server);
            try {
                if (socketPath != null) {
                    Files.deleteIfExists(socketPath);
                }
            } catch (IOException e) {
                // the directory is removed at exit
            }
        }
    }

    private static ServerSocketChannel bind(Path socketPath) {
        try {
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                server.bind(UnixDomainSocketAddress.of(socketPath));
                return server;
            } catch (IOException | RuntimeException e) {
                server.close();
                throw e;
            }
        } catch (IOException e) {
            throw new ProcessStartException("cannot create the control socket for a child JVM: " + e
                    + " (check that the temp dir " + System.getProperty("java.io.tmpdir") + " is writable)", e);
        }
    }

    private static void closeQuietly(ServerSocketChannel server) {
        if (server != null) {
            try {
                server.close();
            } catch (IOException e) {
                // nothing to do
            }
        }
    }

    private static Process startProcess(LaunchSpec spec, List<String> command) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.PIPE)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.PIPE);
        if (spec.workingDirectory() != null) {
            builder.directory(spec.workingDirectory().toFile());
        }
        Map<String, String> env = builder.environment();
        spec.environment().forEach((k, v) -> {
            if (v == null) {
                env.remove(k);
            } else {
                env.put(k, v);
            }
        });
        try {
            return builder.start();
        } catch (IOException e) {
            throw new ProcessStartException("cannot run the java executable for a child JVM: " + e.getMessage()
                    + " (check the context's java executable: " + spec.java() + ")", e);
        }
    }

    /**
     * Waits for a child given its process directly, whose hand-shake failed, to end (the task may have ended the
     * JVM while it was connecting), then tells whether it announced that it ran.
     */
    private static boolean ranAndEnded(Process process, StderrPump stderr) {
        if (waitQuietly(process) == -1) {
            return false;
        }
        stderr.tail(500);
        return stderr.sawMarker();
    }

    /**
     * @return the accepted connection, or null if {@code direct} and the child ran its process and ended before it
     *     connected
     */
    private static SocketChannel accept(ServerSocketChannel server, Process process, StderrPump stderr,
                                        LaunchSpec spec, List<String> command, long t0, boolean direct)
            throws IOException {
        long deadline = t0 + spec.startTimeout().toNanos();
        server.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            server.register(selector, SelectionKey.OP_ACCEPT);
            IN_FLIGHT.add(selector);
            while (true) {
                if (aborted) {
                    throw new ProcessStartException("this JVM is exiting: the launch of pid=" + process.pid()
                            + " was abandoned", null);
                }
                SocketChannel socket = server.accept();
                if (socket != null) {
                    socket.configureBlocking(true);
                    return socket;
                }
                if (!process.isAlive()) {
                    if (direct && ranAndEnded(process, stderr)) {
                        return null;
                    }
                    int code = waitQuietly(process);
                    throw new ProcessStartException("the child JVM exited before connecting back: exitCode=" + code
                            + " pid=" + process.pid() + elapsed(t0) + tailOf(stderr)
                            + "\ncommand: " + String.join(" ", command)
                            + "\n(check the JVM options and that the class path holds multiprocessing4j)", null);
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new ProcessStartException("the child JVM did not connect back within "
                            + spec.startTimeout().toMillis() + " ms: pid=" + process.pid() + tailOf(stderr)
                            + "\ncommand: " + String.join(" ", command) + "\n(the machine may be overloaded: "
                            + "raise Context.withStartTimeout, or check what the JVM is doing)", null);
                }
                selector.select(POLL_MILLIS);
                selector.selectedKeys().clear();
            }
        } finally {
            IN_FLIGHT.removeIf(s -> !s.isOpen());
        }
    }

    /** Abandons every launch in flight; called at JVM exit. */
    static void abortAll() {
        aborted = true;
        IN_FLIGHT.forEach(Selector::wakeup);
    }

    private static int waitQuietly(Process process) {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? process.exitValue() : -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static String elapsed(long t0) {
        return " elapsed=" + (System.nanoTime() - t0) / 1_000_000 + "ms";
    }

    private static String tailOf(StderrPump stderr) {
        if (stderr == null) {
            return "";
        }
        String tail = stderr.tail(500);
        return tail.isEmpty() ? "\nchild stderr: (empty)" : "\nchild stderr (last lines):\n" + tail;
    }
}
