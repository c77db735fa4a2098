package org.ditchley.identity.internal;

import org.ditchley.identity.Role;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;

/**
 * Two ways in. Machines call {@code /api/**} (and the actuator, and the witness endpoint whose
 * requests are signed by the submitting log) with bearer API tokens: no
 * session, so no cookie can be ridden and CSRF does not apply. People use the pages with form
 * login, a session and CSRF protection. Which role may call what is declared on each handler
 * ({@code @PreAuthorize}, {@code @PermitAll}) and enforced by method security;
 * {@link AccessRuleInterceptor} refuses any handler that declares nothing.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity(jsr250Enabled = true)
class SecurityConfiguration {

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    @Order(1)
    SecurityFilterChain api(HttpSecurity http, ApiTokens tokens) throws Exception {
        return http
                .securityMatcher("/api/**", "/actuator/**", "/ledger/witness/add-checkpoint")
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(c -> c.disable())
                .addFilterBefore(new ApiTokenAuthenticationFilter(tokens), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/info").permitAll()
                        .requestMatchers("/actuator/**").hasRole(Role.REGULATOR.name())
                        .requestMatchers("/api/**", "/ledger/witness/add-checkpoint").permitAll()
                        .anyRequest().denyAll())
                .exceptionHandling(e -> e
                        .authenticationEntryPoint((request, response, ex) ->
                                ProblemResponses.write(request, response, HttpStatus.UNAUTHORIZED, "sign in with an API token"))
                        .accessDeniedHandler((request, response, ex) ->
                                ProblemResponses.write(request, response, HttpStatus.FORBIDDEN,
                                        ex.getMessage() == null || ex.getMessage().equals("Access Denied")
                                                ? "your role or organisation may not do this" : ex.getMessage())))
                .build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain web(HttpSecurity http) throws Exception {
        return http
                .authorizeHttpRequests(auth -> auth.anyRequest().permitAll())
                .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", false).permitAll())
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/"))
                .headers(h -> h.contentSecurityPolicy(csp -> csp.policyDirectives(
                        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
                                + "script-src 'self'; frame-ancestors 'none'")))
                .build();
    }
}
