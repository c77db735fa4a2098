package org.ditchley.termination.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import java.util.List;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Puts {@link AgentRequests} at its three paths. Those requests carry their own authentication (a
 * note signed with the deployment's enrolled key), so they go through a security filter chain of
 * no filters, ahead of the API-token chain, and are not observed as HTTP requests (which costs
 * more than deciding them): {@link AgentRequests} counts its answers instead.
 */
@Configuration(proxyBeanMethods = false)
class AgentRequestsConfiguration {

    @Bean
    ServletRegistrationBean<AgentRequests> agentRequests(Licenses licenses, HaltReceipts receipts, AgentKeys keys, OrderStreams streams,
                                                         MeterRegistry meters) {
        ServletRegistrationBean<AgentRequests> registration = new ServletRegistrationBean<>(
                new AgentRequests(licenses, receipts, keys, streams, meters), AgentRequests.PATHS.toArray(String[]::new));
        registration.setName("agentRequests");
        registration.setAsyncSupported(true);
        registration.setLoadOnStartup(1);
        return registration;
    }

    @Bean
    @Order(0)
    SecurityFilterChain signedAgentRequests() {
        return new DefaultSecurityFilterChain(request -> AgentRequests.PATHS.contains(request.getServletPath()), List.of());
    }

    @Bean
    ObservationPredicate agentRequestsUnobserved() {
        return (name, context) -> !(context instanceof ServerRequestObservationContext request
                && AgentRequests.PATHS.contains(request.getCarrier().getServletPath()));
    }
}
