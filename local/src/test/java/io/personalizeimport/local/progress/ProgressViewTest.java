package io.personalizeimport.local.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The progress view: a line per change of status on a pipe, one frame redrawn in place on a terminal. */
class ProgressViewTest {

    private static final String DATASET = "personalize-import-demo/USERS";
    private static final String USERS_LINE = "%-40s %-36s %-10s %5s  %s";

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private static FileProgress users(String status, String job, int polls, String detail) {
        return new FileProgress("users/users.csv", DATASET, status, job, polls, detail);
    }

    private static FileProgress forget(String status, String job, String detail) {
        return new FileProgress("forget/users.csv", "personalize-import-demo", status, job, 0, detail);
    }

    private static String line(String file, String dataset, String status, String polls, String detail) {
        return String.format(USERS_LINE, file, dataset, status, polls, detail).stripTrailing();
    }

    private String printed() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void plainView_shouldPrintAFilesLineOnlyWhenItsStatusChanges() {
        // GIVEN a view on a pipe
        ProgressView view = ProgressView.plain(out);

        // WHEN one file goes through its statuses, polled twice while importing, and a second file joins
        view.show(List.of(users("UPLOADED", null, 0, "200 users")));
        view.show(List.of(users("PENDING", null, 0, "waiting for its turn in the lane")));
        view.show(List.of(users("IMPORTING", "users-1", 0, "Describe import job")));
        view.show(List.of(users("IMPORTING", "users-1", 1, "Describe import job, CREATE IN_PROGRESS")));
        view.show(List.of(users("IMPORTING", "users-1", 2, "Describe import job, ACTIVE"),
                forget("DELETING", "forget-1", "Describe deletion job")));
        view.show(List.of(users("IMPORTED", "users-1", 2, ""), forget("DELETED", "forget-1", "")));

        // THEN each change of status is one line, polls alone print nothing, and nothing is ever rewritten
        assertEquals(String.join(System.lineSeparator(),
                line("users/users.csv", DATASET, "UPLOADED", "-", "200 users"),
                line("users/users.csv", DATASET, "PENDING", "-", "waiting for its turn in the lane"),
                line("users/users.csv", DATASET, "IMPORTING", "0", "job users-1: Describe import job"),
                line("forget/users.csv", "personalize-import-demo", "DELETING", "0",
                        "job forget-1: Describe deletion job"),
                line("users/users.csv", DATASET, "IMPORTED", "2", "job users-1"),
                line("forget/users.csv", "personalize-import-demo", "DELETED", "0", "job forget-1"))
                + System.lineSeparator(), printed());
    }

    @Test
    void terminalView_shouldRedrawItsFrameInPlaceAndOnlyWhenItChanges() {
        // GIVEN a view on a terminal 200 columns wide
        ProgressView view = ProgressView.terminal(out, 200);
        List<FileProgress> first = List.of(users("PENDING", null, 0, "waiting for its turn in the lane"));
        List<FileProgress> second = List.of(users("IMPORTING", "users-1", 1, "Describe import job"),
                forget("UPLOADED", null, "3 users"));

        // WHEN it shows a frame, the same frame again, then a frame of two files
        view.show(first);
        view.show(first);
        view.show(second);

        // THEN the first frame is drawn once, and the second goes up over its two lines, each line cleared to its end
        String header = line("FILE", "DATASET", "STATUS", "POLLS", "DETAIL");
        assertEquals(header + "\u001b[K\n"
                + line("users/users.csv", DATASET, "PENDING", "-", "waiting for its turn in the lane") + "\u001b[K\n"
                + "\u001b[J"
                + "\r\u001b[2A"
                + header + "\u001b[K\n"
                + line("users/users.csv", DATASET, "IMPORTING", "1", "job users-1: Describe import job") + "\u001b[K\n"
                + line("forget/users.csv", "personalize-import-demo", "UPLOADED", "-", "3 users") + "\u001b[K\n"
                + "\u001b[J", printed());
    }

    @Test
    void terminalViewNarrowerThanALine_shouldCutTheLineSoItDoesNotWrap() {
        // GIVEN a terminal 60 columns wide
        ProgressView view = ProgressView.terminal(out, 60);

        // WHEN a line longer than that is shown
        view.show(List.of(users("REJECTED", null, 0, "Row 20 of s3://bucket/users/users.csv has no USER_ID")));

        // THEN every line of the frame is 59 characters at most, the cut marked
        List<String> lines = printed().lines().map(line -> line.replace("\u001b[K", "").replace("\u001b[J", ""))
                .filter(line -> !line.isEmpty()).toList();
        assertEquals(2, lines.size());
        lines.forEach(line -> assertEquals(true, line.length() <= 59, line));
        assertEquals(true, lines.get(1).endsWith("…"), lines.get(1));
    }

    @Test
    void frame_shouldHaveAHeaderThenOneLinePerFileInTheOrderGiven() {
        // GIVEN two files, the second before any job
        List<FileProgress> files = List.of(users("IMPORTED", "users-1", 3, ""), forget("UPLOADED", null, "3 users"));

        // WHEN they are framed
        List<String> frame = ProgressView.frame(files);

        // THEN the header leads, and a file without a job shows no polls
        assertEquals(List.of(line("FILE", "DATASET", "STATUS", "POLLS", "DETAIL"),
                line("users/users.csv", DATASET, "IMPORTED", "3", "job users-1"),
                line("forget/users.csv", "personalize-import-demo", "UPLOADED", "-", "3 users")), frame);
    }
}
