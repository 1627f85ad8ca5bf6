package org.pagechange.core.model;

import org.apache.avro.specific.SpecificData;
import org.apache.avro.util.ClassSecurityValidator;

import java.util.List;

/**
 * Lets Avro 1.12 instantiate this package's records. Avro refuses classes outside its trusted set
 * unless {@code -Dorg.apache.avro.SERIALIZABLE_PACKAGES} names them, which every JVM of a job
 * (client, JobManager, each TaskManager) would otherwise need; the library's entry points call
 * {@link #ensure()} instead. It widens the trusted set by this package only.
 *
 * <p>It also switches on the custom coders the Avro compiler generates for the records written as a
 * whole (events between operators and in state, heads, changes, side-output records). They write
 * the same bytes as the reflective {@code SpecificDatumWriter} path, without its per-field union
 * resolution and lookups (a fifth of the conversion operator's time went there). Avro leaves them
 * off unless {@code -Dorg.apache.avro.specific.use_custom_coders=true}; the flag is set here on
 * each class's own {@code MODEL$}, which is what Flink's {@code AvroSerializer} and {@code
 * SpecificDatumWriter} use, so nothing else in the JVM changes. Reading is unaffected.
 */
public final class AvroTrust {

    private static final String PACKAGE = AvroTrust.class.getPackageName() + ".";
    private static volatile boolean done;

    /** The records written as a whole: nested records are encoded by their parent's coder. */
    static final List<Class<?>> WRITTEN_RECORDS =
            List.of(
                    PageEvent.class,
                    PageChange.class,
                    PageHead.class,
                    LateEvent.class,
                    Inconsistency.class,
                    RejectedInput.class);

    private AvroTrust() {}

    /** Adds this package to Avro's trusted classes and turns its custom coders on, once per JVM. */
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
                for (Class<?> type : WRITTEN_RECORDS) {
                    SpecificData.getForClass(type).setCustomCoders(true);
                }
                done = true;
            }
        }
    }
}
