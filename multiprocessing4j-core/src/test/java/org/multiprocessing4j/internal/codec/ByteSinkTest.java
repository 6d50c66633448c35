package org.multiprocessing4j.internal.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one growable buffer that messages are written into: fields big-endian, values as the codec encodes them. */
class ByteSinkTest {
    @Test
    void fieldsAreBigEndianAndReadBackByDataInput() throws Exception {
        ByteSink sink = new ByteSink(16);
        sink.putByte(0xfe).putShort(0xbeef).putInt(-123456789).putLong(0x0102030405060708L).putString("héllo")
                .putBytes(new byte[] {9, 8, 7});
        sink.write(new byte[] {1, 2, 3, 4}, 1, 2);
        sink.write(5);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(sink.toByteArray()));
        assertEquals(0xfe, in.readUnsignedByte());
        assertEquals(0xbeef, in.readUnsignedShort());
        assertEquals(-123456789, in.readInt());
        assertEquals(0x0102030405060708L, in.readLong());
        byte[] s = new byte[in.readInt()];
        in.readFully(s);
        assertEquals("héllo", new String(s, StandardCharsets.UTF_8));
        assertEquals(3, in.readInt());
        assertEquals(9, in.readByte());
        in.skipBytes(2);
        assertEquals(2, in.readByte());
        assertEquals(3, in.readByte());
        assertEquals(5, in.readByte());
        assertEquals(-1, in.read());
    }

    @Test
    void valuesAreEncodedAsTheCodecEncodesThem() throws Exception {
        JdkCodec codec = JdkCodec.INSTANCE;
        for (Object v : new Object[] {null, 7, 1L << 40, "text", new byte[] {1, 2}, 2.5, true, List.of(1, 2)}) {
            ByteSink sink = new ByteSink(16);
            sink.putByte(1).putValue(v).putEncoded(v);
            byte[] all = sink.toByteArray();
            byte[] encoded = codec.encode(v);
            int length = (all[1] & 0xff) << 24 | (all[2] & 0xff) << 16 | (all[3] & 0xff) << 8 | (all[4] & 0xff);
            assertEquals(encoded.length, length, String.valueOf(v));
            assertEquals(1 + 4 + 2 * encoded.length, all.length, String.valueOf(v));
            byte[] first = java.util.Arrays.copyOfRange(all, 5, 5 + length);
            byte[] second = java.util.Arrays.copyOfRange(all, 5 + length, all.length);
            assertArrayEquals(encoded, first, String.valueOf(v));
            assertArrayEquals(encoded, second, String.valueOf(v));
        }
    }

    @Test
    void aLengthIsPatchedInPlaceAndAGrownArrayIsGivenUpAtReset() {
        ByteSink sink = new ByteSink(16, 64);
        sink.putInt(0).putLong(1);
        sink.putIntAt(0, 12);
        assertEquals(12, sink.size());
        assertEquals(12, sink.array()[3]);
        byte[] small = sink.reset().array();
        assertEquals(0, sink.size());
        assertSame(small, sink.reset().array());
        for (int i = 0; i < 100; i++) {
            sink.putLong(i);
        }
        assertEquals(800, sink.size());
        byte[] grown = sink.array();
        assertNotSame(grown, sink.reset().array());
        assertEquals(16, sink.array().length);
        ByteSink kept = new ByteSink(16);
        for (int i = 0; i < 100; i++) {
            kept.putLong(i);
        }
        byte[] keptArray = kept.array();
        assertSame(keptArray, kept.reset().array());
    }

    @Test
    void bytesWrittenOutAreDroppedFromTheFront() {
        ByteSink sink = new ByteSink(16);
        sink.putInt(1).putInt(2).putInt(3);
        sink.dropFirst(4);
        assertEquals(8, sink.size());
        assertEquals(2, sink.array()[3]);
        assertEquals(3, sink.array()[7]);
        sink.dropFirst(8);
        assertEquals(0, sink.size());
        org.junit.jupiter.api.Assertions.assertThrows(IndexOutOfBoundsException.class, () -> sink.dropFirst(1));
    }
}
