package org.multiprocessing4j.function;

import java.io.Serializable;

/**
 * A function that can be sent to another process.
 *
 * @param <T> the argument type
 * @param <R> the result type
 */
@FunctionalInterface
public interface SerializableFunction<T, R> extends Serializable {
    /**
     * Applies the function.
     *
     * @param t the argument
     * @return the result
     * @throws Exception anything the function throws
     */
    R apply(T t) throws Exception;
}
