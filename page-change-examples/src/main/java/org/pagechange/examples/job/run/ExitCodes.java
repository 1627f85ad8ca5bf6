package org.pagechange.examples.job.run;

/** The exit codes of {@code java -jar page-change-poc.jar} (docs/deploy.md). */
public final class ExitCodes {

    /** The job finished (bounded input) or the command did its work. */
    public static final int OK = 0;

    /** The job failed, after its restarts, or could not be run; the message gives the cause. */
    public static final int JOB_FAILED = 1;

    /** Bad command line: an unknown option, a bad value, a bad {@code --kafka-property}. */
    public static final int USAGE = 2;

    /**
     * A check before the job started failed: input directory missing or unreadable, output
     * directory not writable, brokers unreachable or refusing the client's security settings.
     */
    public static final int ENVIRONMENT = 3;

    /** Interrupted (Ctrl-C, SIGTERM): the JVM's own code for SIGINT. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
