package org.ditchley.fingerprint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads the header of a safetensors file (huggingface/safetensors format): a little-endian u64
 * header length {@code N}, {@code N} bytes of UTF-8 JSON, then the byte buffer. The JSON maps
 * each tensor name to {@code dtype}, {@code shape} and {@code data_offsets} (relative to the
 * buffer), with an optional {@code __metadata__} of string values.
 *
 * <p>Everything is checked before it is trusted: the header length against the file and
 * {@value #MAX_HEADER} bytes; the number of tensors against {@value #MAX_TENSORS}; the JSON, read as
 * a stream, for nesting, duplicate names and types; each dtype is
 * known; shape × element size equals the tensor's byte range without overflow; and the ranges,
 * in order, cover the buffer exactly, with no overlap and no hole.
 */
public final class Safetensors {

    /** The largest header accepted, as the reference implementation limits it. */
    public static final long MAX_HEADER = 100_000_000L;
    /** The most tensors a file may describe, so that the parsed header stays small whatever the file. */
    public static final int MAX_TENSORS = 1 << 18;

    private static final Map<String, Integer> SIZES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E5M2", 1), Map.entry("F8_E4M3", 1),
            Map.entry("F8_E8M0", 1), Map.entry("I16", 2), Map.entry("U16", 2), Map.entry("F16", 2), Map.entry("BF16", 2),
            Map.entry("I32", 4), Map.entry("U32", 4), Map.entry("F32", 4), Map.entry("I64", 8), Map.entry("U64", 8),
            Map.entry("F64", 8));

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(8).maxNumberLength(40).build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /** A parsed header: the file's tensors in offset order and its metadata. */
    public record Header(long headerLength, List<Tensor> tensors, Map<String, String> metadata) {
    }

    private Safetensors() {
    }

    public static Header read(Path file) throws IOException, MalformedModelException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, file.getFileName().toString());
        }
    }

    /** Reads the header of the safetensors data in {@code ch}; {@code name} is for messages. */
    public static Header read(FileChannel ch, String name) throws IOException, MalformedModelException {
        long size = ch.size();
        if (size < 8) {
            throw bad(name, "is " + size + " bytes, too short for the 8-byte header length");
        }
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, len, 0, name);
        long n = len.flip().getLong();
        if (n < 0 || n > MAX_HEADER) {
            throw bad(name, "declares a header of " + Long.toUnsignedString(n) + " bytes, above the limit of " + MAX_HEADER);
        }
        if (n > size - 8) {
            throw bad(name, "declares a header of " + n + " bytes but has only " + (size - 8) + " after the length");
        }
        if (n < 2) {
            throw bad(name, "has a header of " + n + " bytes, too short for a JSON object");
        }
        ByteBuffer header = ByteBuffer.allocate((int) n);
        readFully(ch, header, 8, name);
        header.flip();
        if (!utf8(header.duplicate())) {
            throw bad(name, "has a header that is not UTF-8");
        }
        if (header.get(0) != '{') {
            throw bad(name, "has a header that does not start with '{'");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Tensor> tensors = new ArrayList<>();
        // read as a stream of tokens: memory stays at the parsed tensors whatever the header holds
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), header.array(), 0, (int) n)) {
            p.nextToken();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String key = p.currentName();
                p.nextToken();
                if (key.equals("__metadata__")) {
                    metadata(p, metadata, name);
                } else {
                    if (tensors.size() == MAX_TENSORS) {
                        throw bad(name, "has more than " + MAX_TENSORS + " tensors");
                    }
                    if (!Tensor.nameFits(key)) {
                        throw bad(name, "has a tensor name of " + key.length() + " characters, not 1 to " + Tensor.MAX_NAME);
                    }
                    tensors.add(tensor(key, p, 8 + n, name));
                }
            }
            if (t != JsonToken.END_OBJECT) {
                throw bad(name, "has a header that is not a JSON object");
            }
            if (p.nextToken() != null) {
                throw bad(name, "has a header with more after its JSON object");
            }
        } catch (JacksonException e) {
            throw bad(name, "has a header that is not valid JSON: " + e.getOriginalMessage());
        }
        tensors.sort(Comparator.comparingLong(Tensor::offset).thenComparingLong(Tensor::length));
        long at = 8 + n;
        for (Tensor t : tensors) {
            if (t.offset() < at) {
                throw bad(name, "tensor " + t.name() + " overlaps the tensor before it");
            }
            if (t.offset() > at) {
                throw bad(name, "has a hole of " + (t.offset() - at) + " bytes before tensor " + t.name());
            }
            at = t.end();
        }
        if (at != size) {
            throw bad(name, at > size ? "has tensors past the end of the file" : "has " + (size - at) + " bytes after its last tensor");
        }
        return new Header(n, List.copyOf(tensors), Map.copyOf(metadata));
    }

    /** Reads the {@code __metadata__} object at the parser's current token: a map of strings to strings. */
    private static void metadata(JsonParser p, Map<String, String> into, String name) throws MalformedModelException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad(name, "has __metadata__ that is not an object");
        }
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String key = p.currentName();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw bad(name, "has __metadata__ value " + shown(key) + " that is not a string");
            }
            into.put(key, p.getString());
        }
    }

    /** Whether the bytes are well-formed UTF-8, decoded through a small window rather than into one string. */
    private static boolean utf8(ByteBuffer bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer window = CharBuffer.allocate(8192);
        while (true) {
            CoderResult r = decoder.decode(bytes, window.clear(), true);
            if (r.isError()) {
                return false;
            }
            if (r.isUnderflow()) {
                return decoder.flush(window.clear()).isUnderflow();
            }
        }
    }

    /** Reads the description of {@code tensor} at the parser's current token; fields other than the three are skipped. */
    private static Tensor tensor(String tensor, JsonParser p, long base, String name) throws MalformedModelException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw bad(name, "describes tensor " + tensor + " with something other than an object");
        }
        String dtype = null;
        List<Long> shape = null;
        long[] offsets = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "dtype" -> {
                    if (value != JsonToken.VALUE_STRING || !SIZES.containsKey(p.getString())) {
                        throw bad(name, "gives tensor " + tensor + " an unknown dtype "
                                + (value == JsonToken.VALUE_STRING ? "\"" + shown(p.getString()) + "\"" : shown(p.getText())));
                    }
                    dtype = p.getString();
                }
                case "shape" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw bad(name, "gives tensor " + tensor + " no shape of up to 64 dimensions");
                    }
                    shape = new ArrayList<>();
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (shape.size() == 64) {
                            throw bad(name, "gives tensor " + tensor + " no shape of up to 64 dimensions");
                        }
                        shape.add(natural(p, "a shape dimension of " + tensor, name));
                    }
                }
                case "data_offsets" -> {
                    if (value != JsonToken.START_ARRAY) {
                        throw bad(name, "gives tensor " + tensor + " no data_offsets [begin, end]");
                    }
                    offsets = new long[2];
                    int count = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (count == 2) {
                            throw bad(name, "gives tensor " + tensor + " no data_offsets [begin, end]");
                        }
                        offsets[count] = natural(p, (count == 0 ? "the begin offset of " : "the end offset of ") + tensor, name);
                        count++;
                    }
                    if (count != 2) {
                        throw bad(name, "gives tensor " + tensor + " no data_offsets [begin, end]");
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (dtype == null) {
            throw bad(name, "gives tensor " + tensor + " an unknown dtype (none)");
        }
        if (shape == null) {
            throw bad(name, "gives tensor " + tensor + " no shape of up to 64 dimensions");
        }
        if (offsets == null) {
            throw bad(name, "gives tensor " + tensor + " no data_offsets [begin, end]");
        }
        long begin = offsets[0];
        long end = offsets[1];
        if (end < begin) {
            throw bad(name, "gives tensor " + tensor + " an end offset before its begin");
        }
        long bytes;
        try {
            bytes = SIZES.get(dtype);
            for (long d : shape) {
                bytes = Math.multiplyExact(bytes, d);
            }
        } catch (ArithmeticException e) {
            throw bad(name, "gives tensor " + tensor + " a shape whose size overflows 64 bits");
        }
        if (bytes != end - begin) {
            throw bad(name, "gives tensor " + tensor + " " + (end - begin) + " bytes but its shape and dtype need " + bytes);
        }
        if (begin > Long.MAX_VALUE - base) {
            throw bad(name, "gives tensor " + tensor + " an offset past any file");
        }
        return new Tensor(tensor, dtype, shape, base + begin, end - begin);
    }

    /** The integer at the parser's current token, if it is one from 0 to 2<sup>63</sup> - 1. */
    private static long natural(JsonParser p, String what, String name) throws MalformedModelException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || p.getLongValue() < 0) {
            throw bad(name, "has " + what + " that is not a non-negative 64-bit integer");
        }
        return p.getLongValue();
    }

    /** {@code text} for a message: at most 64 characters of it, so that a hostile header cannot make messages huge. */
    private static String shown(String text) {
        return text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    static void readFully(FileChannel ch, ByteBuffer buf, long position, String name) throws IOException, MalformedModelException {
        long at = position;
        while (buf.hasRemaining()) {
            int n = ch.read(buf, at);
            if (n < 0) {
                throw bad(name, "ends early, at byte " + at);
            }
            at += n;
        }
    }

    private static MalformedModelException bad(String name, String problem) {
        return new MalformedModelException("safetensors file " + name + " " + problem);
    }
}
