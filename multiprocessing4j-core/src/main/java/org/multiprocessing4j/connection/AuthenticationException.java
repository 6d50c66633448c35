package org.multiprocessing4j.connection;

import java.io.IOException;

/**
 * Thrown when the peer of a connection fails the HMAC challenge on the shared auth key (Python's
 * {@code AuthenticationError}). Nothing from such a peer is ever deserialized.
 */
public class AuthenticationException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed and what to check
     */
    public AuthenticationException(String message) {
        super(message);
    }
}
