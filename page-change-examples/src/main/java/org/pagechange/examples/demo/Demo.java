package org.pagechange.examples.demo;

/**
 * The demo that runs when the jar is started without arguments. A stub: the demo engineer replaces
 * this file.
 */
public final class Demo {

    private Demo() {}

    /** Runs the demo and returns the process exit code. */
    public static int run() {
        System.out.println(
                "The page-change demo is not wired yet. Run with --help to see the job's options.");
        return 0;
    }
}
