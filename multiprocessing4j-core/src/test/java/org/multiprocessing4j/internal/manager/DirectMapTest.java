package org.multiprocessing4j.internal.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.junit.jupiter.api.Test;

/** The dict methods the server calls without reflection behave exactly as the reflective call would. */
class DirectMapTest {
    private static final MethodTable TABLE = MethodTable.of(ConcurrentMap.class);

    private static ObjectTable.Entry dict(ConcurrentHashMap<Object, Object> map) {
        return new ObjectTable().add(map, ConcurrentMap.class, true);
    }

    private static int number(String name, Class<?>... params) throws Exception {
        return TABLE.indexOf(Map.class.getMethod(name, params));
    }

    @Test
    void everyDirectOperationMatchesTheReflectiveCall() throws Exception {
        Object[][] calls = {
            {"put", new Class<?>[] {Object.class, Object.class}, new Object[] {"a", 1}},
            {"put", new Class<?>[] {Object.class, Object.class}, new Object[] {"a", 2}},
            {"get", new Class<?>[] {Object.class}, new Object[] {"a"}},
            {"get", new Class<?>[] {Object.class}, new Object[] {"missing"}},
            {"containsKey", new Class<?>[] {Object.class}, new Object[] {"a"}},
            {"containsKey", new Class<?>[] {Object.class}, new Object[] {"b"}},
            {"putIfAbsent", new Class<?>[] {Object.class, Object.class}, new Object[] {"a", 9}},
            {"putIfAbsent", new Class<?>[] {Object.class, Object.class}, new Object[] {"b", 3}},
            {"getOrDefault", new Class<?>[] {Object.class, Object.class}, new Object[] {"zz", 7}},
            {"getOrDefault", new Class<?>[] {Object.class, Object.class}, new Object[] {"b", 7}},
            {"size", new Class<?>[0], null},
            {"isEmpty", new Class<?>[0], null},
            {"remove", new Class<?>[] {Object.class}, new Object[] {"a"}},
            {"remove", new Class<?>[] {Object.class}, new Object[] {"a"}},
        };
        ConcurrentHashMap<Object, Object> direct = new ConcurrentHashMap<>();
        ConcurrentHashMap<Object, Object> reflective = new ConcurrentHashMap<>();
        ObjectTable.Entry e = dict(direct);
        int directOps = 0;
        for (Object[] c : calls) {
            int method = number((String) c[0], (Class<?>[]) c[1]);
            Object[] args = (Object[]) c[2];
            int op = DirectMap.op(e, method, args);
            assertNotEquals(DirectMap.NONE, op, "direct: " + c[0]);
            directOps++;
            Object expected = TABLE.method(method).invoke(reflective, args);
            assertEquals(expected, DirectMap.run(op, direct, args), c[0] + " " + java.util.Arrays.toString(args));
            assertEquals(reflective, direct);
        }
        assertEquals(calls.length, directOps);
    }

    @Test
    void otherMethodsWrongArgumentCountsAndOtherObjectsGoThroughReflection() throws Exception {
        ObjectTable.Entry e = dict(new ConcurrentHashMap<>());
        assertEquals(DirectMap.NONE, DirectMap.op(e, number("get", Object.class), new Object[] {"a", "b"}));
        assertEquals(DirectMap.NONE, DirectMap.op(e, number("get", Object.class), null));
        assertEquals(DirectMap.NONE, DirectMap.op(e, number("clear"), null));
        assertEquals(DirectMap.NONE, DirectMap.op(e, TABLE.size(), new Object[] {"a"}));
        assertEquals(DirectMap.NONE, DirectMap.op(e, -1, new Object[] {"a"}));
        ObjectTable.Entry registered = new ObjectTable().add(new ConcurrentHashMap<>(), ConcurrentMap.class, false);
        assertEquals(DirectMap.NONE, DirectMap.op(registered, number("get", Object.class), new Object[] {"a"}));
        List<Object> list = new ArrayList<>();
        ObjectTable.Entry notAMap = new ObjectTable().add(list, List.class, true);
        Method size = List.class.getMethod("size");
        assertEquals(DirectMap.NONE, DirectMap.op(notAMap, MethodTable.of(List.class).indexOf(size), null));
    }
}
