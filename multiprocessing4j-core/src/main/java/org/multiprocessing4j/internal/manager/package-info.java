/**
 * The machinery of {@code org.multiprocessing4j.manager}: the server ({@link
 * org.multiprocessing4j.internal.manager.ManagerServer}: accept, per-connection threads, {@link
 * org.multiprocessing4j.internal.manager.Dispatcher}, {@link org.multiprocessing4j.internal.manager.ObjectTable}),
 * the client ({@link org.multiprocessing4j.internal.manager.ClientSession}, {@link
 * org.multiprocessing4j.internal.manager.RemoteHandler}), and between them the protocol: {@link
 * org.multiprocessing4j.internal.manager.Request}s and {@link org.multiprocessing4j.internal.manager.Reply}s in the
 * frames of {@link org.multiprocessing4j.internal.manager.RequestCodec}, proxies as {@link
 * org.multiprocessing4j.internal.manager.ObjectRef}s. Start from ManagerServer's overview, then ClientSession's.
 */
package org.multiprocessing4j.internal.manager;
