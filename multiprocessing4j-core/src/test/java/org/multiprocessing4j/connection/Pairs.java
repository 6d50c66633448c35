package org.multiprocessing4j.connection;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.multiprocessing4j.TestTimeouts;

/** Connected pairs of connections made every way the library makes them, for the shared contract. */
enum Pairs {
    TCP, UNIX, PIPE;

    static final byte[] KEY = "contract-test-key".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Two connected ends: {@code a} and {@code b}, each readable and writable. */
    record Pair(Connection a, Connection b) implements AutoCloseable {
        @Override
        public void close() {
            a.close();
            b.close();
        }
    }

    Pair open() throws Exception {
        switch (this) {
            case PIPE:
                Pipe pipe = Pipe.open();
                return new Pair(pipe.left(), pipe.right());
            case TCP:
                return viaListener(new Listener(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), KEY));
            default:
                return viaListener(new Listener(null, KEY));
        }
    }

    private static Pair viaListener(Listener listener) throws Exception {
        try (listener) {
            CompletableFuture<Connection> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return listener.accept();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Connection client = Client.connect(listener.address(), KEY);
            return new Pair(accepted.get(TestTimeouts.CHILD_STEP.toMillis(), TimeUnit.MILLISECONDS), client);
        }
    }

    /** Runs {@code action} and returns what it threw, failing if it did not end within {@code bound}. */
    static Throwable thrownWithin(java.time.Duration bound, ThrowingRunnable action)
            throws InterruptedException, TimeoutException {
        CompletableFuture<Throwable> f = CompletableFuture.supplyAsync(() -> {
            try {
                action.run();
                return null;
            } catch (Throwable t) {
                return t;
            }
        });
        try {
            return f.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }
}
