package org.multiprocessing4j.internal.manager;

import java.io.ObjectStreamException;
import java.io.Serializable;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * What a proxy is on the wire: which server, its auth key, which object, which interface, and which client session
 * the sender counted it for. Deserialized, it becomes the proxy's handler again: inside the server that holds the
 * object, a {@link LocalHandler} (and the object is pinned); anywhere else, a {@link RemoteHandler} of this
 * process's session with that server. The server counted the reference for the session named here (it does so
 * when it serializes a proxy into a reply); any other session adopts it first (one more reference). A client that
 * serializes a proxy names no session (0), so every receiver adopts. The session releases its references once
 * the proxies made from them are garbage-collected ({@link ClientSession#track}).
 *
 * <p>The auth key travels with the proxy, as the address does: a proxy handed to a child must reconnect there even
 * when the manager's key is not the child's inherited one. Treat a serialized proxy as a secret.
 */
final class ObjectRef implements Serializable {
    private static final long serialVersionUID = 1L;

    final SocketAddress address;
    final byte[] key;
    final int id;
    final String type;
    final long session;

    ObjectRef(SocketAddress address, byte[] key, int id, String type, long session) {
        this.address = Objects.requireNonNull(address, "address");
        this.key = key;
        this.id = id;
        this.type = type;
        this.session = session;
    }

    private Object readResolve() throws ObjectStreamException {
        ServerScope scope = ServerScope.current();
        if (scope != null && scope.address.equals(address)) {
            scope.table.pin(id);
            return new LocalHandler(scope, scope.table.get(id));
        }
        ClientSession s = ClientSession.decoding(address);
        if (s == null) {
            s = ClientSession.of(address, key);
        }
        if (s.id() != session) {
            s.adopt(id);
        }
        RemoteHandler h = new RemoteHandler(s, this);
        s.track(h, id);
        return h;
    }

    @Override
    public String toString() {
        return "ObjectRef[address=" + address + " id=" + id + " type=" + type + "]";
    }
}
