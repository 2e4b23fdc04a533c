package io.personalizeimport.local.cli;

import io.personalizeimport.lambdas.config.PipelineConfig;
import io.personalizeimport.lambdas.config.DeletionRoute;
import io.personalizeimport.lambdas.config.Route;
import io.personalizeimport.lambdas.config.RouteTable;
import io.personalizeimport.local.console.ConsoleServer;
import io.personalizeimport.local.personalize.Domain;
import io.personalizeimport.local.stack.DatasetPlan;
import io.personalizeimport.local.stack.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.services.sfn.SfnClient;

/** {@code local/run up}: starts the whole stack, shows each import's progress, and stops cleanly on Ctrl-C. */
final class UpCommand {

    static final String USAGE = """
            up [--data-dir DIR] [--time-scale F] [--step-millis N] [--port-base N] [--console-port N]
               [--routes FILE] [--schema [GROUP/]TYPE=FILE.avsc]... [--domain GROUP=DOMAIN]...
               [--max-import-jobs N] [--json]
              start S3, notifications, Personalize, DynamoDB, the functions and Step Functions on 127.0.0.1
              (--port-base N: ports N to N+5, the console N+6); show every import's progress on stdout
              until Ctrl-C, and stream the stack's log (functions, emulators, Step Functions) to stderr
              (2>FILE keeps it in a file);
              the console page (--console-port N; default N+6 of --port-base, else a free port) shows them too.
              --routes: a ROUTES JSON array (as the functions' variable) whose routes name datasets
              arn:aws:personalize:us-east-1:000000000000:dataset/GROUP/TYPE, TYPE one of INTERACTIONS,
              ITEMS, USERS, ACTIONS, ACTION_INTERACTIONS; the stack creates every group and dataset they name;
              --schema: the Avro schema of dataset GROUP/TYPE (TYPE alone: the demo group's), repeatable,
              else the type's default of infra/schemas; a data dir seeded with another schema has its
              dataset updated to this one;
              --domain: the domain of dataset group GROUP (ECOMMERCE or VIDEO_ON_DEMAND), repeatable; its
              schemas must then follow the domain's rules;
              --max-import-jobs: the functions' MAX_IMPORT_JOBS, the most import jobs the pipeline runs at
              once (1 to 5, default 5); lanes beyond it wait in line for a slot""";

    /** The whole number of {@code --max-import-jobs}, 1 to Personalize's five per region. */
    static int maxImportJobs(Args args) {
        double max = args.number("up", "--max-import-jobs", PipelineConfig.REGION_IMPORT_JOBS, 1,
                PipelineConfig.REGION_IMPORT_JOBS);
        if (max != Math.rint(max)) {
            throw new UsageException("up: --max-import-jobs expects a whole number from 1 to "
                    + PipelineConfig.REGION_IMPORT_JOBS + ", got '" + args.option("--max-import-jobs").orElse("")
                    + "'");
        }
        return (int) max;
    }

    /** The ports --port-base takes: S3, Personalize, Lambda, Step Functions, DynamoDB, EventBridge. */
    static final int PORTS = 6;
    /** The console's port after those of --port-base: N+6. */
    static final int CONSOLE_OFFSET = PORTS;

    private UpCommand() {
    }

