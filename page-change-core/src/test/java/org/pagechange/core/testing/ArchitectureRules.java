package org.pagechange.core.testing;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import java.lang.annotation.Annotation;

/** ArchUnit conditions the modules' architecture tests share. */
public final class ArchitectureRules {

    private ArchitectureRules() {}

    /** The main (not test) classes of the packages under {@code rootPackage}. */
    public static JavaClasses mainClasses(String rootPackage) {
        return new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(rootPackage);
    }

    /**
     * Annotated with one of {@code markers}, on the type or on the package-info of its package or
     * of an enclosing one (generated classes are marked by the package they are generated into).
     */
    @SafeVarargs
    public static ArchCondition<JavaClass> beMarked(
            JavaClasses all, Class<? extends Annotation>... markers) {
        return new ArchCondition<>("be annotated @PublicEvolving or @Internal (type or package)") {
            @Override
            public void check(JavaClass c, ConditionEvents events) {
                if (!isMarked(all, c, markers)) {
                    events.add(
                            SimpleConditionEvent.violated(
                                    c, c.getName() + " is public but neither API nor internal"));
                }
            }
        };
    }

    @SafeVarargs
    private static boolean isMarked(
            JavaClasses all, JavaClass c, Class<? extends Annotation>... markers) {
        for (Class<? extends Annotation> marker : markers) {
            if (c.isAnnotatedWith(marker)) {
                return true;
            }
            for (String p = c.getPackageName(); !p.isEmpty(); ) {
                String info = p + ".package-info";
                if (all.contain(info) && all.get(info).isAnnotatedWith(marker)) {
                    return true;
                }
                int dot = p.lastIndexOf('.');
                p = dot < 0 ? "" : p.substring(0, dot);
            }
        }
        return false;
    }
}
