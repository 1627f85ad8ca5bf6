package org.pagechange.examples.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link TestKafka} broker for the tests of one class: started before them, closed after them.
 * Register it as a static field: {@code @RegisterExtension static final KafkaBroker KAFKA = new
 * KafkaBroker();}.
 */
public final class KafkaBroker implements BeforeAllCallback, AfterAllCallback {

    private TestKafka kafka;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        kafka = TestKafka.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (kafka != null) {
            kafka.close();
        }
    }

    /** The running broker. */
    public TestKafka get() {
        return kafka;
    }
}
