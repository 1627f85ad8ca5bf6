package org.pagechange.core;

import org.pagechange.core.annotation.Internal;
import org.pagechange.core.annotation.PublicEvolving;
import org.pagechange.core.testing.ArchitectureRules;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/** The core's architecture rules: no Flink, an API line on every public type, no cycles. */
class ArchitectureTest {

    private static final JavaClasses MAIN = ArchitectureRules.mainClasses("org.pagechange.core");

    @Test
    void theCoreHasNoFlink() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAPackage("org.apache.flink..")
                .because("the core is pure Java: time and state come in as arguments")
                .check(MAIN);
    }

    @Test
    void everyPublicTypeSaysWhetherItIsApi() {
        classes()
                .that()
                .arePublic()
                .and()
                .areTopLevelClasses()
                .and(notAnnotationsOfTheLine())
                .should(ArchitectureRules.beMarked(MAIN, PublicEvolving.class, Internal.class))
                .check(MAIN);
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("org.pagechange.core.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    private static DescribedPredicate<JavaClass> notAnnotationsOfTheLine() {
        return DescribedPredicate.describe(
                "are not the annotations themselves",
                c -> !c.getPackageName().equals(PublicEvolving.class.getPackageName()));
    }
}
