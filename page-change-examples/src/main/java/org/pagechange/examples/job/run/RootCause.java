package org.pagechange.examples.job.run;

import org.apache.flink.util.SerializedThrowable;

/** The innermost cause of an exception, as one line a person can act on. */
public final class RootCause {

    /** Longer messages are cut: the full text is in the trace. */
    static final int MAX_LENGTH = 400;

    private RootCause() {}

    /** The innermost cause of {@code t}. */
    public static Throwable of(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    /**
     * {@code <class>: <message>} of the innermost cause, on one line; the class of a {@link
     * SerializedThrowable} (a failure that crossed Flink's RPC) is the original one.
     */
    public static String oneLine(Throwable t) {
        Throwable root = of(t);
        String type =
                root instanceof SerializedThrowable s
                        ? s.getOriginalErrorClassName()
                        : root.getClass().getName();
        String message = root.getMessage();
        if (root instanceof SerializedThrowable && message != null && message.startsWith(type)) {
            // A SerializedThrowable's message is the original's toString(): class and message.
            message = message.substring(type.length()).replaceFirst("^:\\s*", "");
        }
        String line =
                message == null || message.isBlank()
                        ? type
                        : type + ": " + message.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
        return line.length() > MAX_LENGTH ? line.substring(0, MAX_LENGTH - 3) + "..." : line;
    }
}
