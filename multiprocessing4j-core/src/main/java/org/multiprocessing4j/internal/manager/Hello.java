package org.multiprocessing4j.internal.manager;

import java.io.IOException;
import java.io.StreamCorruptedException;
import java.nio.ByteBuffer;
import org.multiprocessing4j.connection.Connection;

/**
 * The first message of a client connection, after the auth-key hand-shake (step 2 in {@link ManagerServer}): two
 * frames, the session id as 8 bytes, then the pipe end as an object ({@code null} for none). Not a serialized
 * record: a young JVM's first record deserialization costs tens of milliseconds, on every manager's start.
 *
 * @param session the client session's id (random, per client process and server)
 * @param pipe the server's end of a shared-memory {@code Pipe} the rest of the conversation moves to, or
 *     {@code null} to stay on the socket (remote clients)
 */
public record Hello(long session, Connection pipe) {
    /**
     * @param c the connection
     * @throws IOException if sending fails
     */
    public void write(Connection c) throws IOException {
        c.sendBytes(ByteBuffer.allocate(8).putLong(session).array());
        c.send(pipe);
    }

    /**
     * @param c the connection
     * @return the hello
     * @throws IOException if it is not a hello, or receiving fails
     */
    public static Hello read(Connection c) throws IOException {
        byte[] id = c.recvBytes(8);
        if (id.length != 8) {
            throw new StreamCorruptedException("expected a Hello: length=" + id.length);
        }
        Object pipe = c.recv();
        if (pipe != null && !(pipe instanceof Connection)) {
            throw new StreamCorruptedException("expected a Hello's pipe end: got=" + pipe.getClass().getName());
        }
        return new Hello(ByteBuffer.wrap(id).getLong(), (Connection) pipe);
    }
}
