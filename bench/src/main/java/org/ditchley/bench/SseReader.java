package org.ditchley.bench;

import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;

/**
 * Reads a {@code text/event-stream} (WHATWG HTML §9.2.6, "Interpreting an event stream") from
 * bytes as they arrive: {@code event} and {@code data} fields make up an event, dispatched at the
 * blank line that ends it; a comment line is reported on its own. Other fields are ignored.
 */
final class SseReader {

    private final BiConsumer<String, String> onEvent;
    private final Runnable onComment;
    private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
    private final StringBuilder data = new StringBuilder();
    private String event = "message";

    SseReader(BiConsumer<String, String> onEvent, Runnable onComment) {
        this.onEvent = onEvent;
        this.onComment = onComment;
    }

    void feed(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int from = offset;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                String l;
                if (line.size() == 0) {
                    l = new String(bytes, from, i - from, StandardCharsets.UTF_8);
                } else {
                    line.write(bytes, from, i - from);
                    l = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                }
                from = i + 1;
                onLine(l.endsWith("\r") ? l.substring(0, l.length() - 1) : l);
            }
        }
        line.write(bytes, from, end - from);
    }

    private void onLine(String l) {
        if (l.isEmpty()) {
            if (data.length() > 0) {
                onEvent.accept(event, data.toString());
            }
            event = "message";
            data.setLength(0);
        } else if (l.startsWith(":")) {
            onComment.run();
        } else {
            int colon = l.indexOf(':');
            String field = colon < 0 ? l : l.substring(0, colon);
            String value = colon < 0 ? "" : l.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            if (field.equals("event")) {
                event = value;
            } else if (field.equals("data")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(value);
            }
        }
    }
}
