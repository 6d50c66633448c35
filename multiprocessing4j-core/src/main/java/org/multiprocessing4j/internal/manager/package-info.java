/**
 * The machinery of {@code org.multiprocessing4j.manager}: the server ({@link
 * org.multiprocessing4j.internal.manager.ManagerServer}: accept, per-connection threads, {@link
 * org.multiprocessing4j.internal.manager.Dispatcher}, {@link org.multiprocessing4j.internal.manager.ObjectTable}),
 * the client ({@link org.multiprocessing4j.internal.manager.ClientSession}, {@link
 * org.multiprocessing4j.internal.manager.RemoteHandler}), and between them the protocol: {@link
 * org.multiprocessing4j.internal.manager.Request}s and {@link org.multiprocessing4j.internal.manager.Reply}s in the
 * frames of {@link org.multiprocessing4j.internal.manager.RequestCodec}, proxies as {@link
 * org.multiprocessing4j.internal.manager.ObjectRef}s. A call's hot path (a {@link
 * org.multiprocessing4j.internal.manager.Route} per proxy method, frames in each connection's reused {@link
 * org.multiprocessing4j.internal.manager.CallChannel}, a dict's common methods in {@link
 * org.multiprocessing4j.internal.manager.DirectMap}) is described in docs/managers.md. Start from ManagerServer's
 * overview, then ClientSession's.
 */
package org.multiprocessing4j.internal.manager;
