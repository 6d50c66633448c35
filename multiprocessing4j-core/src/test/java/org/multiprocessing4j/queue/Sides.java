package org.multiprocessing4j.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.TestTimeouts;
import org.multiprocessing4j.function.SerializableRunnable;

/**
 * Where the other party of a contract test runs: a thread of this JVM, holding its own deserialized copies of the
 * queues (as a child would), or a child JVM.
 */
enum Sides {
    SAME_JVM, CHILD_JVM;

    /** The other party, running. */
    interface Running {
        /** Waits for it to end and fails if it failed. */
        void await() throws Exception;

        /** Kills it (a child with SIGKILL). */
        void kill();

        /** @return the child, or null */
        ChildProcess child();
    }

    Running start(SerializableRunnable task) throws Exception {
        if (this == CHILD_JVM) {
            ChildProcess p = new ChildProcess(task);
            p.start();
            return new Running() {
                @Override
                public void await() throws Exception {
                    if (!p.join(TestTimeouts.CHILD_STEP.multipliedBy(3))) {
                        p.kill();
                        throw new AssertionError("child did not end in time: " + p);
                    }
                    assertEquals(0, p.exitCode(), "exit code of the other side (its stack trace is on stderr)");
                }

                @Override
                public void kill() {
                    p.kill();
                }

                @Override
                public ChildProcess child() {
                    return p;
                }
            };
        }
        SerializableRunnable copy = copy(task);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                copy.run();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "other-side");
        t.setDaemon(true);
        t.start();
        return new Running() {
            @Override
            public void await() throws Exception {
                t.join(TestTimeouts.CHILD_STEP.multipliedBy(3).toMillis());
                if (t.isAlive()) {
                    throw new AssertionError("the other side did not end in time");
                }
                if (failure.get() != null) {
                    throw new AssertionError("the other side failed", failure.get());
                }
            }

            @Override
            public void kill() {
                throw new UnsupportedOperationException("a thread cannot be killed");
            }

            @Override
            public ChildProcess child() {
                return null;
            }
        };
    }

    /** A deep copy through serialization, as a child gets it. */
    @SuppressWarnings("unchecked")
    static <T> T copy(T value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (T) in.readObject();
        }
    }

    static Duration step() {
        return TestTimeouts.CHILD_STEP;
    }
}
