package io.personalizeimport.local.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionListItem;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;

/** The console's view of the state machine: start an execution, list them, show one's history. */
final class ExecutionCommands {

    static final String USAGE = """
            start-execution --input JSON [--name NAME] [--no-wait] [--data-dir DIR] [--json]
              start an execution as the console does; input forms: docs/state-machine.md
            executions [--data-dir DIR] [--json]
              list the executions, newest first, with their status
            history EXECUTION [--data-dir DIR] [--json]
              the events of one execution (its name or ARN)""";

    private ExecutionCommands() {
    }

    static int startExecution(String[] argv) {
        Args args = Args.parse("start-execution", argv, Set.of("--input", "--name", "--data-dir"),
                Set.of("--no-wait", "--json"));
        String input = args.option("--input").orElseThrow(() ->
                new UsageException("start-execution: --input JSON is required, e.g. --input '{\"bucket\":\"...\",\"key\":\"...\"}'"));
        JsonNode parsed;
        try {
            parsed = Cli.MAPPER.readTree(input);
        } catch (IOException e) {
            throw new UsageException("start-execution: --input is not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (parsed == null || !parsed.isObject()) {
            throw new UsageException("start-execution: --input must be a JSON object, got " + input);
        }
        String name = args.option("--name").orElseGet(() -> "console-" + UUID.randomUUID());
        boolean json = args.flag("--json");
        StackFile stack = StackFile.read(Cli.dataDir(args));
        try (SfnClient sfn = stack.sfnClient()) {
            String arn = sfn.startExecution(request -> request.stateMachineArn(stack.stateMachineArn())
                    .name(name).input(parsed.toString())).executionArn();
            if (args.flag("--no-wait")) {
                if (json) {
                    Cli.printJson(Cli.MAPPER.createObjectNode().put("executionArn", arn));
                } else {
                    Cli.OUT.println("Started " + arn);
                }
                return Cli.OK;
            }
            ExecutionView end = Cli.follow(sfn, arn, Duration.ofDays(7), view -> {
                if (json) {
                    Cli.printJson(view);
                } else {
                    Cli.OUT.println(view.line());
                }
            });
            return "SUCCEEDED".equals(end.status()) ? Cli.OK : Cli.FAILED;
        }
    }

    static int executions(String[] argv) {
        Args args = Args.parse("executions", argv, Cli.COMMON_OPTIONS, Set.of("--json"));
        StackFile stack = StackFile.read(Cli.dataDir(args));
        try (SfnClient sfn = stack.sfnClient()) {
            List<ExecutionListItem> items = sfn.listExecutionsPaginator(request ->
                    request.stateMachineArn(stack.stateMachineArn())).executions().stream().toList();
            ArrayNode all = Cli.array();
            for (ExecutionListItem item : items) {
                ExecutionView view = ExecutionView.read(sfn, item.executionArn());
                if (args.flag("--json")) {
                    all.add(Cli.toJson(view));
                } else {
                    Cli.OUT.println(view.line());
                }
            }
            if (args.flag("--json")) {
                Cli.printJson(all);
            } else if (items.isEmpty()) {
                Cli.OUT.println("No executions yet.");
            }
            return Cli.OK;
        }
    }

    static int history(String[] argv) {
        Args args = Args.parse("history", argv, Cli.COMMON_OPTIONS, Set.of("--json"));
        if (args.positional().size() != 1) {
            throw new UsageException("history: expected one EXECUTION (name or ARN), got " + args.positional());
        }
        StackFile stack = StackFile.read(Cli.dataDir(args));
        String execution = args.positional().get(0);
        String arn = ExecutionView.executionArn(stack.stateMachineArn(), execution);
        try (SfnClient sfn = stack.sfnClient()) {
            List<HistoryEvent> events;
            try {
                events = sfn.getExecutionHistoryPaginator(request -> request.executionArn(arn)).events().stream().toList();
            } catch (ExecutionDoesNotExistException e) {
                throw new CommandFailedException("history: no execution " + execution + "; list them with 'local/run executions'");
            }
            ArrayNode all = Cli.array();
            for (HistoryEvent event : events) {
                if (args.flag("--json")) {
                    all.add(Cli.MAPPER.valueToTree(HistoryEntry.of(event)));
                } else {
                    Cli.OUT.println(HistoryEntry.of(event).line());
                }
            }
            if (args.flag("--json")) {
                Cli.printJson(all);
            }
            return Cli.OK;
        }
    }
}
