package org.multiprocessing4j.examples;

import java.util.Arrays;
import java.util.List;
import org.multiprocessing4j.ChildProcess;
import org.multiprocessing4j.connection.Connection;
import org.multiprocessing4j.connection.Pipe;

/**
 * Python's documentation, "Exchanging objects between processes", pipes: a child sends a list through its end of a
 * pipe and the parent receives it.
 *
 * <pre>
 * def f(conn):
 *     conn.send([42, None, 'hello']); conn.close()
 * parent_conn, child_conn = Pipe(); p = Process(target=f, args=(child_conn,)); p.start()
 * print(parent_conn.recv()); p.join()
 * </pre>
 */
public final class PipeExample {
    private PipeExample() {
    }

    /**
     * Runs the example.
     *
     * @param args none
     * @throws Exception if the child cannot be started or the pipe fails
     */
    public static void main(String[] args) throws Exception {
        System.out.println(run());
    }

    /** @return what the parent received */
    static List<Object> run() throws Exception {
        Pipe pipe = Pipe.open();
        Connection parentConn = pipe.left();
        Connection childConn = pipe.right();
        ChildProcess p = new ChildProcess(() -> f(childConn));
        p.start();
        childConn.close(); // the child holds its own copy now, as in Python
        List<Object> got = parentConn.recv();
        p.join();
        parentConn.close();
        return got;
    }

    static void f(Connection conn) throws Exception {
        conn.send(Arrays.asList(42, null, "hello"));
        conn.close();
    }
}
