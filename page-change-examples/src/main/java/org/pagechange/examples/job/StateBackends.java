package org.pagechange.examples.job;

import java.util.Locale;

/**
 * Which Flink state backends this JVM can run: {@code hashmap} always, {@code rocksdb} when
 * flink-statebackend-rocksdb is on the classpath (a cluster's lib/, or bench/job.sh). The jar does
 * not bundle RocksDB (a 52 MB native library).
 */
public final class StateBackends {

    /** The factory Flink loads for {@code state.backend.type: rocksdb}. */
    private static final String ROCKSDB_FACTORY =
            "org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackendFactory";

    private StateBackends() {}

    /**
     * Checks that {@code name} can run here and returns it in the form Flink expects.
     *
     * @throws IllegalArgumentException naming the option, the backend and what to do instead
     */
    public static String require(String option, String name) {
        String backend = name.toLowerCase(Locale.ROOT);
        if ("hashmap".equals(backend)) {
            return backend;
        }
        if ("rocksdb".equals(backend)) {
            if (rocksDbAvailable()) {
                return backend;
            }
            throw new IllegalArgumentException(
                    option
                            + " rocksdb is not available in this jar: only hashmap. For RocksDB put"
                            + " flink-statebackend-rocksdb in the cluster's lib/ and set"
                            + " state.backend.type: rocksdb in its configuration (for the"
                            + " benchmark: bench/job.sh)");
        }
        throw new IllegalArgumentException(
                option + " " + name + " is not a state backend: use hashmap or rocksdb");
    }

    static boolean rocksDbAvailable() {
        try {
            Class.forName(ROCKSDB_FACTORY, false, StateBackends.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
