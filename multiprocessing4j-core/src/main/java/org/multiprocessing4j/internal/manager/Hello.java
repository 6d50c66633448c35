package org.multiprocessing4j.internal.manager;

import java.io.Serializable;
import org.multiprocessing4j.connection.Connection;

/**
 * The first message of a client connection, after the auth-key hand-shake (step 2 in {@link ManagerServer}).
 *
 * @param session the client session's id (random, per client process and server)
 * @param pipe the server's end of a shared-memory {@code Pipe} the rest of the conversation moves to, or
 *     {@code null} to stay on the socket (remote clients)
 */
public record Hello(long session, Connection pipe) implements Serializable {
}
