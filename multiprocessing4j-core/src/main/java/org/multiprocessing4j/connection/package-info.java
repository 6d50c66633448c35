/**
 * Connections between processes (Python's {@code multiprocessing.connection}). Start from
 * {@link org.multiprocessing4j.connection.AuthenticationException}, thrown when a peer does not know the auth key.
 */
package org.multiprocessing4j.connection;
