package org.pagechange.core.model;

import org.pagechange.core.annotation.Internal;

import org.apache.avro.specific.SpecificData;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Lets Avro instantiate this package's records whatever its version. The library is built against
 * the Avro that {@code flink-avro} brings (1.11), which trusts every record class; Avro 1.12 (on a
 * cluster whose lib/ holds a newer one) refuses classes outside its trusted set unless {@code
 * -Dorg.apache.avro.SERIALIZABLE_PACKAGES} names them, which every JVM of a job (client,
 * JobManager, each TaskManager) would otherwise need; the library's entry points call {@link
 * #ensure()} instead. It widens the trusted set by this package's record classes only, and does
 * nothing on an Avro without that check.
 *
 * <p>It also switches on the custom coders the Avro compiler generates for the records written as a
 * whole (events between operators and in state, heads, changes, side-output records). They write
 * the same bytes as the reflective {@code SpecificDatumWriter} path, without its per-field union
 * resolution and lookups (a fifth of the conversion operator's time went there). Avro leaves them
 * off unless {@code -Dorg.apache.avro.specific.use_custom_coders=true}; the flag is set here on
 * each class's own {@code MODEL$}, which is what Flink's {@code AvroSerializer} and {@code
 * SpecificDatumWriter} use, so nothing else in the JVM changes.
 *
 * <p>On the same models it turns Avro's "fast reader" off, so that reading goes through the same
 * generated coders ({@code customDecode}) instead of the reader Avro assembles from lambdas per
 * field, which took a fifth longer per event and instantiates each nested record reflectively
 * (docs/benchmarks.md). Schema resolution (a savepoint written with an older schema) still works:
 * the generated decoder reads fields in the writer's order through the resolving decoder.
 */
@Internal
public final class AvroTrust {

    private static final List<Class<?>> MODEL_CLASSES =
            List.of(
                    PageChange.class,
                    PageEvent.class,
                    PageHead.class,
                    ReleasedPosition.class,
                    LateEvent.class,
                    Inconsistency.class,
                    RejectedInput.class,
                    EventMeta.class,
                    PageUser.class,
                    PageLink.class,
                    Page.class,
                    ContentSlot.class,
                    Revision.class,
                    PriorPage.class,
                    PriorRevision.class,
                    PriorState.class,
                    PropertiesChange.class,
                    RestrictionsChange.class,
                    PageChangeKind.class,
                    ChangelogKind.class,
                    SourceKind.class);

    /** The records written as a whole: nested records are encoded by their parent's coder. */
    static final List<Class<?>> WRITTEN_RECORDS =
            List.of(
                    PageEvent.class,
                    PageChange.class,
                    PageHead.class,
                    LateEvent.class,
                    Inconsistency.class,
                    RejectedInput.class);

    private static final String VALIDATOR = "org.apache.avro.util.ClassSecurityValidator";

    private static volatile boolean codersOn;

    /** The validator classes (one per Avro copy) already widened. */
    private static final Set<Class<?>> DONE =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private AvroTrust() {}

    /**
     * Adds this package's records to the trusted classes of the Avro this class sees, and makes
     * their models write and read with the generated coders, once per JVM.
     */
    public static void ensure() {
        ensureFor(SpecificData.class);
        if (!codersOn) {
            synchronized (AvroTrust.class) {
                if (!codersOn) {
                    for (Class<?> type : WRITTEN_RECORDS) {
                        SpecificData model = SpecificData.getForClass(type);
                        model.setCustomCoders(true);
                        model.setFastReaderEnabled(false);
                    }
                    codersOn = true;
                }
            }
        }
    }

    /**
     * Adds this package's records to the trusted classes of the Avro copy that {@code avroUser} was
     * loaded with. On a cluster whose lib/ holds flink-avro and Avro, Flink's serializers use that
     * copy, not the one bundled with the job, and each copy has its own trusted set.
     */
    public static void ensureFor(Class<?> avroUser) {
        Class<?> validator;
        try {
            validator = Class.forName(VALIDATOR, true, avroUser.getClassLoader());
        } catch (ClassNotFoundException e) {
            return; // an Avro before 1.12 trusts every record class
        }
        if (DONE.contains(validator)) {
            return;
        }
        synchronized (AvroTrust.class) {
            if (!DONE.contains(validator)) {
                widen(validator);
                DONE.add(validator);
            }
        }
    }

    /** Reflective, because {@code validator} may come from another class loader than ours. */
    private static void widen(Class<?> validator) {
        try {
            Object builder = validator.getMethod("builder").invoke(null);
            Method add = builder.getClass().getMethod("add", String.class);
            for (Class<?> type : MODEL_CLASSES) {
                add.invoke(builder, type.getName());
            }
            Object ours = builder.getClass().getMethod("build").invoke(builder);
            Method getGlobal = validator.getMethod("getGlobal");
            Class<?> predicate = getGlobal.getReturnType();
            Object both = Array.newInstance(predicate, 2);
            Array.set(both, 0, getGlobal.invoke(null));
            Array.set(both, 1, ours);
            Object composite = validator.getMethod("composite", both.getClass()).invoke(null, both);
            validator.getMethod("setGlobal", predicate).invoke(null, composite);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot make Avro trust page-change's records", e);
        }
    }
}
