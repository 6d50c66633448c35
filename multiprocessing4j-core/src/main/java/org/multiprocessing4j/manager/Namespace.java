package org.multiprocessing4j.manager;

/**
 * A bag of named attributes held by a manager: Python's {@code Manager().Namespace()}, whose {@code ns.x = 1}
 * becomes {@code ns.set("x", 1)} and {@code ns.x} becomes {@code ns.get("x")}. Each call is one atomic operation on
 * the server; values travel as copies (serialized), so a value read back is a new object.
 */
public interface Namespace {
    /**
     * Reads an attribute.
     *
     * @param name the attribute's name
     * @param <T> the type the caller expects
     * @return its value, or {@code null} if it was never set (or set to {@code null})
     * @throws java.io.UncheckedIOException if the manager's server is gone
     */
    <T> T get(String name);

    /**
     * Sets an attribute.
     *
     * @param name the attribute's name
     * @param value its value (serializable), may be {@code null}
     * @throws java.io.UncheckedIOException if the manager's server is gone
     */
    void set(String name, Object value);

    /**
     * Removes an attribute (Python's {@code del ns.x}).
     *
     * @param name the attribute's name
     * @return whether it was there
     */
    boolean remove(String name);
}
