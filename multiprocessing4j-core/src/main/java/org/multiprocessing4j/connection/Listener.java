package org.multiprocessing4j.connection;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.multiprocessing4j.internal.resource.RuntimeDir;
import org.multiprocessing4j.internal.wire.SocketConnection;

/**
 * A server socket that accepts authenticated connections: Python's {@code multiprocessing.connection.Listener}.
 * TCP for an {@link InetSocketAddress} (port 0 binds a free port: {@link #address()} tells which), a Unix-domain
 * socket for a {@link UnixDomainSocketAddress} (the socket file is removed by {@link #close()}).
 *
 * <p>{@link #accept()} runs the mutual HMAC-SHA256 challenge on the auth key (docs/wire-protocol.md) before it
 * returns, so nothing from a peer that does not know the key is ever deserialized. Interrupting a thread that
 * waits in {@code accept()} throws {@link InterruptedIOException} and leaves the listener open.
 */
public final class Listener implements AutoCloseable {
    private final ServerSocketChannel server;
    private final Selector selector;
    private final SocketAddress address;
    private final byte[] authKey;
    private final Path socketFile;

    /**
     * Binds a listener.
     *
     * @param address where to listen: an {@link InetSocketAddress} (port 0 for a free port), a
     *     {@link UnixDomainSocketAddress}, or {@code null} for a fresh Unix-domain socket in this process's private
     *     runtime directory
     * @param authKey the key every client must prove to know (Python's default is
     *     {@code Multiprocessing.currentProcess().authKey()}); copied
     * @throws NullPointerException if the key is {@code null}
     * @throws IllegalArgumentException if the key is empty or the address of an unknown kind
     * @throws IOException if the address cannot be bound (in use, no permission)
     */
    public Listener(SocketAddress address, byte[] authKey) throws IOException {
        this.authKey = checkKey(authKey);
        if (address == null) {
            address = UnixDomainSocketAddress.of(RuntimeDir.get().newSocketPath());
        }
        if (address instanceof UnixDomainSocketAddress) {
            server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            socketFile = ((UnixDomainSocketAddress) address).getPath();
        } else if (address instanceof InetSocketAddress) {
            server = ServerSocketChannel.open();
            server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            socketFile = null;
        } else {
            throw new IllegalArgumentException("unsupported address: class=" + address.getClass().getName()
                    + " (use InetSocketAddress or UnixDomainSocketAddress)");
        }
        Selector s = null;
        try {
            server.bind(address, 64);
            server.configureBlocking(false);
            s = Selector.open();
            server.register(s, SelectionKey.OP_ACCEPT);
        } catch (IOException | RuntimeException e) {
            server.close();
            if (s != null) {
                s.close();
            }
            throw new IOException("cannot listen: address=" + address + ": " + e.getMessage(), e);
        }
        this.selector = s;
        this.address = server.getLocalAddress();
    }

    static byte[] checkKey(byte[] authKey) {
        byte[] key = java.util.Objects.requireNonNull(authKey,
                "authKey (pass Multiprocessing.currentProcess().authKey() for this process's own key)");
        if (key.length == 0) {
            throw new IllegalArgumentException("authKey is empty: give a non-empty key");
        }
        return key.clone();
    }

    /**
     * Waits for a client and authenticates it.
     *
     * @return the connection, authenticated
     * @throws AuthenticationException if the client does not know the auth key (it is disconnected)
     * @throws InterruptedIOException if interrupted while waiting; the listener stays open
     * @throws IOException if the listener is closed, or the client fails otherwise (it does not speak the
     *     protocol, or takes longer than 20 s over the hand-shake)
     */
    public Connection accept() throws IOException {
        SocketChannel channel = waitForClient();
        if (channel.getRemoteAddress() instanceof InetSocketAddress) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        return SocketConnection.authenticate(channel, authKey, true);
    }

    private SocketChannel waitForClient() throws IOException {
        synchronized (server) {
            for (;;) {
                if (!server.isOpen()) {
                    throw new IOException("listener is closed: address=" + address);
                }
                SocketChannel channel = server.accept();
                if (channel != null) {
                    return channel;
                }
                try {
                    selector.select();
                    selector.selectedKeys().clear();
                } catch (ClosedSelectorException e) {
                    throw new IOException("listener is closed: address=" + address);
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted in Listener.accept; the listener stays open and "
                            + "the thread's interrupt status stays set");
                }
            }
        }
    }

    /** @return the bound address (with the real port for TCP port 0) */
    public SocketAddress address() {
        return address;
    }

    /** Stops listening and removes a Unix-domain socket file; idempotent. Connections made stay open. */
    @Override
    public void close() {
        try {
            server.close();
            selector.close();
        } catch (IOException e) {
            // nothing more to release
        }
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                // the runtime directory's clean-up retries
            }
        }
    }
}
