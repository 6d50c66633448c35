package org.multiprocessing4j.internal.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.StreamCorruptedException;
import java.io.UncheckedIOException;
import java.lang.invoke.SerializedLambda;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * What identifies one lambda expression (or method reference) of a serializable functional interface: everything a
 * {@link SerializedLambda} holds except the captured values. Two lambdas of one shape share one class in a JVM, so
 * a JVM that is told a shape ahead of time can make that class before any value of it arrives
 * ({@link Lambdas#prepare}).
 *
 * @param capturingClass the class whose code holds the lambda, binary name with '/'
 * @param interfaceClass the functional interface, binary name with '/'
 * @param interfaceMethod its method's name
 * @param interfaceSignature its method's descriptor (erased)
 * @param implKind the implementation's method handle kind ({@code MethodHandleInfo.REF_*})
 * @param implClass the class declaring the implementation, binary name with '/'
 * @param implName the implementation's name
 * @param implSignature the implementation's descriptor
 * @param instantiatedSignature the interface method's descriptor as instantiated
 * @param markers further interfaces of the lambda's class (an intersection cast), binary names with '.'
 * @param captured how many values the lambda captures
 */
public record LambdaShape(String capturingClass, String interfaceClass, String interfaceMethod,
                          String interfaceSignature, int implKind, String implClass, String implName,
                          String implSignature, String instantiatedSignature, List<String> markers, int captured) {
    private static final int MAX_MARKERS = 64;
    private static final int MAX_CAPTURED = 255; // a JVM method takes at most 255 parameter slots

    /**
     * @param form a lambda's serialized form
     * @param markers the further interfaces of its class
     * @return its shape
     */
    public static LambdaShape of(SerializedLambda form, List<String> markers) {
        return new LambdaShape(form.getCapturingClass(), form.getFunctionalInterfaceClass(),
                form.getFunctionalInterfaceMethodName(), form.getFunctionalInterfaceMethodSignature(),
                form.getImplMethodKind(), form.getImplClass(), form.getImplMethodName(),
                form.getImplMethodSignature(), form.getInstantiatedMethodType(), List.copyOf(markers),
                form.getCapturedArgCount());
    }

    /**
     * @param capturing the capturing class, loaded
     * @param captured the captured values, {@link #captured} of them
     * @return the serialized form of a lambda of this shape with these values
     */
    SerializedLambda withValues(Class<?> capturing, Object[] captured) {
        return new SerializedLambda(capturing, interfaceClass, interfaceMethod, interfaceSignature, implKind,
                implClass, implName, implSignature, instantiatedSignature, captured);
    }

    // equals and hashCode by hand: a record's own go through an invokedynamic whose first call costs ~2 ms in a JVM
    // that has just started, on the path of a process start

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LambdaShape)) {
            return false;
        }
        LambdaShape s = (LambdaShape) o;
        return implKind == s.implKind && captured == s.captured && implName.equals(s.implName)
                && capturingClass.equals(s.capturingClass) && implClass.equals(s.implClass)
                && implSignature.equals(s.implSignature) && interfaceClass.equals(s.interfaceClass)
                && interfaceMethod.equals(s.interfaceMethod) && interfaceSignature.equals(s.interfaceSignature)
                && instantiatedSignature.equals(s.instantiatedSignature) && markers.equals(s.markers);
    }

    @Override
    public int hashCode() {
        return (capturingClass.hashCode() * 31 + implName.hashCode()) * 31 + implSignature.hashCode();
    }

    /** @return the shape's bytes, as {@link #writeTo} writes them */
    public byte[] toBytes() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail; a name over 64 KiB is refused earlier
        }
        return bytes.toByteArray();
    }

    /**
     * @param bytes what {@link #toBytes} made
     * @return the shape
     * @throws IOException if the bytes are corrupt
     */
    public static LambdaShape fromBytes(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        LambdaShape shape = readFrom(in);
        if (in.available() != 0) {
            throw new StreamCorruptedException(in.available() + " bytes after a lambda shape: corrupt stream");
        }
        return shape;
    }

    /**
     * @param bytes a shape's bytes
     * @return the hash that travels with them, so a receiver finds what it made for them without decoding them
     */
    static int hash(byte[] bytes) {
        return java.util.Arrays.hashCode(bytes);
    }

    /**
     * Encodes shapes for a JVM started ahead of time to {@link Lambdas#prepare}.
     *
     * @param shapes the shapes
     * @return their encoding
     */
    public static byte[] encodeAll(Collection<LambdaShape> shapes) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 * shapes.size() + 1);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(shapes.size());
            for (LambdaShape s : shapes) {
                s.writeTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail; a name over 64 KiB is refused earlier
        }
        return bytes.toByteArray();
    }

    /**
     * @param in a stream at what {@link #encodeAll} made
     * @return the shapes
     * @throws IOException if the encoding is corrupt
     */
    public static List<LambdaShape> readAll(DataInputStream in) throws IOException {
        int n = in.readUnsignedByte();
        List<LambdaShape> shapes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            shapes.add(readFrom(in));
        }
        return shapes;
    }

    /**
     * Writes the shape.
     *
     * @param out the stream
     * @throws IOException if the stream fails, or a name is longer than 65535 bytes
     */
    public void writeTo(DataOutput out) throws IOException {
        out.writeUTF(capturingClass);
        out.writeUTF(interfaceClass);
        out.writeUTF(interfaceMethod);
        out.writeUTF(interfaceSignature);
        out.writeByte(implKind);
        out.writeUTF(implClass);
        out.writeUTF(implName);
        out.writeUTF(implSignature);
        out.writeUTF(instantiatedSignature);
        out.writeByte(markers.size());
        for (String m : markers) {
            out.writeUTF(m);
        }
        out.writeByte(captured);
    }

    /**
     * Reads a shape that {@link #writeTo} wrote.
     *
     * @param in the stream
     * @return the shape
     * @throws IOException if the stream fails or is corrupt
     */
    public static LambdaShape readFrom(DataInput in) throws IOException {
        String capturing = in.readUTF();
        String iface = in.readUTF();
        String method = in.readUTF();
        String signature = in.readUTF();
        int kind = in.readUnsignedByte();
        String implClass = in.readUTF();
        String implName = in.readUTF();
        String implSignature = in.readUTF();
        String instantiated = in.readUTF();
        int markerCount = in.readUnsignedByte();
        if (markerCount > MAX_MARKERS) {
            throw new StreamCorruptedException("lambda shape with " + markerCount + " marker interfaces (at most "
                    + MAX_MARKERS + "): corrupt stream");
        }
        List<String> markers = new ArrayList<>(markerCount);
        for (int i = 0; i < markerCount; i++) {
            markers.add(in.readUTF());
        }
        int captured = in.readUnsignedByte();
        if (captured > MAX_CAPTURED) {
            throw new StreamCorruptedException("lambda shape capturing " + captured + " values: corrupt stream");
        }
        return new LambdaShape(capturing, iface, method, signature, kind, implClass, implName, implSignature,
                instantiated, List.copyOf(markers), captured);
    }
}
