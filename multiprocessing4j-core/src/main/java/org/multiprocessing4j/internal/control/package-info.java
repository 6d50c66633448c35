/**
 * The control channel between a parent and each child JVM: the bootstrap line on the child's stdin, the
 * authenticated Unix-domain socket, and the messages on it (a sealed interface of records). Used by both sides of
 * the process boundary ({@code internal.launch} in the parent, {@code internal.child} in the child). Start from
 * {@link org.multiprocessing4j.internal.control.ControlMessage}.
 */
package org.multiprocessing4j.internal.control;
