package org.multiprocessing4j.manager;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.connection.Pipe;
import org.multiprocessing4j.function.SerializableCallable;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.internal.manager.ClientSession;
import org.multiprocessing4j.internal.manager.ManagerServer;
import org.multiprocessing4j.internal.pipe.PipeEnd;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * The daemon child process that runs a started manager's server, and the starter's first connection to it.
 *
 * <pre>
 * Overview: start
 *  1. pick a fresh Unix socket path in this process's runtime directory (other clients connect there), a session
 *     id, and make a shared-memory Pipe: the first connection.
 *  2. start a daemon ChildProcess running ManagerServer.runChild(path, registry, the pipe's server end, session):
 *     the end travels inside the task, over the launch's authenticated control channel, so the first connection
 *     needs no socket connect, hand-shake or Hello (with a JVM made ready ahead of time, those were most of a
 *     start: a young JVM runs them interpreted). Then close our copy of the server's end.
 *  3. wait for READY on our end (the server sends it once bound and serving), looking every 0.1 ms (so the server
 *     rings no doorbell) and checking every 20 ms that the child is alive: if it ends first, its exit code goes
 *     into the error; past 60 s it is killed. An interrupt kills it, and the interrupt status stays set.
 *  end: after the shutdown request, join up to 5 s, then kill; close.
 * </pre>
 */
final class ServerProcess {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(20);
    private static final long LOOK_NANOS = 100_000;

    private final ChildProcess child;
    private final UnixDomainSocketAddress address;
    private ClientSession session;

    private ServerProcess(ChildProcess child, UnixDomainSocketAddress address) {
        this.child = child;
        this.address = address;
    }

    /**
     * Starts the server process and waits until it serves.
     *
     * @param registry the registered types
     * @param context the server JVM's context, or {@code null} for the default one
     * @param jvmOptions the server JVM's own options
     * @param key the auth key (the server process inherits this process's)
     * @return the server process, with {@link #session()} connected to it
     * @throws IllegalStateException if the process cannot start or does not get ready
     */
    static ServerProcess start(Map<String, SerializableCallable<?>> registry, Context context, String[] jvmOptions,
                               byte[] key) {
        String path;
        try {
            path = RuntimeDir.get().newSocketPath().toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a manager: no runtime directory: " + e.getMessage(), e);
        }
        long session = ClientSession.newId();
        Pipe pipe = Pipe.open();
        Connection serverEnd = pipe.right();
        HashMap<String, SerializableCallable<?>> reg = new HashMap<>(registry);
        SerializableRunnable target = new ServerTask(path, reg, serverEnd, session);
        String name = "SyncManager-" + COUNT.incrementAndGet();
        ChildProcess child = context != null ? context.process(target, name) : new ChildProcess(target, name);
        child.setDaemon(true);
        if (jvmOptions.length > 0) {
            child.setJvmOptions(jvmOptions);
        }
        ServerProcess p = new ServerProcess(child, UnixDomainSocketAddress.of(path));
        try {
            try {
                child.start();
            } finally {
                serverEnd.close();
            }
            p.awaitReady((PipeEnd) pipe.left());
        } catch (RuntimeException e) {
            pipe.left().close();
            throw e;
        }
        p.session = ClientSession.over(p.address, key, session, pipe.left());
        return p;
    }

    /** @return this process's session with the server, over the first connection */
    ClientSession session() {
        return session;
    }

    /**
     * Waits for READY by looking at the pipe every {@link #LOOK_NANOS} between short sleeps, never in the pipe's
     * own wait: a starter parked in the pipe's queue must be woken through its doorbell, which costs the young
     * server process its first doorbell connection (a search of the runtime directories, a connect) and the starter
     * a second thread wake-up, some milliseconds of a start of a few tens.
     */
    private void awaitReady(PipeEnd first) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        long check = System.nanoTime() + POLL.toNanos();
        try {
            while (!first.hasData()) {
                LockSupport.parkNanos(LOOK_NANOS);
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted while waiting for the manager's server");
                }
                long now = System.nanoTime();
                if (now - check < 0) {
                    continue;
                }
                check = now + POLL.toNanos();
                if (!child.isAlive()) {
                    throw endedEarly();
                }
                if (now > deadline) {
                    child.kill();
                    throw new IllegalStateException("the manager's server process did not get ready within "
                            + START_TIMEOUT.toSeconds() + " s: pid=" + child.pid() + " socket=" + address);
                }
            }
            byte[] ready = first.recvBytes(ManagerServer.READY.length);
            if (!Arrays.equals(ready, ManagerServer.READY)) {
                throw new IOException("expected READY from the manager's server: got " + Arrays.toString(ready));
            }
        } catch (IOException e) {
            if (e instanceof EOFException || !child.isAlive()) {
                // the server's end is closed: its process has ended, or is ending (reaped a moment later)
                IllegalStateException ended = endedEarly();
                child.kill();
                throw ended;
            }
            child.kill();
            throw new IllegalStateException("the manager's server process did not get ready: pid=" + child.pid()
                    + ": " + e.getMessage() + " (it was killed)", e);
        }
    }

    /**
     * The server process's task. A class rather than a lambda: a young JVM deserializes a lambda by spinning its
     * proxy class (some milliseconds of a start), an ordinary object by setting its fields.
     */
    private static final class ServerTask implements SerializableRunnable {
        private static final long serialVersionUID = 1L;

        private final String path;
        private final HashMap<String, SerializableCallable<?>> registry;
        private final Connection first;
        private final long session;

        ServerTask(String path, HashMap<String, SerializableCallable<?>> registry, Connection first, long session) {
            this.path = path;
            this.registry = registry;
            this.first = first;
            this.session = session;
        }

        @Override
        public void run() throws Exception {
            ManagerServer.runChild(path, registry, first, session);
        }
    }

    /** @return the error of a server that ended before READY, with its exit code (waits up to 2 s for it) */
    private IllegalStateException endedEarly() {
        Integer code = null;
        try {
            child.join(Duration.ofSeconds(2));
            code = child.exitCode();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
        return new IllegalStateException("the manager's server process ended before it was ready: pid="
                + child.pid() + " exitCode=" + code + " (its stderr says why)");
    }

    long pid() {
        return child.pid();
    }

    void end() {
        try {
            if (!child.join(Duration.ofSeconds(5))) {
                child.kill();
                child.join(Duration.ofSeconds(5));
            }
        } catch (InterruptedException e) {
            child.kill();
            Thread.currentThread().interrupt();
        }
        if (!child.isAlive()) {
            child.close();
        }
    }
}
