package org.ditchley.registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Values shown in edit forms read back to exactly what is stored, so an unchanged form changes nothing. */
class ViewsTests {

    @ParameterizedTest
    @ValueSource(doubles = {405e9, 15.6e12, 1.234567891e9, 3.79e25, 0.34, 1e-3, 123456789012345678.0})
    void editFormValuesRoundTrip(double value) {
        assertThat(Views.number("f", Views.plain(value))).isEqualTo(value);
    }
}
