package org.ditchley.bench;

import java.io.IOException;
import java.util.Locale;

/**
 * Reads HTTP/1.1 responses (RFC 9112) from bytes as they arrive, one after another on a kept-alive
 * connection: the status line and headers, then a body framed by {@code Content-Length} or by
 * chunked transfer coding (§7.1), handed on as it arrives. Enough for a load driver talking to
 * one known server; it refuses what it does not understand rather than guess.
 */
final class HttpResponseReader {

    interface Handler {
        /** A response's status line and headers have been read. */
        void head(int status);

        /** Bytes of the body, de-chunked. */
        void body(byte[] bytes, int offset, int length);

        /** The response is complete; {@code close} if the server will close the connection. */
        void end(int status, boolean close);
    }

    private enum State { STATUS, HEADERS, LENGTH, CHUNK_SIZE, CHUNK, CHUNK_END, TRAILERS }

    private static final int MAX_LINE = 8 * 1024;

    private final Handler handler;
    private final StringBuilder line = new StringBuilder();
    private State state = State.STATUS;
    private int status;
    private long remaining;
    private boolean chunked;
    private boolean close;

    HttpResponseReader(Handler handler) {
        this.handler = handler;
    }

    void feed(byte[] bytes, int offset, int length) throws IOException {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            if (state == State.LENGTH || state == State.CHUNK) {
                int n = (int) Math.min(remaining, end - i);
                handler.body(bytes, i, n);
                i += n;
                remaining -= n;
                if (remaining == 0) {
                    if (state == State.LENGTH) {
                        finish();
                    } else {
                        state = State.CHUNK_END;
                    }
                }
                continue;
            }
            byte b = bytes[i++];
            if (b == '\n') {
                int last = line.length() - 1;
                if (last >= 0 && line.charAt(last) == '\r') {
                    line.setLength(last);
                }
                String l = line.toString();
                line.setLength(0);
                onLine(l);
            } else {
                if (line.length() >= MAX_LINE) {
                    throw new IOException("response line over " + MAX_LINE + " bytes");
                }
                line.append((char) (b & 0xff));
            }
        }
    }

    private void onLine(String l) throws IOException {
        switch (state) {
            case STATUS -> {
                if (!l.startsWith("HTTP/1.1 ") || l.length() < 12) {
                    throw new IOException("not an HTTP/1.1 status line: " + l);
                }
                status = Integer.parseInt(l.substring(9, 12));
                remaining = 0;
                chunked = false;
                close = false;
                state = State.HEADERS;
            }
            case HEADERS -> {
                if (!l.isEmpty()) {
                    String lower = l.toLowerCase(Locale.ROOT);
                    if (lower.startsWith("content-length:")) {
                        remaining = Long.parseLong(l.substring(15).strip());
                    } else if (lower.startsWith("transfer-encoding:")) {
                        if (!lower.substring(18).strip().equals("chunked")) {
                            throw new IOException("unsupported transfer coding: " + l);
                        }
                        chunked = true;
                    } else if (lower.startsWith("connection:") && lower.contains("close")) {
                        close = true;
                    }
                    return;
                }
                handler.head(status);
                if (chunked) {
                    state = State.CHUNK_SIZE;
                } else if (remaining > 0) {
                    state = State.LENGTH;
                } else {
                    finish();
                }
            }
            case CHUNK_SIZE -> {
                int semicolon = l.indexOf(';');
                remaining = Long.parseLong((semicolon < 0 ? l : l.substring(0, semicolon)).strip(), 16);
                state = remaining == 0 ? State.TRAILERS : State.CHUNK;
            }
            case CHUNK_END -> {
                if (!l.isEmpty()) {
                    throw new IOException("chunk not followed by CRLF");
                }
                state = State.CHUNK_SIZE;
            }
            case TRAILERS -> {
                if (l.isEmpty()) {
                    finish();
                }
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void finish() {
        state = State.STATUS;
        handler.end(status, close);
    }
}
