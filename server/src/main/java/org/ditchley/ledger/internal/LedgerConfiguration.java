package org.ditchley.ledger.internal;

import java.util.List;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

@Configuration(proxyBeanMethods = false)
@EnableScheduling
class LedgerConfiguration {

    /**
     * The receipt headers are added to what Spring MVC's handlers answer; servlets of their own
     * (which may answer asynchronously, after this filter has returned) are left alone.
     */
    @Bean
    FilterRegistrationBean<ReceiptFilter> receiptFilterRegistration(ReceiptFilter filter) {
        FilterRegistrationBean<ReceiptFilter> registration = new FilterRegistrationBean<>(filter);
        registration.setServletNames(List.of("dispatcherServlet"));
        return registration;
    }
}
