package org.multiprocessing4j.connection;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import org.multiprocessing4j.internal.wire.SocketConnection;

/**
 * Connects to a {@link Listener}: Python's {@code multiprocessing.connection.Client}.
 */
public final class Client {
    private Client() {
    }

    /**
     * Connects and runs the mutual HMAC-SHA256 challenge on the auth key before returning.
     *
     * @param address the listener's address ({@code InetSocketAddress} or {@code UnixDomainSocketAddress})
     * @param authKey the shared key (Python's default is {@code Multiprocessing.currentProcess().authKey()})
     * @return the connection, authenticated
     * @throws AuthenticationException if the listener does not know the key, or refuses ours
     * @throws NullPointerException if the key is {@code null}
     * @throws IllegalArgumentException if the key is empty
     * @throws IOException if nothing listens there, or the peer does not speak the protocol
     */
    public static Connection connect(SocketAddress address, byte[] authKey) throws IOException {
        byte[] key = Listener.checkKey(authKey);
        SocketChannel channel;
        try {
            channel = SocketChannel.open(address);
        } catch (IOException e) {
            throw new IOException("cannot connect: address=" + address + ": " + e.getMessage(), e);
        }
        if (address instanceof InetSocketAddress) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        return SocketConnection.authenticate(channel, key, false);
    }
}
