package org.multiprocessing4j.internal.codec;

import java.io.IOException;

/**
 * Turns objects into bytes and back, for anything that crosses a process boundary.
 * Implementations are thread-safe.
 */
public interface Codec {
    /**
     * Encodes one object.
     *
     * @param value the object, may be {@code null}
     * @return its bytes
     * @throws java.io.NotSerializableException if the object graph holds something that cannot be encoded; the
     *     message names the class
     * @throws IOException if encoding fails otherwise
     */
    byte[] encode(Object value) throws IOException;

    /**
     * Decodes one object.
     *
     * @param bytes bytes made by {@link #encode}
     * @param loader the class loader that resolves classes by name
     * @return the object
     * @throws java.io.InvalidClassException if the deserialization filter refuses a class, naming it
     * @throws IOException if the bytes are corrupt or a class is missing
     */
    Object decode(byte[] bytes, ClassLoader loader) throws IOException;
}
