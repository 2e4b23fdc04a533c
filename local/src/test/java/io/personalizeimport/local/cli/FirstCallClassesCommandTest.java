package io.personalizeimport.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code local/run first-call-classes}: each primed function's first-call classes, over all its logs, one list each. */
class FirstCallClassesCommandTest {

    private static final String MARK = "io.personalizeimport.local.bench.Harness$FirstCallMark";

    @TempDir
    Path dir;

    @Test
    void logsOfTwoPrimedRunsAndAnUnprimedOne_shouldWriteOneSortedListPerPrimedFunction() throws Exception {
        // GIVEN two primed trigger JVMs' logs with overlapping classes, and an unprimed describe JVM's
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("11.log"), log("TriggerHandler", true, "b.B", "a.A"));
        Files.writeString(logs.resolve("12.log"), log("TriggerHandler", true, "a.A", "c.C"));
        Files.writeString(logs.resolve("13.log"), log("DescribeHandler", false, "d.D"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        // WHEN the lists are written
        int exit = FirstCallClassesCommand.run(new String[] {logs.toString(), "--to", dir.resolve("priming").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), dir);

        // THEN the trigger's list holds each class once, sorted, after its comment; the describe function has none
        assertEquals(Cli.OK, exit);
        List<String> lines = Files.readAllLines(dir.resolve("priming/trigger.classes"));
        assertEquals(List.of("a.A", "b.B", "c.C"), lines.stream().filter(line -> !line.startsWith("#")).toList());
        assertFalse(Files.exists(dir.resolve("priming/describe.classes")));
        assertEquals("trigger: 3 classes in " + dir.resolve("priming/trigger.classes"),
                out.toString(StandardCharsets.UTF_8).strip());
    }

    @Test
    void logsOfNoPrimedJvm_shouldFailSayingHowToMakeThem() throws Exception {
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Files.writeString(logs.resolve("13.log"), log("DescribeHandler", false, "d.D"));

        CommandFailedException failed = assertThrows(CommandFailedException.class, () -> FirstCallClassesCommand.run(
                new String[] {logs.toString()}, System.out, dir));

        assertEquals("first-call-classes: no log in " + logs + " is of a primed function JVM: run local/run bench with"
                + " --jvm-option -Xlog:class+load,class+init:file=" + logs + "/%p.log", failed.getMessage());
    }

    @Test
    void noLogFolder_shouldBeAUsageError() {
        UsageException refused = assertThrows(UsageException.class, () -> FirstCallClassesCommand.run(
                new String[] {}, System.out, dir));

        assertEquals("first-call-classes: expected one LOGDIR, the folder of a bench run's class loading logs, got []",
                refused.getMessage());
    }

    private static String log(String handler, boolean primed, String... after) {
        StringBuilder log = new StringBuilder("[0.2s][info][class,load] io.personalizeimport.lambdas." + handler
                + " source: file:/fn/f.jar\n");
        if (primed) {
            log.append("[0.9s][info][class,load] ").append(MARK).append(" source: file:/repo/local/target/classes/\n");
        }
        for (String name : after) {
            log.append("[1.0s][info][class,load] ").append(name).append(" source: file:/fn/f.jar\n");
        }
        return log.toString();
    }
}
