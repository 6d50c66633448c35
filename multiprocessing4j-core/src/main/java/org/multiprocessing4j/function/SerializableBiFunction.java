package org.multiprocessing4j.function;

import java.io.Serializable;

/**
 * A two-argument function that can be sent to another process (Python's {@code starmap} target).
 *
 * @param <T> the first argument type
 * @param <U> the second argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableBiFunction<T, U, R> extends Serializable {
    /**
     * Applies the function.
     *
     * @param t the first argument
     * @param u the second argument
     * @return the result
     * @throws Exception anything the function throws
     */
    R apply(T t, U u) throws Exception;
}
