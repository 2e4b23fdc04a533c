package io.personalizeimport.local.cli;

import io.personalizeimport.local.stack.LocalStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import software.amazon.awssdk.services.sfn.SfnClient;

/** {@code local/run up}: starts the whole stack, shows each import's progress, and stops cleanly on Ctrl-C. */
final class UpCommand {

    static final String USAGE = """
            up [--data-dir DIR] [--time-scale F] [--step-millis N] [--port-base N] [--json]
              start S3, notifications, Personalize, the functions and Step Functions on 127.0.0.1;
              show every import's progress until Ctrl-C""";

    private UpCommand() {
    }

    static int run(String[] argv) {
        Args args = Args.parse("up", argv, Set.of("--data-dir", "--time-scale", "--step-millis", "--port-base"),
                Set.of("--json"));
        Path dataDir = Cli.dataDir(args);
        boolean json = args.flag("--json");
        refuseSecondStack(dataDir);
        LocalStack stack = start(args, dataDir);
        CountDownLatch stopped = new CountDownLatch(1);
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            main.interrupt();
            stop(stack, dataDir);
            stopped.countDown();
        }, "local-stack-stop"));
        try {
            StackFile.of(stack).write(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        announce(stack, dataDir, json);
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

    static LocalStack start(Args args, Path dataDir) {
        int base = (int) args.number("up", "--port-base", 0, 1024, 65_532);
        LocalStack.Builder builder = LocalStack.builder()
                .root(Cli.root())
                .dataDir(dataDir)
                .timeScale(args.number("up", "--time-scale", 1.0, 0.0001, 1.0))
                .personalizeStepMillis((long) args.number("up", "--step-millis", 5_000, 1, 3_600_000));
        if (base > 0) {
            builder.ports(base, base + 1, base + 2, base + 3);
        }
        try {
            return builder.build().start();
        } catch (RuntimeException e) {
            BindException bind = Cli.cause(e, BindException.class);
            if (bind != null) {
                throw new CommandFailedException("A port from " + base + " to " + (base + 3)
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

    private static void announce(LocalStack stack, Path dataDir, boolean json) {
        if (json) {
            Cli.printJson(Map.of("event", "started", "endpoints", stack.endpoints(),
                    "bucketFolder", stack.bucketFolder().toString(), "dataDir", dataDir.toString(),
                    "stateMachineArn", stack.stateMachineArn()));
            return;
        }
        Cli.OUT.println("The local stack is up (Ctrl-C stops it; its state stays in " + dataDir + ").");
        stack.endpoints().forEach((name, uri) -> Cli.OUT.printf("  %-14s %s%n", name, uri));
        Cli.OUT.println("  bucket         " + LocalStack.BUCKET + " = folder " + stack.bucketFolder());
        Cli.OUT.println("Routes:");
        for (LocalStack.DemoRoute route : LocalStack.DEMO_ROUTES) {
            Cli.OUT.printf("  %-14s %-14s -> %s%n", route.name(), route.prefix(), stack.datasetArn(route.name()));
        }
        Cli.OUT.println("Drop a CSV into a route's folder, or run: local/run import FILE --route NAME");
        Cli.OUT.println();
    }
}
