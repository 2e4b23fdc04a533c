package io.personalizeimport.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.local.events.LocalEventBridge;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * {@code local/run events}: the events the functions published on the local stack's EventBridge, oldest first, as a
 * rule's target would receive them.
 */
final class EventsCommand {

    static final String USAGE = """
            events [--follow] [--json] [--data-dir DIR]
              the events the pipeline published (Dataset Import Succeeded/Failed, File Rejected, File Superseded),
              oldest first; --follow keeps printing new ones until Ctrl-C; --json prints each event whole, one per line""";

    /** Where a stack started over {@code dataDir} keeps its events. */
    static Path eventsFile(Path dataDir) {
        return dataDir.resolve("events").resolve(LocalEventBridge.EVENTS_FILE);
    }

    private EventsCommand() {
    }

    static int run(String[] argv) {
        return run(argv, Cli.OUT);
    }

    static int run(String[] argv, PrintStream out) {
        Args args = Args.parse("events", argv, Set.of("--data-dir"), Set.of("--follow", "--json"));
        if (!args.positional().isEmpty()) {
            throw new UsageException("events: expected no arguments, got " + args.positional());
        }
        Path file = eventsFile(Cli.dataDir(args));
        boolean json = args.flag("--json");
        List<JsonNode> events = LocalEventBridge.read(file);
        if (events.isEmpty() && !args.flag("--follow")) {
            out.println("No events published yet (" + file + ").");
            return Cli.OK;
        }
        int shown = print(events, 0, json, out);
        while (args.flag("--follow")) {
            Cli.sleep(Duration.ofMillis(500));
            shown = print(LocalEventBridge.read(file), shown, json, out);
        }
        return Cli.OK;
    }

    private static int print(List<JsonNode> events, int from, boolean json, PrintStream out) {
        for (JsonNode event : events.subList(Math.min(from, events.size()), events.size())) {
            out.println(json ? event.toString() : line(event));
        }
        return events.size();
    }

    /** One event for people: time, detail-type, dataset, what it is about, and why. */
    static String line(JsonNode event) {
        JsonNode detail = event.path("detail");
        String subject = detail.hasNonNull("jobName") ? detail.get("jobName").asText() + " ("
                + detail.path("fileCount").asInt() + " file(s))" : detail.path("file").path("key").asText("-");
        String why = detail.hasNonNull("supersededBy") ? "superseded by " + detail.get("supersededBy").asText()
                : detail.path("reason").asText("");
        return String.format("%-20s  %-24s  %-40s  %-50s  %s", event.path("time").asText(),
                event.path("detail-type").asText(), ExecutionView.datasetName(detail.path("datasetArn").asText()),
                subject, why).stripTrailing();
    }
}
