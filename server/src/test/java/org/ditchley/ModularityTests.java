package org.ditchley;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

class ModularityTests {

    @Test
    void modulesKeepTheirBoundaries() {
        ApplicationModules.of(DitchleyApplication.class).verify();
    }
}
