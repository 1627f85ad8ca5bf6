package org.pagechange.examples;

import org.pagechange.examples.demo.Demo;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * Subcommands reserved for tools written elsewhere; each is replaced by its real command class
 * (registered in {@link PageChangePoc}) and this file is then deleted.
 */
final class Placeholders {

    private Placeholders() {}

    /** Will be {@code org.pagechange.examples.demo.DemoCommand}. */
    @Command(name = "demo", description = "Run the local demo (the same as no arguments).")
    static final class DemoPlaceholder implements Callable<Integer> {
        @Override
        public Integer call() {
            return Demo.run();
        }
    }
}
