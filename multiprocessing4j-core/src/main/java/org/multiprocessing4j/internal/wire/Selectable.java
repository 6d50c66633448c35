package org.multiprocessing4j.internal.wire;

/** A connection whose readiness can be waited for together with others', in {@link Selection}. */
public interface Selectable {
    /** @return the socket that carries the connection's incoming messages in this process */
    NonBlockingSocket selectableSocket();
}
