package org.ditchley.agent;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * {@code GET http://127.0.0.1:<port>/status}: the agent's state as JSON, for the workload to poll
 * (a serving process may refuse requests unless {@code "state":"RUNNING"}). Loopback only.
 */
final class StatusEndpoint {

    private final HttpServer server;

    private StatusEndpoint(HttpServer server) {
        this.server = server;
    }

    static StatusEndpoint start(int port, Agent agent) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.createContext("/status", exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("GET")) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                License l = agent.license();
                String json = "{\"state\":\"" + agent.state() + "\",\"licenseSequence\":" + (l == null ? "null" : l.sequence())
                        + ",\"licenseNotAfter\":" + (l == null ? "null" : "\"" + Lines.format(l.notAfter()) + "\"")
                        + ",\"artifact\":" + (l == null ? "null" : "\"" + l.artifact() + "\"")
                        + ",\"standingOrders\":" + agent.standingOrders().stream().map(o -> "\"" + o + "\"").toList()
                        + ",\"workloadPid\":" + agent.workloadPid() + "}";
                byte[] body = json.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        return new StatusEndpoint(server);
    }

    int port() {
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }
}
