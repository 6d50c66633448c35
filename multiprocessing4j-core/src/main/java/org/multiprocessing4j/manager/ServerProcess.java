package org.multiprocessing4j.manager;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.connection.Pipe;
import org.multiprocessing4j.function.SerializableCallable;
import org.multiprocessing4j.internal.manager.ManagerServer;
import org.multiprocessing4j.internal.resource.RuntimeDir;

/**
 * The daemon child process that runs a started manager's server.
 *
 * <pre>
 * Overview: start
 *  1. pick a fresh Unix socket path in this process's runtime directory; open a one-way Pipe for "ready".
 *  2. start a daemon ChildProcess running ManagerServer.runChild(path, registry, readyEnd); close our copy of
 *     readyEnd.
 *  3. wait for the child's "ready" (it has bound the socket). End of stream instead means the child died: its exit
 *     code goes into the error.
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

    static ServerProcess start(Map<String, SerializableCallable<?>> registry) {
        String path;
        try {
            path = RuntimeDir.get().newSocketPath().toString();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a manager: no runtime directory: " + e.getMessage(), e);
        }
        Pipe ready = Pipe.open(false);
        Connection readyEnd = ready.right();
        HashMap<String, SerializableCallable<?>> reg = new HashMap<>(registry);
        ChildProcess child = new ChildProcess(() -> ManagerServer.runChild(path, reg, readyEnd),
                "SyncManager-" + COUNT.incrementAndGet());
        child.setDaemon(true);
        try {
            child.start();
        } finally {
            readyEnd.close();
        }
        try (Connection in = ready.left()) {
            if (!in.poll(START_TIMEOUT)) {
                child.kill();
                throw new IllegalStateException("the manager's server process did not get ready within "
                        + START_TIMEOUT.toSeconds() + " s: pid=" + child.pid());
            }
            in.recv();
        } catch (IOException e) {
            Integer code = null;
            try {
                child.join(Duration.ofSeconds(2));
                code = child.exitCode();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            child.kill();
            throw new IllegalStateException("the manager's server process failed to start: pid=" + child.pid()
                    + " exitCode=" + code + " (its stderr says why): " + e, e);
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
