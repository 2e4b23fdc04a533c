package io.personalizeimport.local.progress;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Files' progress on a console: redrawn in place on a terminal, else one line each time a file's status changes. */
public final class ProgressView {

    private static final String CSI = "\u001b[";
    private static final String FORMAT = "%-40s %-36s %-10s %5s  %s";

    private final PrintStream out;
    private final boolean terminal;
    private final int columns;
    private final Map<String, String> statusShown = new HashMap<>();
    private List<String> frameShown = List.of();

    private ProgressView(PrintStream out, boolean terminal, int columns) {
        this.out = out;
        this.terminal = terminal;
        this.columns = columns;
    }

    /** A view for a pipe or a file (CI, logs): a file's line is printed when its status changes, never rewritten. */
    public static ProgressView plain(PrintStream out) {
        return new ProgressView(out, false, 0);
    }

    /**
     * A view for a terminal {@code columns} wide (0: unknown): one frame, a header and a line per file, redrawn in
     * place with ANSI cursor moves; lines are cut to the width, since a wrapped line would throw the redraw off.
     */
    public static ProgressView terminal(PrintStream out, int columns) {
        return new ProgressView(out, true, columns);
    }

    /** Shows the files as they stand now. */
    public void show(List<FileProgress> files) {
        if (terminal) {
            redraw(frame(files));
            return;
        }
        for (FileProgress file : files) {
            if (!Objects.equals(statusShown.put(file.file(), file.status()), file.status())) {
                out.println(line(file));
            }
        }
        out.flush();
    }

    /** The lines a terminal shows for the files: a header, then one line per file. */
    public static List<String> frame(List<FileProgress> files) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(FORMAT, "FILE", "DATASET", "STATUS", "POLLS", "DETAIL").stripTrailing());
        files.forEach(file -> lines.add(line(file)));
        return lines;
    }

    /** One file's line: file, dataset, status, polls (- before a job), then the job and the detail. */
    public static String line(FileProgress file) {
        String detail = file.job() == null ? nonNull(file.detail())
                : "job " + file.job() + (file.detail() == null || file.detail().isEmpty() ? "" : ": " + file.detail());
        return String.format(FORMAT, trim(file.file(), 40), trim(file.dataset(), 36), file.status(),
                file.job() == null ? "-" : Integer.toString(file.polls()), detail).stripTrailing();
    }

    private void redraw(List<String> frame) {
        if (frame.equals(frameShown)) {
            return;
        }
        StringBuilder text = new StringBuilder();
        if (!frameShown.isEmpty()) {
            // Back to the first column of the frame drawn last, then over it line by line.
            text.append('\r').append(CSI).append(frameShown.size()).append('A');
        }
        for (String line : frame) {
            text.append(fit(line)).append(CSI).append('K').append('\n');
        }
        // A frame shorter than the last leaves nothing of it below.
        text.append(CSI).append('J');
        out.print(text);
        out.flush();
        frameShown = frame;
    }

    private String fit(String line) {
        return columns <= 1 || line.length() < columns ? line : line.substring(0, columns - 2) + "…";
    }

    private static String nonNull(String text) {
        return text == null ? "" : text;
    }

    private static String trim(String text, int width) {
        if (text == null) {
            return "-";
        }
        return text.length() <= width ? text : "…" + text.substring(text.length() - width + 1);
    }
}
