package org.pagechange.examples;

import org.pagechange.core.testing.ArchitectureRules;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The examples' architecture: the entry point in the root package over the job ({@code job}), the
 * demo, the generator command ({@code workload}) and the benchmarks ({@code bench}), which do not
 * depend on it or form cycles; no use of the library's internals.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = ArchitectureRules.mainClasses("org.pagechange");

    @Test
    void theExamplesUseOnlyTheLibrarysApi() {
        noClasses()
                .that()
                .resideInAPackage("org.pagechange.examples..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.pagechange.flink.internal..")
                .because("internal packages may change in any release; an example shows the API")
                .check(MAIN);
    }

    @Test
    void onlyTheEntryPointSitsOnTop() {
        noClasses()
                .that()
                .resideInAPackage("org.pagechange.examples.(*)..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.pagechange.examples")
                .check(MAIN);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("org.pagechange.examples.(*)..").should().beFreeOfCycles().check(MAIN);
    }
}
