package org.pagechange.flink;

import org.pagechange.core.testing.ArchitectureRules;

import org.apache.flink.annotation.Experimental;
import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.Public;
import org.apache.flink.annotation.PublicEvolving;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/** The Flink adapter's architecture rule: every public type says whether it is API. */
class ArchitectureTest {

    private static final JavaClasses MAIN = ArchitectureRules.mainClasses("org.pagechange.flink");

    @Test
    void everyPublicTypeSaysWhetherItIsApi() {
        classes()
                .that()
                .arePublic()
                .and()
                .areTopLevelClasses()
                .should(
                        ArchitectureRules.beMarked(
                                MAIN,
                                Public.class,
                                PublicEvolving.class,
                                Experimental.class,
                                Internal.class))
                .check(MAIN);
    }
}
