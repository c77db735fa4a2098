package org.ditchley;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** A Ditchley node: the registry and shutdown authority of one regulator. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DitchleyApplication {

    public static void main(String[] args) {
        SpringApplication.run(DitchleyApplication.class, args);
    }
}
