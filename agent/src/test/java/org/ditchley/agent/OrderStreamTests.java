package org.ditchley.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.ditchley.tlog.NoteSigner;
import org.junit.jupiter.api.Test;

/** The agent's order stream against a real HTTP server that accepts the stream and then goes silent. */
class OrderStreamTests {

    @Test
    void aStreamThatGoesSilentIsDroppedAndOpenedAgain() throws Exception {
        AtomicInteger streams = new AtomicInteger();
        List<com.sun.net.httpserver.HttpExchange> held = new CopyOnWriteArrayList<>();
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/api/v1/agent/orders", exchange -> {
            streams.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write(":open\n\n".getBytes());
            exchange.getResponseBody().flush();
            held.add(exchange);
        });
        server.createContext("/api/v1/agent/license", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
        Agent.Config config = Agent.Config.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort()), UUID.randomUUID(),
                NoteSigner.generate("agent.example/a"), ProtocolTests.REGULATOR.verifier(), List.of("true"))
                .withStatusPort(-1).withMaxBackoff(Duration.ofMillis(200)).withStreamIdle(Duration.ofSeconds(1));
        try (Agent agent = new Agent(config, Clock.systemUTC(), line -> { })) {
            agent.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (streams.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(streams.get()).as("streams opened after silences of the idle timeout").isGreaterThanOrEqualTo(3);
        } finally {
            held.forEach(com.sun.net.httpserver.HttpExchange::close);
            server.stop(0);
        }
    }
}
