package org.ditchley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/** Gives every application context started by the tests its own data directory under target/. */
public class FreshDataDirectory implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("ditchley.test.keep-data-dir")) {
            return;
        }
        try {
            Path base = Path.of("target", "test-data");
            Files.createDirectories(base);
            Path dir = Files.createTempDirectory(base, "node-");
            environment.getPropertySources().addFirst(new MapPropertySource("fresh-data-dir",
                    Map.of("ditchley.db.data-dir", dir.toAbsolutePath().toString())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
