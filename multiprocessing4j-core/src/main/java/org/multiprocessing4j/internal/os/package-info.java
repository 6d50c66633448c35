/**
 * What the library asks of the operating system beyond the JDK's process API: random bytes for secrets and
 * challenges without the JCA provider framework's start-up cost, this process's pid, and how busy the machine's
 * cores are (for the library's background work). Start from
 * {@link org.multiprocessing4j.internal.os.Nonces}.
 */
package org.multiprocessing4j.internal.os;
