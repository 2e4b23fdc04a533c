package io.personalizeimport.local.personalize;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/** One line per request or job transition on stderr; stdout is kept for the endpoint URL the CLI prints. */
final class EmulatorLog {

    private EmulatorLog() {
    }

    static void info(String message) {
        System.err.println(LocalTime.now().truncatedTo(ChronoUnit.MILLIS) + " personalize-emulator " + message);
    }

    static void error(String message, Throwable cause) {
        StringWriter trace = new StringWriter();
        cause.printStackTrace(new PrintWriter(trace));
        info(message + "\n" + trace);
    }
}
