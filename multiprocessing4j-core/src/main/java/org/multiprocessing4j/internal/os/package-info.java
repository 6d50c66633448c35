/**
 * What the library asks of the operating system beyond the JDK's process API: random bytes for secrets and
 * challenges without the JCA provider framework's start-up cost. Start from
 * {@link org.multiprocessing4j.internal.os.Nonces}.
 */
package org.multiprocessing4j.internal.os;
