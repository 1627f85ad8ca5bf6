package org.pagechange.examples;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * Subcommands reserved for tools written elsewhere; each is replaced by its real command class
 * (registered in {@link PageChangePoc}) and this file is then deleted.
 */
final class Placeholders {

    private Placeholders() {}

    /** A later benchmark command. */
    @Command(name = "bench", description = "Benchmark the job (not yet).")
    static final class Bench implements Callable<Integer> {
        @Override
        public Integer call() {
            System.err.println("bench is not wired yet");
            return 2;
        }
    }
}
