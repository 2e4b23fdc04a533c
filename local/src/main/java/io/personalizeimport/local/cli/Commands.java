package io.personalizeimport.local.cli;

import io.personalizeimport.local.personalize.PersonalizeEmulatorCommand;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Dispatches {@code local/run COMMAND}; turns usage errors and failures into clear messages and exit codes. */
public final class Commands {

    private static final String PERSONALIZE_USAGE = """
            personalize --port N [--data-dir DIR] [--s3-endpoint URL] [--step-millis N]
              the Personalize emulator alone; prints its endpoint URL first""";

    static final String USAGE = "usage: local/run COMMAND [OPTIONS]\n\ncommands:\n"
            + Stream.of(DemoCommand.USAGE, UpCommand.USAGE, ImportCommand.USAGE, ExecutionCommands.USAGE,
                    FilesCommand.USAGE, EventsCommand.USAGE, MetricsCommand.USAGE, DeadLetterCommands.USAGE, BenchCommand.USAGE, FirstCallClassesCommand.USAGE, GenerateDemoDataCommand.USAGE, PERSONALIZE_USAGE, "help\n  this text")
                    .map(text -> text.indent(2))
                    .collect(Collectors.joining())
            + "\nexit codes: 0 success (an import ended ACTIVE); 1 failure (an import failed, the stack is not running,"
            + "\na file is missing, a port is in use); 2 usage error (unknown command or option, malformed value)";

    private Commands() {
    }

    public static int run(String[] args) {
        if (args.length == 0) {
            Cli.ERR.println(USAGE);
            return Cli.USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        try {
            return switch (args[0]) {
                case "demo" -> DemoCommand.run(rest);
                case "up" -> UpCommand.run(rest);
                case "import" -> ImportCommand.run(rest);
                case "start-execution" -> ExecutionCommands.startExecution(rest);
                case "executions" -> ExecutionCommands.executions(rest);
                case "history" -> ExecutionCommands.history(rest);
                case "files" -> FilesCommand.run(rest);
                case "events" -> EventsCommand.run(rest);
                case "metrics" -> MetricsCommand.run(rest);
                case "dead-letters" -> DeadLetterCommands.list(rest);
                case "redrive" -> DeadLetterCommands.redrive(rest);
                case "bench" -> BenchCommand.run(rest);
                case "first-call-classes" -> FirstCallClassesCommand.run(rest);
                case "generate-demo-data" -> GenerateDemoDataCommand.run(rest);
                case "personalize" -> PersonalizeEmulatorCommand.run(rest);
                case "help", "--help", "-h" -> {
                    Cli.OUT.println(USAGE);
                    yield Cli.OK;
                }
                default -> throw new UsageException("unknown command '" + args[0] + "'");
            };
        } catch (UsageException e) {
            Cli.ERR.println("local/run: " + e.getMessage() + "\n\n" + USAGE);
            return Cli.USAGE;
        } catch (CommandFailedException e) {
            Cli.ERR.println("local/run: " + e.getMessage());
            return Cli.FAILED;
        }
    }
}
