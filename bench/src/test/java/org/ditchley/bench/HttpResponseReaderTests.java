package org.ditchley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The load driver's HTTP/1.1 and event-stream readers, fed the node's bytes however they are split. */
class HttpResponseReaderTests {

    private static final String STREAM = "HTTP/1.1 200 \r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
            + chunk(":connected\n\n") + chunk("event:order\ndata:b3JkZXI=\n\n")
            + chunk("event:lifted\ndata:bGlmd") + chunk("GVk\r\ndata: x\n\n") + "0\r\n\r\n";

    private static final String TWO = "HTTP/1.1 200 \r\nContent-Length: 2\r\n\r\nok"
            + "HTTP/1.1 409 \r\nContent-Type: application/problem+json\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n{\"a\r\n2\r\n\"}\r\n0\r\n\r\n"
            + "HTTP/1.1 204 \r\nConnection: close\r\n\r\n";

    private static String chunk(String data) {
        return Integer.toHexString(data.length()) + "\r\n" + data + "\r\n";
    }

    record Seen(List<String> events, List<String> responses) {
    }

    private static Seen read(String bytes, int split) throws IOException {
        List<String> events = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        SseReader sse = new SseReader((name, data) -> events.add(name + "=" + data), () -> events.add("comment"));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        HttpResponseReader reader = new HttpResponseReader(new HttpResponseReader.Handler() {
            @Override
            public void head(int status) {
                body.reset();
            }

            @Override
            public void body(byte[] b, int offset, int length) {
                sse.feed(b, offset, length);
                body.write(b, offset, length);
            }

            @Override
            public void end(int status, boolean close) {
                responses.add(status + (close ? " close " : " ") + body.toString(StandardCharsets.UTF_8));
            }
        });
        byte[] all = bytes.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < all.length; i += split) {
            reader.feed(all, i, Math.min(split, all.length - i));
        }
        return new Seen(events, responses);
    }

    @Test
    void aChunkedEventStreamGivesTheSameEventsHoweverItsBytesArrive() throws IOException {
        for (int split = 1; split <= STREAM.length(); split++) {
            Seen seen = read(STREAM, split);
            assertThat(seen.events()).as("split every %d bytes", split)
                    .containsExactly("comment", "order=b3JkZXI=", "lifted=bGlmdGVk\nx");
            assertThat(seen.responses()).hasSize(1);
        }
    }

    @Test
    void responsesOnAKeptAliveConnectionAreReadOneAfterAnother() throws IOException {
        for (int split = 1; split <= TWO.length(); split++) {
            assertThat(read(TWO, split).responses()).as("split every %d bytes", split)
                    .containsExactly("200 ok", "409 {\"a\"}", "204 close ");
        }
    }

    @Test
    void whatItDoesNotUnderstandIsRefused() {
        assertThatThrownBy(() -> read("HTTP/1.0 200 OK\r\n\r\n", 64)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("HTTP/1.1 200 \r\nTransfer-Encoding: gzip\r\n\r\n", 64)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("HTTP/1.1 200 \r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabX\r\n", 64)).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> read("HTTP/1.1 200 \r\nX: " + "a".repeat(9000) + "\r\n\r\n", 64)).isInstanceOf(IOException.class);
    }
}
