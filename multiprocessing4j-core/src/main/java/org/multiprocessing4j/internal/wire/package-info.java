/**
 * The bytes on the wire: length-prefixed frames, the mutual HMAC hand-shake that precedes everything else on a
 * stream, and the stream {@code Connection} ({@link org.multiprocessing4j.internal.wire.SocketConnection} over a
 * {@link org.multiprocessing4j.internal.wire.NonBlockingSocket}, whose waits an interrupt cannot turn into a closed
 * channel). The protocol is written down as numbered steps in docs/wire-protocol.md. Start from
 * {@link org.multiprocessing4j.internal.wire.Handshake}, then {@link org.multiprocessing4j.internal.wire.SocketConnection}.
 */
package org.multiprocessing4j.internal.wire;
