package org.ditchley.termination;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.ditchley.agent.License;
import org.ditchley.agent.Signed;
import org.ditchley.support.Node;
import org.ditchley.support.NodeTest;
import org.ditchley.tlog.NoteVerifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Many agents renewing at once, each on its own kept-alive connection: every answer is the
 * license for the request sent on that connection, and no connection breaks.
 */
@NodeTest
class AgentRequestsUnderLoadTests {

    static final int AGENTS = 32;
    static final int RENEWALS = 150;

    @Autowired
    Node node;

    @TempDir
    Path dir;

    @Test
    void everyConnectionGetsTheAnswersToItsOwnRequests() throws Exception {
        NoteVerifier vkey = Deployed.vkey(node);
        List<Deployed> agents = new ArrayList<>();
        for (int i = 0; i < AGENTS; i++) {
            agents.add(Deployed.create(node, dir, "load " + i, null));
        }
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ExecutorService pool = Executors.newFixedThreadPool(AGENTS);
        List<Future<?>> done = new ArrayList<>();
        for (Deployed d : agents) {
            done.add(pool.submit(() -> renew(d, vkey, wrong)));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(wrong).isEmpty();
    }

    /**
     * Renews {@link #RENEWALS} times for {@code d}, one request at a time on a kept-alive
     * connection (a new one when the node closes it), noting in {@code wrong} any answer that is
     * not the license for the request just sent, and stopping at the first.
     */
    private void renew(Deployed d, NoteVerifier vkey, ConcurrentLinkedQueue<String> wrong) {
        int n = 0;
        while (n < RENEWALS) {
            try (Socket s = new Socket("localhost", node.uri("/").getPort())) {
                s.setTcpNoDelay(true);
                InputStream in = new BufferedInputStream(s.getInputStream());
                OutputStream out = s.getOutputStream();
                boolean close = false;
                while (n < RENEWALS && !close) {
                    String nonce = Deployed.nonce();
                    byte[] body = d.request(nonce, Instant.now());
                    out.write(("POST /api/v1/agent/license HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: "
                            + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(body);
                    out.flush();
                    String status = line(in);
                    int length = -1;
                    for (String h = line(in); !h.isEmpty(); h = line(in)) {
                        String lower = h.toLowerCase(java.util.Locale.ROOT);
                        if (lower.startsWith("content-length:")) {
                            length = Integer.parseInt(h.substring(15).strip());
                        } else if (lower.startsWith("connection:") && lower.contains("close")) {
                            close = true;
                        }
                    }
                    byte[] answer = in.readNBytes(length);
                    if (!status.startsWith("HTTP/1.1 200")) {
                        wrong.add(d.deployment() + " #" + n + ": " + status + " " + new String(answer, StandardCharsets.UTF_8));
                        return;
                    }
                    License license = License.parse(Signed.open(answer, vkey));
                    if (!license.nonce().equals(nonce) || !license.deployment().equals(d.id())) {
                        wrong.add(d.deployment() + " #" + n + ": the license for " + license.deployment() + " nonce " + license.nonce());
                        return;
                    }
                    n++;
                }
            } catch (Exception e) {
                wrong.add(d.deployment() + " #" + n + ": " + e);
                return;
            }
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed after " + b);
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
