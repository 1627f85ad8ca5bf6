package org.pagechange.flink.internal;

import org.pagechange.core.model.PageChange;
import org.pagechange.core.model.PageEvent;
import org.pagechange.flink.PageKeySelector;

import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import org.jspecify.annotations.Nullable;

/** The operator in Flink's keyed test harness, keyed by page, on the default (heap) backend. */
final class OperatorHarnesses {

    private OperatorHarnesses() {}

    /** An open harness around {@code operator}, restored from {@code restoreFrom} if given. */
    static KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> open(
            ConsolidationOperator operator, @Nullable OperatorSubtaskState restoreFrom)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, PageEvent, PageChange> harness =
                new KeyedOneInputStreamOperatorTestHarness<>(
                        operator, new PageKeySelector(), Types.STRING);
        // pipeline.generic-types: false, so any Kryo fallback fails the test.
        ((SerializerConfigImpl) harness.getExecutionConfig().getSerializerConfig())
                .setGenericTypes(false);
        harness.setup();
        if (restoreFrom != null) {
            harness.initializeState(restoreFrom);
        }
        harness.open();
        return harness;
    }
}
