package org.ditchley.registry.internal;

/** Where a training-compute figure comes from. Only {@code REPORTED} is not an estimate. */
public enum ComputeBasis {
    REPORTED, HARDWARE, PARAMETERS;

    public boolean estimate() {
        return this != REPORTED;
    }
}
