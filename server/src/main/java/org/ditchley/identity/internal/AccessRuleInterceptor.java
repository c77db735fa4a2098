package org.ditchley.identity.internal;

import jakarta.annotation.security.PermitAll;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.lang.reflect.Method;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Deny by default: a handler of this application that declares no access rule (neither
 * {@code @PreAuthorize} nor {@code @PermitAll}, on the method or its class) is refused, so an
 * endpoint added without thought for who may call it is closed rather than open.
 */
@Component
class AccessRuleInterceptor implements HandlerInterceptor {

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method && method.getBeanType().getName().startsWith("org.ditchley.")
                && !declaresRule(method.getMethod())) {
            throw new AccessDeniedException("endpoint declares no access rule");
        }
        return true;
    }

    /** Whether {@code method} (or its class) states who may call it. */
    static boolean declaresRule(Method method) {
        return AnnotatedElementUtils.hasAnnotation(method, PreAuthorize.class)
                || AnnotatedElementUtils.hasAnnotation(method, PermitAll.class)
                || AnnotatedElementUtils.hasAnnotation(method.getDeclaringClass(), PreAuthorize.class)
                || AnnotatedElementUtils.hasAnnotation(method.getDeclaringClass(), PermitAll.class);
    }
}
