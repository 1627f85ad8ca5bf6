package org.pagechange.core.model;

import org.apache.avro.util.ClassSecurityValidator;

/**
 * Lets Avro 1.12 instantiate this package's records. Avro refuses classes outside its trusted set
 * unless {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES} names them, which every JVM of a job
 * (client, JobManager, each TaskManager) would otherwise need; the library's entry points call
 * {@link #ensure()} instead. It widens the trusted set by this package only.
 */
public final class AvroTrust {

    private static final String PACKAGE = AvroTrust.class.getPackageName() + ".";
    private static volatile boolean done;

    private AvroTrust() {}

    /** Adds this package to Avro's trusted classes, once per JVM. */
    public static void ensure() {
        if (done) {
            return;
        }
        synchronized (AvroTrust.class) {
            if (!done) {
                ClassSecurityValidator.ClassSecurityPredicate current =
                        ClassSecurityValidator.getGlobal();
                ClassSecurityValidator.setGlobal(
                        ClassSecurityValidator.composite(
                                current, type -> type.getName().startsWith(PACKAGE)));
                done = true;
            }
        }
    }
}
