package org.multiprocessing4j.function;

import java.io.Serializable;
import java.util.concurrent.Callable;

/**
 * A task with a result that can be sent to another process; also a {@link Callable}, so it can be handed to any
 * {@code ExecutorService}.
 *
 * @param <V> the result type
 */
@FunctionalInterface
public interface SerializableCallable<V> extends Callable<V>, Serializable {
    @Override
    V call() throws Exception;
}
