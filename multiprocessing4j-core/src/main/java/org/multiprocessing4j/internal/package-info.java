/**
 * The library's implementation; not exported by the module. Sub-packages hold one mechanism each:
 * {@code launch} (parent side of a child JVM), {@code child} (inside the child), {@code control} (the channel
 * between them), {@code wire} (framing and authentication), {@code codec} (serialization), {@code resource}
 * (files that must not outlive their owners).
 */
package org.multiprocessing4j.internal;
