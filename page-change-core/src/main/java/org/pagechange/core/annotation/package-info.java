/** The annotations that draw the line between page-change's API and its internals. */
package org.pagechange.core.annotation;
