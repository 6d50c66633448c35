/**
 * Serialization of everything that crosses a process boundary: the {@link org.multiprocessing4j.internal.codec.Codec}
 * interface and its default, {@link org.multiprocessing4j.internal.codec.JdkCodec} (JDK serialization with fast
 * paths and a deserialization filter).
 */
package org.multiprocessing4j.internal.codec;
