/**
 * Connections between processes (Python's {@code multiprocessing.connection}): {@link
 * org.multiprocessing4j.connection.Connection} (messages of any size, objects or bytes), same-machine
 * {@link org.multiprocessing4j.connection.Pipe}s, and {@link org.multiprocessing4j.connection.Listener}/{@link
 * org.multiprocessing4j.connection.Client} over TCP or Unix-domain sockets, authenticated by a mutual HMAC challenge
 * on the auth key. Received objects go through {@link org.multiprocessing4j.connection.SerialFilter}. The bytes on
 * the wire are written down in docs/wire-protocol.md. Start from {@link org.multiprocessing4j.connection.Connection}.
 */
package org.multiprocessing4j.connection;
