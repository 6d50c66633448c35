package org.multiprocessing4j.function;

import java.io.Serializable;

/**
 * A consumer that can be sent to another process.
 *
 * @param <T> the argument type
 */
@FunctionalInterface
public interface SerializableConsumer<T> extends Serializable {
    /**
     * Accepts a value.
     *
     * @param t the value
     * @throws Exception anything the consumer throws
     */
    void accept(T t) throws Exception;
}
