package org.pagechange.core.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Public API that users may build on, which may still change between minor releases (the meaning
 * Flink gives its own {@code @PublicEvolving}; the core cannot use Flink's annotations, since it
 * has no Flink dependency). A change is named in the release notes.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target({ElementType.TYPE, ElementType.PACKAGE})
public @interface PublicEvolving {}
