package org.ditchley.termination.internal;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts {@link AgentRequests} in front of the servlet context, as the handler Jetty's server calls
 * first: it serves the three agent paths itself and hands every other request on. Those requests
 * carry their own authentication (a note signed with the deployment's enrolled key), so none of
 * the servlet filters (the API-token chain, HTTP observation) applies to them.
 */
@Configuration(proxyBeanMethods = false)
class AgentRequestsConfiguration {

    @Bean
    WebServerFactoryCustomizer<JettyServletWebServerFactory> agentRequests(Licenses licenses, HaltReceipts receipts, AgentKeys keys,
                                                                           OrderStreams streams, MeterRegistry meters) {
        return factory -> factory.addServerCustomizers(server -> {
            AgentRequests agents = new AgentRequests(licenses, receipts, keys, streams, meters);
            agents.setHandler(server.getHandler());
            server.setHandler(agents);
        });
    }
}