    static int run(String[] argv) {
        Args args = Args.parse("up", argv, Set.of("--data-dir", "--time-scale", "--step-millis", "--port-base",
                "--console-port", "--routes", "--schema", "--domain", "--max-import-jobs"), Set.of("--json"));
        Path dataDir = Cli.dataDir(args);
        boolean json = args.flag("--json");
        LocalStack.Builder builder = configure(args, dataDir);
        refuseSecondStack(dataDir);
        LocalStack stack = start(builder, portBase(args));
        ConsoleServer console = startConsole(stack, consolePort("up", args));
        CountDownLatch stopped = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            main.interrupt();
            console.close();
            stop(stack, dataDir);
            stopped.countDown();
        }, "local-stack-stop"));
        try {
            StackFile.of(stack).write(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        announce(stack, console, dataDir, json);
        try (SfnClient sfn = stack.sfnClient()) {
            // Returns on Ctrl-C, when the shutdown hook interrupts this thread and stops the stack.
            Cli.watchAll(sfn, stack.stateMachineArn(), view -> {
                if (json) {
                    Cli.printJson(view);
                } else {
                    Cli.OUT.println(view.line());
                }
            });
        }
        return Cli.OK;
    }

    private static void refuseSecondStack(Path dataDir) {
        StackFile.running(dataDir).ifPresent(running -> {
            throw new CommandFailedException("A local stack is already running on " + dataDir + " (process "
                    + running.pid() + "): stop it with Ctrl-C, or use another --data-dir");
        });
    }

    /** The stack the options describe, its routes and schemas read and checked; nothing is started yet. */
    static LocalStack.Builder configure(Args args, Path dataDir) {
        int base = portBase(args);
        LocalStack.Builder builder = LocalStack.builder()
                .root(Cli.root())
                .dataDir(dataDir)
                .timeScale(args.number("up", "--time-scale", 1.0, 0.0001, 1.0))
                .personalizeStepMillis((long) args.number("up", "--step-millis", 5_000, 1, 3_600_000))
                .maxImportJobs(maxImportJobs(args));
        if (base > 0) {
            builder.ports(base, base + 1, base + 2, base + 3, base + 4, base + 5);
        }
        RouteTable routes = args.option("--routes").map(file -> {
            String json = routes(Path.of(file));
            builder.routes(json);
            return LocalStack.parseRoutes(json);
        }).orElseGet(() -> LocalStack.parseRoutes(LocalStack.demoRoutesJson()));
        Map<String, Domain> domains = domains(args, routes);
        domains.forEach(builder::domain);
        Set<String> datasets = new HashSet<>();
        for (String spec : args.all("--schema")) {
            int equals = spec.indexOf('=');
            if (equals <= 0 || equals == spec.length() - 1) {
                throw new UsageException("up: --schema expects [GROUP/]TYPE=FILE.avsc, got '" + spec + "'");
            }
            String dataset;
            try {
                dataset = DatasetPlan.datasetKey(spec.substring(0, equals));
            } catch (IllegalArgumentException e) {
                throw new UsageException("up: --schema '" + spec + "': " + e.getMessage());
            }
            // The demo group's datasets keep their short name, TYPE, as people wrote it before groups.
            String named = spec.substring(0, equals).contains("/") ? dataset
                    : dataset.substring(dataset.indexOf('/') + 1);
            if (!datasets.add(dataset)) {
                throw new UsageException("up: --schema names " + named + " twice; give one schema per dataset");
            }
            Set<String> routed = DatasetPlan.datasetKeys(routes);
            if (!routed.contains(dataset)) {
                throw new UsageException("up: --schema " + spec + ": no route names dataset " + dataset
                        + "; the routes name " + routed);
            }
            Path file = Path.of(spec.substring(equals + 1));
            String schema = read(file, "--schema " + named);
            DatasetPlan.schemaProblem(routes, domains, dataset, schema).ifPresent(problem -> {
                throw new UsageException("up: --schema " + named + "=" + file + " cannot be the " + named
                        + " schema: " + problem);
            });
            builder.schema(dataset, schema);
        }
        try {
            // What is left to check: the default schemas of the datasets given none, against their groups' domains.
            builder.build();
        } catch (IllegalArgumentException e) {
            throw new UsageException("up: " + e.getMessage());
        }
        return builder;
    }

    /** The --domain GROUP=DOMAIN options, each naming a group of the routes, at most once. */
    private static Map<String, Domain> domains(Args args, RouteTable routes) {
        Map<String, Domain> domains = new LinkedHashMap<>();
        Set<String> groups = DatasetPlan.groups(routes);
        for (String spec : args.all("--domain")) {
            int equals = spec.indexOf('=');
            String group = equals > 0 ? spec.substring(0, equals) : "";
            Optional<Domain> domain = Domain.named(spec.substring(equals + 1).toUpperCase(Locale.ROOT))
                    .filter(d -> d != Domain.CUSTOM);
            if (group.isEmpty() || domain.isEmpty()) {
                throw new UsageException("up: --domain expects GROUP=DOMAIN with DOMAIN ECOMMERCE or VIDEO_ON_DEMAND,"
                        + " got '" + spec + "'");
            }
            if (!groups.contains(group)) {
                throw new UsageException("up: --domain " + spec + ": no route names a dataset of group " + group
                        + "; the routes name the groups " + groups);
            }
            if (domains.put(group, domain.get()) != null) {
                throw new UsageException("up: --domain names group " + group + " twice; give one domain per group");
            }
        }
        return domains;
    }

    private static int portBase(Args args) {
        return (int) args.number("up", "--port-base", 0, 1024, 65_535 - CONSOLE_OFFSET);
    }

    /** --console-port, else N+6 of --port-base N, else 0: a free port. */
    static int consolePort(String command, Args args) {
        int base = command.equals("up") ? portBase(args) : 0;
        return (int) args.number(command, "--console-port", base > 0 ? base + CONSOLE_OFFSET : 0, 0, 65_535);
    }

    /** The console page of {@code stack}; a port in use stops the stack and says which option to change. */
    static ConsoleServer startConsole(LocalStack stack, int port) {
        try {
            return ConsoleServer.start(stack, Cli.root(), port, Cli.ERR::println);
        } catch (RuntimeException e) {
            stack.close();
            if (Cli.cause(e, BindException.class) != null) {
                throw new CommandFailedException("The console's port " + port + " is in use: choose another"
                        + " --console-port (0 takes a free one)", e);
            }
            throw new CommandFailedException("The console cannot start: " + e.getMessage(), e);
        }
    }

    /** The routes of {@code file}, checked as the functions and the local stack check them. */
    private static String routes(Path file) {
        String json = read(file, "--routes");
        try {
            LocalStack.parseRoutes(json);
        } catch (IllegalArgumentException e) {
            // The functions' message names their variable; here the routes come from a file.
            throw new UsageException("up: --routes " + file + " is not a valid routes file: "
                    + e.getMessage().replaceFirst("^Environment variable ", ""));
        }
        return json;
    }

    private static String read(Path file, String option) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new CommandFailedException("up: " + option + ": no file " + file.toAbsolutePath());
        } catch (IOException e) {
            throw new CommandFailedException("up: " + option + ": cannot read " + file.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    static LocalStack start(LocalStack.Builder builder, int base) {
        try {
            return builder.build().start();
        } catch (RuntimeException e) {
            BindException bind = Cli.cause(e, BindException.class);
            if (bind != null) {
                throw new CommandFailedException("A port from " + base + " to " + (base + PORTS - 1)
                        + " is in use (" + bind.getMessage() + "): choose another --port-base, or omit it to take free ports", e);
            }
            throw e;
        }
    }

    private static void stop(LocalStack stack, Path dataDir) {
        try {
            StackFile.delete(dataDir);
        } catch (IOException e) {
            Cli.ERR.println("local/run: could not remove " + dataDir.resolve(StackFile.FILE_NAME) + ": " + e.getMessage());
        }
        stack.close();
        Cli.ERR.println("local/run: the local stack has stopped; its state stays in " + dataDir);
    }

    private static void announce(LocalStack stack, ConsoleServer console, Path dataDir, boolean json) {
        if (json) {
            Cli.printJson(Map.of("event", "started", "endpoints", stack.endpoints(), "console", console.endpoint(),
                    "bucketFolder", stack.bucketFolder().toString(), "dataDir", dataDir.toString(),
                    "stateMachineArn", stack.stateMachineArn()));
            return;
        }
        Cli.OUT.println("The local stack is up (Ctrl-C stops it; its state stays in " + dataDir + ").");
        stack.endpoints().forEach((name, uri) -> Cli.OUT.printf("  %-14s %s%n", name, uri));
        Cli.OUT.printf("  %-14s %s%n", "console", console.endpoint());
        Cli.OUT.println("  bucket         " + LocalStack.BUCKET + " = folder " + stack.bucketFolder());
        Cli.OUT.println("Routes:");
        for (Route route : stack.routes()) {
            Cli.OUT.printf("  %-14s %-14s -> %s (%s%s)%n", route.name(), route.prefix(), route.datasetArn(),
                    route.importMode(), route.group() == Route.Group.FOLDER
                            ? ", a folder per import, completed by " + route.marker() : "");
        }
        for (DeletionRoute route : stack.deletionRoutes()) {
            Cli.OUT.printf("  %-14s %-14s -> deletes the users listed from %s%n", route.name(), route.prefix(),
                    route.datasetGroupArn());
        }
        Cli.OUT.println("Drop a CSV into a route's folder, or run: local/run import FILE --route NAME");
        Cli.OUT.println();
    }
}
