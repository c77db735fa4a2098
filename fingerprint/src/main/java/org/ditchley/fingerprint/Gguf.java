package org.ditchley.fingerprint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the header of a GGUF file, versions 2 and 3 (ggml docs/gguf.md): magic {@code GGUF},
 * version, tensor count, metadata count, the metadata key-value pairs (every value type,
 * arrays included, nested up to {@value #MAX_DEPTH} deep), the tensor infos, then tensor data
 * at {@code general.alignment} (default 32). All little-endian.
 *
 * <p>No count or length is trusted: each is checked against the bytes left in the file before
 * anything is allocated, and against absolute limits (at most {@value #MAX_TENSORS} tensors,
 * {@value #MAX_METADATA} metadata entries, names of up to {@value #MAX_NAME} bytes, and
 * {@value #MAX_KEPT} bytes of names and strings in all), so a hostile
 * header costs bounded memory whatever the file's size. Scalar metadata and strings up to
 * {@value #MAX_NAME} bytes are kept; a longer string is kept as its length, and an array as its
 * element type and length.
 */
public final class Gguf {

    public static final int MAX_DEPTH = 4;
    static final int DEFAULT_ALIGNMENT = 32;
    /** The longest tensor name or metadata key accepted (llama.cpp itself allows 64 bytes). */
    public static final int MAX_NAME = 4096;
    /** The most tensors a file may declare. */
    public static final int MAX_TENSORS = 1 << 18;
    /** The most metadata entries a file may declare. */
    public static final int MAX_METADATA = 1 << 16;
    /** The most bytes of names and strings a header may make the reader keep. */
    public static final long MAX_KEPT = 64L << 20;
    private static final int MAX_DIMS = 8;

    /** An array-valued metadata entry: its element type name and length. */
    public record ArrayValue(String type, long length) {
    }

    /** A metadata string longer than {@value #MAX_NAME} bytes, kept as its length. */
    public record LongString(long length) {
    }

    /** A parsed header: version, metadata, tensors in offset order, alignment and where data starts. */
    public record Header(int version, Map<String, Object> metadata, List<Tensor> tensors, int alignment, long dataOffset) {
    }

    private Gguf() {
    }

    public static Header read(Path file) throws IOException, MalformedModelException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return new Reader(ch, file.getFileName().toString()).header();
        }
    }

    public static Header read(FileChannel ch, String name) throws IOException, MalformedModelException {
        return new Reader(ch, name).header();
    }

    /** A cursor over the file that refuses to read, or size anything, past its end. */
    private static final class Reader {
        private final FileChannel ch;
        private final String name;
        private final long size;
        private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024).order(ByteOrder.LITTLE_ENDIAN);
        private long bufStart;
        private long at;
        private long kept;

        Reader(FileChannel ch, String name) throws IOException {
            this.ch = ch;
            this.name = name;
            this.size = ch.size();
            buf.limit(0);
        }

        Header header() throws IOException, MalformedModelException {
            if (size < 24) {
                throw bad("is " + size + " bytes, too short for a GGUF header");
            }
            int magic = u32();
            if (magic != 0x46554747) {
                throw bad("does not start with the magic GGUF");
            }
            int version = u32();
            if (version != 2 && version != 3) {
                throw bad("is GGUF version " + Integer.toUnsignedString(version) + "; versions 2 and 3 are read");
            }
            long tensorCount = u64();
            long kvCount = u64();
            // a key-value pair takes at least 8 + 4 + 1 bytes, a tensor info 8 + 4 + 4 + 8
            if (kvCount < 0 || kvCount > MAX_METADATA) {
                throw bad("declares " + Long.toUnsignedString(kvCount) + " metadata entries, more than " + MAX_METADATA);
            }
            if (tensorCount < 0 || tensorCount > MAX_TENSORS) {
                throw bad("declares " + Long.toUnsignedString(tensorCount) + " tensors, more than " + MAX_TENSORS);
            }
            if (kvCount > remaining() / 13) {
                throw bad("declares " + Long.toUnsignedString(kvCount) + " metadata entries, more than its " + remaining() + " bytes can hold");
            }
            if (tensorCount > remaining() / 24) {
                throw bad("declares " + Long.toUnsignedString(tensorCount) + " tensors, more than its " + remaining() + " bytes can hold");
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (long i = 0; i < kvCount; i++) {
                String key = name("metadata key " + i);
                int type = u32();
                Object value = value(type, key, 0);
                if (metadata.put(key, value) != null) {
                    throw bad("has metadata key " + key + " twice");
                }
            }
            int alignment = DEFAULT_ALIGNMENT;
            Object a = metadata.get("general.alignment");
            if (a != null) {
                if (!(a instanceof Long l) || l <= 0 || l > 1 << 20 || Long.bitCount(l) != 1) {
                    throw bad("has general.alignment " + a + ", not a power of two up to 1 MiB");
                }
                alignment = (int) (long) l;
            }
            record Info(String name, long[] dims, GgmlType type, long offset) {
            }
            List<Info> infos = new ArrayList<>();
            java.util.Set<String> names = new java.util.HashSet<>();
            for (long i = 0; i < tensorCount; i++) {
                String tensor = name("tensor name " + i);
                if (!Tensor.nameFits(tensor)) {
                    throw bad("has tensor name " + i + " of " + tensor.length() + " characters, not 1 to " + Tensor.MAX_NAME);
                }
                if (!names.add(tensor)) {
                    throw bad("has tensor " + tensor + " twice");
                }
                int nDims = u32();
                if (nDims < 0 || nDims > MAX_DIMS) {
                    throw bad("gives tensor " + tensor + " " + Integer.toUnsignedString(nDims) + " dimensions, more than " + MAX_DIMS);
                }
                long[] dims = new long[nDims];
                for (int d = 0; d < nDims; d++) {
                    dims[d] = u64();
                    if (dims[d] < 0) {
                        throw bad("gives tensor " + tensor + " dimension " + Long.toUnsignedString(dims[d]));
                    }
                }
                int typeId = u32();
                GgmlType type = GgmlType.of(typeId);
                if (type == null) {
                    throw bad("gives tensor " + tensor + " unknown type " + Integer.toUnsignedString(typeId));
                }
                long offset = u64();
                if (offset < 0 || offset % alignment != 0) {
                    throw bad("gives tensor " + tensor + " offset " + Long.toUnsignedString(offset) + ", not a multiple of " + alignment);
                }
                infos.add(new Info(tensor, dims, type, offset));
            }
            long dataOffset = (at + alignment - 1) / alignment * alignment;
            if (dataOffset > size) {
                throw bad("ends before its tensor data");
            }
            List<Tensor> tensors = new ArrayList<>();
            for (Info info : infos) {
                long bytes;
                try {
                    bytes = info.type().bytes(info.dims());
                } catch (ArithmeticException e) {
                    throw bad("gives tensor " + info.name() + " dimensions whose size overflows 64 bits");
                } catch (IllegalArgumentException e) {
                    throw bad("gives tensor " + info.name() + ": " + e.getMessage());
                }
                if (info.offset() > size - dataOffset || bytes > size - dataOffset - info.offset()) {
                    throw bad("has tensor " + info.name() + " past the end of the file");
                }
                List<Long> shape = new ArrayList<>();
                for (int d = info.dims().length - 1; d >= 0; d--) {
                    shape.add(info.dims()[d]);
                }
                tensors.add(new Tensor(info.name(), info.type().name(), shape, dataOffset + info.offset(), bytes));
            }
            tensors.sort(Comparator.comparingLong(Tensor::offset));
            for (int i = 1; i < tensors.size(); i++) {
                if (tensors.get(i).offset() < tensors.get(i - 1).end()) {
                    throw bad("has tensor " + tensors.get(i).name() + " overlapping " + tensors.get(i - 1).name());
                }
            }
            return new Header(version, metadata, List.copyOf(tensors), alignment, dataOffset);
        }

        private Object value(int type, String key, int depth) throws IOException, MalformedModelException {
            switch (type) {
                case 0: return (long) (u8() & 0xff);
                case 1: return (long) (byte) u8();
                case 2: return (long) (u16() & 0xffff);
                case 3: return (long) (short) u16();
                case 4: return (long) u32() & 0xffffffffL;
                case 5: return (long) u32();
                case 6: return (double) Float.intBitsToFloat(u32());
                case 7: {
                    int b = u8();
                    if (b != 0 && b != 1) {
                        throw bad("has metadata " + key + " with boolean byte " + b);
                    }
                    return b == 1;
                }
                case 8: {
                    long length = length("metadata " + key);
                    if (length > MAX_NAME) {
                        skip(length);
                        return new LongString(length);
                    }
                    return utf8((int) length, "metadata " + key);
                }
                case 9: {
                    if (depth >= MAX_DEPTH) {
                        throw bad("nests arrays in metadata " + key + " deeper than " + MAX_DEPTH);
                    }
                    int element = u32();
                    long count = u64();
                    long least = switch (element) {
                        case 0, 1, 7 -> 1;
                        case 2, 3 -> 2;
                        case 4, 5, 6 -> 4;
                        case 10, 11, 12, 8 -> 8;
                        case 9 -> 12;
                        default -> throw bad("has metadata " + key + " with unknown array element type " + Integer.toUnsignedString(element));
                    };
                    if (count < 0 || count > remaining() / least) {
                        throw bad("declares " + Long.toUnsignedString(count) + " elements in metadata " + key + ", more than its bytes can hold");
                    }
                    for (long i = 0; i < count; i++) {
                        value(element, key, depth + 1);
                    }
                    return new ArrayValue(typeName(element), count);
                }
                case 10: return u64();
                case 11: return u64();
                case 12: return Double.longBitsToDouble(u64());
                default: throw bad("has metadata " + key + " with unknown value type " + Integer.toUnsignedString(type));
            }
        }

        private static String typeName(int type) {
            return switch (type) {
                case 0 -> "uint8"; case 1 -> "int8"; case 2 -> "uint16"; case 3 -> "int16"; case 4 -> "uint32";
                case 5 -> "int32"; case 6 -> "float32"; case 7 -> "bool"; case 8 -> "string"; case 9 -> "array";
                case 10 -> "uint64"; case 11 -> "int64"; default -> "float64";
            };
        }

        /** A u64-length-prefixed UTF-8 name of up to {@value #MAX_NAME} bytes. */
        private String name(String what) throws IOException, MalformedModelException {
            long length = length(what);
            if (length > MAX_NAME) {
                throw bad("has " + what + " of " + length + " bytes, longer than " + MAX_NAME);
            }
            return utf8((int) length, what);
        }

        /** A u64 string length, checked against the bytes left. */
        private long length(String what) throws IOException, MalformedModelException {
            long length = u64();
            if (length < 0 || length > remaining()) {
                throw bad("declares " + what + " of " + Long.toUnsignedString(length) + " bytes, more than the " + remaining() + " left");
            }
            return length;
        }

        private String utf8(int length, String what) throws IOException, MalformedModelException {
            kept += length;
            if (kept > MAX_KEPT) {
                throw bad("has more than " + MAX_KEPT + " bytes of names and strings");
            }
            byte[] bytes = new byte[length];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) u8();
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw bad("has " + what + " that is not UTF-8");
            }
        }

        private long remaining() {
            return size - at;
        }

        private void need(int n) throws IOException, MalformedModelException {
            if (n > remaining()) {
                throw bad("ends early, at byte " + size);
            }
            if (at + n > bufStart + buf.limit()) {
                buf.clear();
                bufStart = at;
                while (buf.position() < n) {
                    if (ch.read(buf, bufStart + buf.position()) < 0) {
                        throw bad("ends early, at byte " + (bufStart + buf.position()));
                    }
                }
                buf.flip();
            }
            buf.position((int) (at - bufStart));
            at += n;
        }

        private void skip(long n) {
            at += n;
        }

        private int u8() throws IOException, MalformedModelException {
            need(1);
            return buf.get() & 0xff;
        }

        private int u16() throws IOException, MalformedModelException {
            need(2);
            return buf.getShort() & 0xffff;
        }

        private int u32() throws IOException, MalformedModelException {
            need(4);
            return buf.getInt();
        }

        private long u64() throws IOException, MalformedModelException {
            need(8);
            return buf.getLong();
        }

        private MalformedModelException bad(String problem) {
            return new MalformedModelException("GGUF file " + name + " " + problem);
        }
    }
}
