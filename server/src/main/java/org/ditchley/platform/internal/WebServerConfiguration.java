package org.ditchley.platform.internal;

import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How the HTTP server (Jetty) holds connections. Every deployment's agent keeps an order stream
 * open, so a node holds one connection per deployment, idle but for a heartbeat every 15 s (inside
 * Jetty's 30 s idle timeout). Jetty takes buffers from a pool only while bytes are in flight, which
 * leaves a held stream at about 10 KiB of heap (10,000 open: 113 MB live, the rest of the node
 * included); two settings keep it there:
 * <ul>
 *   <li>the listen queue ({@code ditchley.http.accept-queue}, default 4096, capped by the kernel's
 *       {@code somaxconn}): after a node restart every agent reconnects within seconds, and the
 *       JDK's default queue of 50 would drop most of those connections;</li>
 *   <li>no per-connection header cache: Jetty would otherwise build a 40 KiB lookup table for each
 *       connection that sends a second request, and an agent's receipt and renewals do.</li>
 * </ul>
 * Requests Jetty refuses itself are answered with problem details ({@link ProblemErrorHandler}).
 */
@Configuration(proxyBeanMethods = false)
class WebServerConfiguration {

    @Bean
    WebServerFactoryCustomizer<JettyServletWebServerFactory> connections(@Value("${ditchley.http.accept-queue:4096}") int acceptQueue) {
        return factory -> factory.addServerCustomizers(server -> {
            server.setErrorHandler(new ProblemErrorHandler());
            for (var connector : server.getConnectors()) {
                if (connector instanceof ServerConnector c) {
                    c.setAcceptQueueSize(acceptQueue);
                }
                HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
                if (http != null) {
                    http.getHttpConfiguration().setHeaderCacheSize(0);
                }
            }
        });
    }
}
