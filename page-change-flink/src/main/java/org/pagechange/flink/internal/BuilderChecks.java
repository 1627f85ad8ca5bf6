package org.pagechange.flink.internal;

import org.apache.flink.annotation.Internal;

import java.time.Duration;
import java.util.Objects;

/** The checks the library's builders make on each setting, with the same messages everywhere. */
@Internal
public final class BuilderChecks {

    private BuilderChecks() {}

    /**
     * @throws IllegalStateException if the setting {@code name} was set already (to {@code
     *     current})
     */
    public static void requireState(boolean unset, String name, Object current) {
        if (!unset) {
            throw new IllegalStateException(name + " was already set to " + current);
        }
    }

    /**
     * @throws IllegalArgumentException if {@code value} is not between {@code min} and {@code max}
     */
    public static void requireDuration(String name, Duration value, Duration min, Duration max) {
        Objects.requireNonNull(value, name);
        if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
            throw new IllegalArgumentException(
                    name + " must be between " + min + " and " + max + ", was " + value);
        }
    }
}
