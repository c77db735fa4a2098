package org.ditchley.platform.internal;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI description at {@code /v3/api-docs}: machines authenticate with bearer API tokens. */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    @Bean
    OpenAPI ditchleyOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Ditchley node API").version("v1")
                        .description("Registry of frontier AI models, training runs, distributions and deployments. "
                                + "Errors are RFC 9457 problem details."))
                .components(new Components().addSecuritySchemes("token",
                        new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("An API token created by a signed-in account (shown once).")))
                .addSecurityItem(new SecurityRequirement().addList("token"));
    }
}
