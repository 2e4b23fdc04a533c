package io.personalizeimport.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.personalizeimport.local.notifications.EventId;
import io.personalizeimport.local.notifications.MalformedEventIdException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The local on-failure destination: S3 events the trigger could not process after its retries, kept as files under
 * {@code <data dir>/notifications/dead-letters/}; list them, and redrive them to the trigger once the cause is fixed.
 */
final class DeadLetterCommands {

    static final String USAGE = """
            dead-letters [--data-dir DIR] [--json]
              the S3 events the trigger failed on after its retries (the local on-failure queue)
            redrive (ID | --all) [--data-dir DIR]
              invoke the trigger again with dead-lettered events; each delivered one is removed""";

    private DeadLetterCommands() {
    }

    static Path folder(Path dataDir) {
        return dataDir.resolve("notifications").resolve("dead-letters");
    }

    static int list(String[] argv) {
        Args args = Args.parse("dead-letters", argv, Cli.COMMON_OPTIONS, Set.of("--json"));
        List<Path> letters = letters(Cli.dataDir(args));
        var all = Cli.array();
        for (Path letter : letters) {
            JsonNode record = read(letter);
            if (args.flag("--json")) {
                all.add(record);
            } else {
                Cli.OUT.printf("%s  %s  %s: %s%n", id(letter), keys(record),
                        record.path("responsePayload").path("errorType").asText("-"),
                        record.path("responsePayload").path("errorMessage").asText(""));
            }
        }
        if (args.flag("--json")) {
            Cli.printJson(all);
        } else if (letters.isEmpty()) {
            Cli.OUT.println("No dead letters.");
        }
        return Cli.OK;
    }

    static int redrive(String[] argv) {
        Args args = Args.parse("redrive", argv, Cli.COMMON_OPTIONS, Set.of("--all", "--json"));
        Path dataDir = Cli.dataDir(args);
        List<Path> chosen;
        if (args.flag("--all")) {
            chosen = letters(dataDir);
        } else if (args.positional().size() == 1) {
            chosen = List.of(letter(dataDir, args.positional().get(0)));
        } else {
            throw new UsageException("redrive: give one dead letter ID, or --all");
        }
        StackFile stack = StackFile.read(dataDir);
        int failed = 0;
        HttpClient http = HttpClient.newHttpClient();
        var results = Cli.array();
        for (Path letter : chosen) {
            JsonNode record = read(letter);
            String outcome = invokeTrigger(http, stack.endpoints().get("lambda"), record.path("requestPayload").toString());
            if (outcome == null) {
                delete(letter);
            } else {
                failed++;
            }
            if (args.flag("--json")) {
                results.addObject().put("id", id(letter)).put("redriven", outcome == null).put("error", outcome);
            } else {
                Cli.OUT.println((outcome == null ? "Redriven " : "Still failing ") + id(letter) + " " + keys(record)
                        + (outcome == null ? "" : ": " + outcome));
            }
        }
        if (args.flag("--json")) {
            Cli.printJson(results);
        }
        return failed == 0 ? Cli.OK : Cli.FAILED;
    }

    /** Null when the trigger handled the event, else what went wrong. */
    private static String invokeTrigger(HttpClient http, URI lambda, String event) {
        HttpRequest request = HttpRequest.newBuilder(lambda.resolve("/2015-03-31/functions/trigger/invocations"))
                .POST(HttpRequest.BodyPublishers.ofString(event)).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return "Lambda answered HTTP " + response.statusCode() + ": " + response.body();
            }
            if (response.headers().firstValue("X-Amz-Function-Error").isPresent()) {
                return response.body();
            }
            return null;
        } catch (IOException e) {
            return "the Lambda host is unreachable: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandFailedException("interrupted", e);
        }
    }

    /**
     * The file of the dead letter {@code id}. The id is checked before it becomes a path, so that no argument
     * ({@code ../x}, an absolute path, {@code a/b}) reaches a file outside the folder, which redrive would delete.
     */
    private static Path letter(Path dataDir, String id) {
        EventId eventId;
        try {
            eventId = new EventId(id);
        } catch (MalformedEventIdException e) {
            throw new UsageException("redrive: " + e.getMessage() + ", as 'local/run dead-letters' lists them");
        }
        Path letter = eventId.fileIn(folder(dataDir));
        if (!Files.isRegularFile(letter)) {
            throw new CommandFailedException("redrive: no dead letter " + id
                    + "; list them with 'local/run dead-letters'");
        }
        return letter;
    }

    /** The dead letters, sorted by file name; other files in the folder are none. */
    private static List<Path> letters(Path dataDir) {
        Path folder = folder(dataDir);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> EventId.ofFile(file).isPresent()).sorted().toList();
        } catch (IOException e) {
            throw new CommandFailedException("Cannot list " + folder + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode read(Path letter) {
        try {
            return Cli.MAPPER.readTree(letter.toFile());
        } catch (IOException e) {
            throw new CommandFailedException("Cannot read " + letter + ": " + e.getMessage(), e);
        }
    }

    private static void delete(Path letter) {
        try {
            Files.deleteIfExists(letter);
        } catch (IOException e) {
            throw new CommandFailedException("Redriven, but cannot remove " + letter + ": " + e.getMessage(), e);
        }
    }

    private static String id(Path letter) {
        return EventId.ofFile(letter).orElseThrow().value();
    }

    private static List<String> keys(JsonNode record) {
        return record.path("requestPayload").path("Records").findValuesAsText("key");
    }
}
