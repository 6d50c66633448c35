/**
 * The bytes on the wire: length-prefixed frames and the mutual HMAC hand-shake that precedes everything else on
 * a stream. The protocol is written down as numbered steps in docs/wire-protocol.md. Start from
 * {@link org.multiprocessing4j.internal.wire.Handshake}.
 */
package org.multiprocessing4j.internal.wire;
