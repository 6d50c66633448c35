package org.multiprocessing4j.manager;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.Context;
import org.multiprocessing4j.function.SerializableRunnable;
import org.multiprocessing4j.function.SerializableCallable;
import org.multiprocessing4j.internal.manager.ManagerServer;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * The daemon child process that runs a started manager's server.
 *
 * <pre>
 * Overview: start
 *  1. pick a fresh Unix socket path in this process's runtime directory.
 *  2. start a daemon ChildProcess running ManagerServer.runChild(path, registry); meanwhile make the shared-memory
 *     Pipe of the first client connection in another thread (creating its segment takes some milliseconds).
 *  3. wait for the socket file to appear (the server binds and listens in one step), checking every 0.2 ms that
 *     the child is alive: if it ends first, its exit code goes into the error; past 60 s it is killed.
 *  4. connect (ClientSession.connect with the pipe made in step 2).
 *  end: after the shutdown request, join up to 5 s, then kill; close.
 * </pre>
 */
final class ServerProcess {
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final ChildProcess child;
    private final UnixDomainSocketAddress address;

    private ServerProcess(ChildProcess child, UnixDomainSocketAddress address) {
        this.child = child;
        this.address = address;
    }

    /**
     * Starts the server process and waits until it listens.
     *
     * @param registry the registered types
     * @param context the server JVM's context, or {@code null} for the default one
     * @param jvmOptions the server JVM's own options
     * @return the running server process
     * @throws IllegalStateException if the process cannot start or does not get ready
     */
    static ServerProcess start(Map<String, SerializableCallable<?>> registry, Context context, String[] jvmOptions) {
        String path;
        try {
            path = RuntimeDir.get().newSocketPath().toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a manager: no runtime directory: " + e.getMessage(), e);
        }
        HashMap<String, SerializableCallable<?>> reg = new HashMap<>(registry);
        SerializableRunnable target = () -> ManagerServer.runChild(path, reg);
        String name = "SyncManager-" + COUNT.incrementAndGet();
        ChildProcess child = context != null ? context.process(target, name) : new ChildProcess(target, name);
        child.setDaemon(true);
        if (jvmOptions.length > 0) {
            child.setJvmOptions(jvmOptions);
        }
        child.start();
        Path socket = Path.of(path);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!Files.exists(socket)) {
            if (!child.isAlive()) {
                Integer code = null;
                try {
                    child.join(Duration.ofSeconds(2));
                    code = child.exitCode();
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("the manager's server process ended before it was ready: pid="
                        + child.pid() + " exitCode=" + code + " (its stderr says why)");
            }
            if (System.nanoTime() > deadline) {
                child.kill();
                throw new IllegalStateException("the manager's server process did not get ready within "
                        + START_TIMEOUT.toSeconds() + " s: pid=" + child.pid() + " socket=" + path);
            }
            LockSupport.parkNanos(200_000);
        }
        return new ServerProcess(child, UnixDomainSocketAddress.of(path));
    }

    UnixDomainSocketAddress address() {
        return address;
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
