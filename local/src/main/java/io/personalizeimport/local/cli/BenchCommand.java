package io.personalizeimport.local.cli;

import io.personalizeimport.local.bench.Bench;
import io.personalizeimport.local.bench.BenchFailedException;
import io.personalizeimport.local.bench.BenchReport;
import io.personalizeimport.local.bench.PollTable;
import io.personalizeimport.local.bench.Samples;
import io.personalizeimport.local.bench.AwsPrices;
import io.personalizeimport.local.bench.QuotaUse;
import io.personalizeimport.local.bench.RegionBench;
import io.personalizeimport.local.bench.RunCosts;
import io.personalizeimport.local.bench.StagingBench;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code local/run bench}: issue 9's and 18's figures measured on this machine, on a fresh local stack: each function's
 * cold start as a ratio to a bare JVM, its primed first call (SnapStart's hooks run first) as a ratio to its warm p50,
 * warm invocations, deployment package sizes and the poll policy's costs, each against its goal. It prints figures
 * and whether they meet their goals; it fails only when it cannot measure.
 */
final class BenchCommand {

    static final String USAGE = """
            bench [--runs N] [--warm N] [--data-dir DIR] [--jvm-option OPTION]... [--json]
              issues 9 and 18's figures on this machine: each function's cold start against a bare JVM and its
              first call after SnapStart's priming hooks (N fresh JVMs each, default 7), warm invocations of each
              function (default 200), package sizes, the poll policy's polls, state transitions and detection
              delays, each against its goal (default data dir .local-data/bench);
              --jvm-option adds an option to every function's JVM, e.g. -Xlog:class+load:file=DIR/%p.log:uptime
            bench --scenario staging [--files N] [--file-bytes N] [--data-dir DIR]
              issue 19's figures: a burst of N INCREMENTAL interaction files (default 500) of about N bytes each
              (default 2000000, at least 1,000 rows each) to a coalescing route while a bulk import holds the lane:
              the time until every file is staged and IMPORTED, the create task's calls and the emulator's records
            bench --scenario region [--datasets N] [--files N] [--job-minutes M] [--mode full|incremental]
                  [--time-scale S] [--cost-table] [--data-dir DIR]
              issue 20's figures: a burst of N files (default 40) into N datasets (default 20, all five types over
              4 dataset groups) whose import jobs last M minutes (default 10), scaled so a job takes 15 s: wall time
              against the ideal (the jobs' time / 5), the quota's use while work waits, the emulator's stats, and
              what the run costs in AWS; --cost-table runs 10-minute and 2-hour jobs, FULL and INCREMENTAL""";

    static final int DEFAULT_RUNS = 7;
    static final int DEFAULT_WARM = 200;

    private BenchCommand() {
    }

    static int run(String[] argv) {
        return run(argv, Cli.OUT, Cli.root());
    }

    /** Measures the built jars and the state machine of the checkout at {@code root}. */
    static int run(String[] argv, PrintStream out, Path root) {
        Args args = parse(argv);
        if (!args.positional().isEmpty()) {
            throw new UsageException("bench: expected no arguments, got " + args.positional());
        }
        String scenario = args.option("--scenario").orElse("functions");
        if (scenario.equals("region")) {
            return region(args, out, root);
        }
        for (String option : REGION_ONLY) {
            if (args.option(option).isPresent() || (option.equals("--cost-table") && args.flag(option))) {
                throw new UsageException("bench: " + option + " is for --scenario region only");
            }
        }
        if (scenario.equals("staging")) {
            return staging(args, out, root);
        }
        if (!scenario.equals("functions")) {
            throw new UsageException("bench: --scenario is '" + scenario + "': expected functions (the default),"
                    + " staging or region");
        }
        for (String option : List.of("--files", "--file-bytes")) {
            if (args.option(option).isPresent()) {
                throw new UsageException("bench: " + option + " is for --scenario staging only");
            }
        }
        boolean json = args.flag("--json");
        int runs = (int) whole(args, "--runs", DEFAULT_RUNS, 100);
        int warm = (int) whole(args, "--warm", DEFAULT_WARM, 10_000);
        Path dataDir = args.option("--data-dir").map(dir -> Path.of(dir).toAbsolutePath().normalize())
                .orElseGet(() -> Cli.defaultDataDir().resolve("bench"));
        Cli.freshDataDir("bench", dataDir);
        BenchReport report;
        try {
            report = Bench.run(new Bench.Settings(root, dataDir, runs, warm, args.all("--jvm-option"),
                    json ? line -> { } : line -> Cli.ERR.println(line)));
        } catch (BenchFailedException e) {
            throw new CommandFailedException("bench: " + e.getMessage() + " (logs in " + dataDir + ")", e);
        }
        if (json) {
            out.println(Cli.MAPPER.valueToTree(report).toString());
        } else {
            print(report, out);
        }
        return Cli.OK;
    }

    static Args parse(String[] argv) {
        return Args.parse("bench", argv, Set.of("--runs", "--warm", "--data-dir", "--jvm-option", "--scenario",
                "--files", "--file-bytes", "--datasets", "--job-minutes", "--mode", "--time-scale"),
                Set.of("--json", "--cost-table"));
    }

    private static final List<String> REGION_ONLY = List.of("--datasets", "--job-minutes", "--mode", "--time-scale",
            "--cost-table");

    /** The region scenario's runs from the arguments, checked: one, or with --cost-table the four of the table. */
    static List<RegionBench.Settings> regionSettings(Args args, Path root) {
        for (String option : List.of("--runs", "--warm", "--jvm-option", "--file-bytes", "--json")) {
            if (args.option(option).isPresent() || (option.equals("--json") && args.flag(option))) {
                throw new UsageException("bench: " + option + " does not apply to --scenario region");
            }
        }
        int datasets = (int) whole(args, "--datasets", RegionBench.DEFAULT_DATASETS,
                RegionBench.GROUPS * RegionBench.TYPES.size());
        int files = (int) whole(args, "--files", Math.max(RegionBench.DEFAULT_FILES, datasets), 2_000);
        if (files < datasets) {
            throw new UsageException("bench: --files is " + files + ": expected at least one file per dataset, "
                    + datasets);
        }
        boolean table = args.flag("--cost-table");
        if (table && (args.option("--job-minutes").isPresent() || args.option("--mode").isPresent())) {
            throw new UsageException("bench: --cost-table runs 10-minute and 2-hour jobs in both modes itself: expected"
                    + " no --job-minutes or --mode with it");
        }
        int minutes = (int) whole(args, "--job-minutes", RegionBench.DEFAULT_JOB_MINUTES, 48 * 60);
        String modeName = args.option("--mode").orElse("full");
        RegionBench.Mode mode = switch (modeName) {
            case "full" -> RegionBench.Mode.FULL;
            case "incremental" -> RegionBench.Mode.INCREMENTAL;
            default -> throw new UsageException("bench: --mode is '" + modeName + "': expected full or incremental");
        };
        Double scale = args.option("--time-scale").isPresent()
                ? args.number("bench", "--time-scale", 1, 0.000_01, 1) : null;
        Path dataDir = args.option("--data-dir").map(dir -> Path.of(dir).toAbsolutePath().normalize())
                .orElseGet(() -> Cli.defaultDataDir().resolve("bench-region"));
        Consumer<String> progress = line -> Cli.ERR.println(line);
        if (!table) {
            return List.of(new RegionBench.Settings(root, dataDir, datasets, files, minutes, mode,
                    scale == null ? RegionBench.Settings.defaultTimeScale(minutes) : scale, progress));
        }
        List<RegionBench.Settings> runs = new ArrayList<>();
        for (int jobMinutes : List.of(10, 120)) {
            for (RegionBench.Mode each : RegionBench.Mode.values()) {
                runs.add(new RegionBench.Settings(root, dataDir.resolve(jobMinutes + "min-" + each.name()
                        .toLowerCase(Locale.ROOT)), datasets, files, jobMinutes, each,
                        scale == null ? RegionBench.Settings.defaultTimeScale(jobMinutes) : scale, progress));
            }
        }
        return runs;
    }

    private static int region(Args args, PrintStream out, Path root) {
        List<RegionBench.Settings> runs = regionSettings(args, root);
        // The cost table's four runs each have a folder of their own under --data-dir.
        Cli.freshDataDir("bench", runs.size() > 1 ? runs.getFirst().dataDir().getParent() : runs.getFirst().dataDir());
        List<RegionBench.Report> reports = new ArrayList<>();
        for (RegionBench.Settings settings : runs) {
            try {
                RegionBench.Report report = RegionBench.run(settings);
                print(report, out);
                reports.add(report);
            } catch (BenchFailedException e) {
                throw new CommandFailedException("bench: " + e.getMessage() + " (logs in " + settings.dataDir() + ")",
                        e);
            }
        }
        if (reports.size() > 1) {
            printCostTable(reports, AwsPrices.US_EAST_1, out);
        }
        return Cli.OK;
    }

    static void print(RegionBench.Report report, PrintStream out) {
        RegionBench.Settings settings = report.settings();
        QuotaUse quota = report.quota();
        out.printf(Locale.ROOT, "local/run bench --scenario region: %d %s files into %d datasets in %d dataset groups,"
                        + " %d-minute jobs at time scale %s (a job %.1f s)%n", settings.files(), settings.mode(),
                settings.datasets(), Math.min(RegionBench.GROUPS, settings.datasets()), settings.jobMinutes(),
                settings.timeScale(), settings.jobMinutes() * 60 * settings.timeScale());
        out.printf(Locale.ROOT, "  import jobs                  %d, %s in all%n", report.jobs().size(),
                seconds(Duration.ofMillis(quota.idealMillis() * report.maxImportJobs())));
        out.printf(Locale.ROOT, "  wall time                    %s, ideal %s (the jobs' time / %d): %.2fx, goal <= %.2fx"
                        + " %s%n", seconds(Duration.ofMillis(quota.wallMillis())),
                seconds(Duration.ofMillis(quota.idealMillis())), report.maxImportJobs(), quota.ratio(),
                QuotaUse.RATIO_GOAL, met(quota.meetsRatioGoal()));
        out.printf(Locale.ROOT, "  quota in use while work waits %.1f%% over %s, goal >= %.0f%% %s%n",
                quota.utilisation() * 100, seconds(Duration.ofMillis(quota.waitingMillis())),
                QuotaUse.UTILISATION_GOAL * 100, met(quota.meetsUtilisationGoal()));
        out.printf(Locale.ROOT, "  emulator's stats             maxUnfinishedImportJobs %d, limitExceededAnswers %d,"
                        + " importJobsCreated %d%s%n", report.stats().maxUnfinishedImportJobs(),
                report.stats().limitExceededAnswers(), report.stats().importJobsCreated(),
                settings.mode() == RegionBench.Mode.INCREMENTAL ? " (the first FULL imports included)" : "");
        out.printf(Locale.ROOT, "  describe polls               %d made here; %d for these jobs at their real length"
                + " (PollPolicy), which the costs below count%n", report.polls().measured(), report.polls().modelled());
        RunCosts costs = report.costs();
        AwsPrices prices = AwsPrices.US_EAST_1;
        double[] dollars = costs.dollars(prices);
        out.printf(Locale.ROOT, "  AWS at list prices (%s)%n", "us-east-1, " + AwsPrices.class.getSimpleName());
        out.printf(Locale.ROOT, "    Step Functions             %d state transitions   $%.6f%n", costs.stateTransitions(),
                dollars[0]);
        out.printf(Locale.ROOT, "    Lambda                     %d requests, %.1f GB-s   $%.6f%n", costs.lambdaRequests(),
                costs.lambdaGbSeconds(), dollars[1]);
        out.printf(Locale.ROOT, "    DynamoDB                   %.1f RRU, %.1f WRU   $%.6f%n", costs.readUnits(),
                costs.writeUnits(), dollars[2]);
        out.printf(Locale.ROOT, "    EventBridge                %d events   $%.6f%n", costs.events(), dollars[3]);
        out.printf(Locale.ROOT, "    per file $%.6f, per 1,000 files $%.2f%n", costs.perFile(prices),
                costs.perFile(prices) * 1_000);
    }

    static void printCostTable(List<RegionBench.Report> reports, AwsPrices prices, PrintStream out) {
        out.println();
        out.println("What the pipeline costs in AWS at list prices (us-east-1), from the counts of these runs");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("JOB", "MODE", "FILES", "JOBS", "TRANSITIONS/FILE", "LAMBDA REQ/FILE", "RRU+WRU/FILE",
                "EVENTS/FILE", "PER FILE", "PER 1,000 FILES"));
        for (RegionBench.Report report : reports) {
            RunCosts costs = report.costs();
            double files = costs.files();
            rows.add(List.of(human(Duration.ofMinutes(report.settings().jobMinutes())),
                    report.settings().mode() == RegionBench.Mode.FULL ? "FULL" : "INCREMENTAL (coalesced)",
                    Integer.toString(costs.files()), Integer.toString(report.jobs().size()),
                    String.format(Locale.ROOT, "%.1f", costs.stateTransitions() / files),
                    String.format(Locale.ROOT, "%.1f", costs.lambdaRequests() / files),
                    String.format(Locale.ROOT, "%.1f", (costs.readUnits() + costs.writeUnits()) / files),
                    String.format(Locale.ROOT, "%.1f", costs.events() / files),
                    String.format(Locale.ROOT, "$%.6f", costs.perFile(prices)),
                    String.format(Locale.ROOT, "$%.3f", costs.perFile(prices) * 1_000)));
        }
        table(rows, out);
    }

    /** The staging scenario's settings from the arguments, checked; the others do not apply to it. */
    static StagingBench.Settings stagingSettings(Args args, Path root) {
        for (String option : List.of("--runs", "--warm", "--jvm-option", "--json")) {
            if (args.option(option).isPresent() || (option.equals("--json") && args.flag(option))) {
                throw new UsageException("bench: " + option + " does not apply to --scenario staging");
            }
        }
        int files = (int) whole(args, "--files", StagingBench.DEFAULT_FILES, 500);
        if (files < 2) {
            throw new UsageException("bench: --files is 1: a staged batch has at least 2 files");
        }
        long fileBytes = (long) wholeLong(args, "--file-bytes", StagingBench.DEFAULT_FILE_BYTES, 100_000_000);
        Path dataDir = args.option("--data-dir").map(dir -> Path.of(dir).toAbsolutePath().normalize())
                .orElseGet(() -> Cli.defaultDataDir().resolve("bench-staging"));
        return new StagingBench.Settings(root, dataDir, files, fileBytes, line -> Cli.ERR.println(line));
    }

    private static int staging(Args args, PrintStream out, Path root) {
        StagingBench.Settings settings = stagingSettings(args, root);
        Cli.freshDataDir("bench", settings.dataDir());
        StagingBench.Report report;
        try {
            report = StagingBench.run(settings);
        } catch (BenchFailedException e) {
            throw new CommandFailedException("bench: " + e.getMessage() + " (logs in " + settings.dataDir() + ")", e);
        }
        print(report, out);
        return Cli.OK;
    }

    static void print(StagingBench.Report report, PrintStream out) {
        out.printf(Locale.ROOT, "local/run bench --scenario staging: %d files, %d bytes (%.2f GB), %d rows%n",
                report.files(), report.bytes(), report.bytes() / 1e9, report.rows());
        out.printf(Locale.ROOT, "  burst landing in the route   %s%n", seconds(report.upload()));
        out.printf(Locale.ROOT, "  time to stage                %s after its first file%n", seconds(report.toStaged()));
        out.printf(Locale.ROOT, "  create task invocations      %d (in %d job%s)%n", report.createCalls(), report.jobs(),
                report.jobs() == 1 ? "" : "s");
        out.printf(Locale.ROOT, "  time until IMPORTED          %s after its first file%n",
                seconds(report.toImported()));
        out.printf(Locale.ROOT, "  emulator's records           %d of the burst's %d rows%n", report.records(),
                report.rows());
    }

    private static String seconds(Duration duration) {
        return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
    }

    private static double wholeLong(Args args, String name, long defaultValue, long max) {
        double value = args.number("bench", name, defaultValue, 1, max);
        if (value != Math.rint(value)) {
            throw new UsageException("bench: " + name + " expects a whole number, got " + args.option(name).orElseThrow());
        }
        return value;
    }

    private static double whole(Args args, String name, int defaultValue, int max) {
        double value = args.number("bench", name, defaultValue, 1, max);
        if (value != Math.rint(value)) {
            throw new UsageException("bench: " + name + " expects a whole number, got " + args.option(name).orElseThrow());
        }
        return value;
    }

    static void print(BenchReport report, PrintStream out) {
        BenchReport.Machine machine = report.machine();
        out.printf("local/run bench on %s, %d CPUs, java %s%n%n", machine.os(), machine.cpus(), machine.javaVersion());

        goals(report, out);

        out.printf("Cold start: process start to exit, a fresh JVM per run, %d run%s each%n", machine.runs(),
                machine.runs() == 1 ? "" : "s");
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("FIGURE", "MEDIAN", "MIN-MAX", "RATIO", "GOAL", "INIT", "1ST CALL", "HANDLER"));
        for (BenchReport.ColdStart figure : report.coldStarts()) {
            rows.add(List.of(figure.figure(), millis(figure.process().median()),
                    range(figure.process()),
                    ratio(figure.ratio()),
                    figure.goal() == null ? "" : String.format(Locale.ROOT, "<= %.1fx %s", figure.goal(),
                            met(figure.meetsGoal())),
                    figure.init() == null ? "" : millis(figure.init().median()),
                    figure.firstInvocation() == null ? "" : millis(figure.firstInvocation().median()),
                    figure.handler() == null ? "" : figure.handler()));
        }
        table(rows, out);
        out.println("  INIT and 1ST CALL are medians timed inside the JVM: the handler's constructor, its first"
                + " invocation");
        out.println();

        out.println("Primed first call: a fresh JVM per run; after init the CRaC hooks run as SnapStart runs them"
                + " before its snapshot (untimed), then the first invocation");
        rows = new ArrayList<>();
        rows.add(List.of("FUNCTION", "MEDIAN", "MIN-MAX", "WARM P50", "RATIO", "GOAL", "HOOKS", "CLASSES"));
        for (BenchReport.PrimedStart figure : report.primedStarts()) {
            rows.add(List.of(figure.function(), millis(figure.firstInvocation().median()),
                    range(figure.firstInvocation()), millis(figure.warmP50Millis()), ratio(figure.ratio()),
                    String.format(Locale.ROOT, "<= %.1fx %s", figure.goal(), met(figure.meetsGoal())),
                    millis(figure.priming().median()),
                    Long.toString(median(figure.primingClasses()))));
        }
        table(rows, out);
        out.println("  HOOKS and CLASSES are medians: the hooks' time and the classes the JVM loaded meanwhile");
        out.println();

        out.printf("Warm invocations: the handler's time in one JVM per function, after %d unmeasured%n",
                machine.warmUp());
        rows = new ArrayList<>();
        rows.add(List.of("FUNCTION", "N", "P50", "P99", "MAX", "WORK"));
        for (BenchReport.Warm warm : report.warm()) {
            Samples samples = warm.invocations();
            rows.add(List.of(warm.function(), Integer.toString(samples.count()), millis(samples.median()),
                    millis(samples.p99()), millis(samples.max()), warm.work()));
        }
        table(rows, out);
        out.println();

        out.println("Deployment packages");
        rows = new ArrayList<>();
        rows.add(List.of("FUNCTION", "SIZE", "GOAL", "PATH"));
        for (BenchReport.DeploymentPackage jar : report.packages()) {
            rows.add(List.of(jar.function(), megabytes(jar.bytes()),
                    "<= " + megabytes(jar.goalBytes()).replace(".0 ", " ") + " " + met(jar.meetsGoal()),
                    jar.path() + (jar.sharedWith().isEmpty() ? "" : " (also " + String.join(", ", jar.sharedWith())
                            + ")")));
        }
        table(rows, out);
        out.println();

        PollTable polls = report.pollPolicy();
        out.printf("Poll policy: each wait %d%% of the job's age, %d s to %d s; monitor deadline %s%n",
                polls.waitPerAgePercent(), polls.initialSeconds(), polls.maxSeconds(), human(polls.deadline()));
        rows = new ArrayList<>();
        rows.add(List.of("JOB", "POLLS", "STATE TRANSITIONS", "SEEN LATE", "AT WORST", "GOAL max(15 s, 10%)"));
        for (PollTable.Row row : polls.jobs()) {
            rows.add(List.of(human(row.job()), Long.toString(row.polls()), Long.toString(row.stateTransitions()),
                    human(Duration.ofSeconds(row.delaySeconds())), human(Duration.ofSeconds(row.worstDelaySeconds())),
                    human(Duration.ofSeconds(row.goalSeconds())) + (row.meetsGoal() ? " met" : " NOT MET")));
        }
        table(rows, out);
        out.printf("  48 h: %d polls; a fixed 60 s loop: %d; goal at most a quarter of it, %d: %s%n",
                polls.polls48h(), polls.fixedLoopPolls48h(), polls.pollGoal48h(),
                polls.meetsPollGoal() ? "met" : "NOT MET");
        out.printf("  state transitions: %d per poll (no Wait after the last) and %d more per import in a lane;"
                + " AT WORST: a job ending anywhere in that poll interval%n", polls.statesPerPoll(),
                polls.statesPerImport());
        out.println();
        out.println("What is measured");
        wrap(report.measured(), 116).forEach(line -> out.println("  " + line));
        out.println("  JVM options: " + String.join(" ", report.coldStarts().getFirst().jvmOptions())
                + " (-Xmx from each function's memory; the baseline takes describe's; the primed JVMs add the CRaC"
                + " options above)");
        if (!machine.addedJvmOptions().isEmpty()) {
            out.println("  The functions' JVMs also had (--jvm-option): " + String.join(" ", machine.addedJvmOptions()));
        }
    }

    /**
     * Issue 18's goals, one row per function: the primed first call over the warm p50, the cold start over the bare
     * JVM, the package size, each with whether it is met.
     */
    private static void goals(BenchReport report, PrintStream out) {
        out.printf("Issue 18's goals per function: primed first call <= %.0fx warm p50, cold start <= %.1fx bare JVM,"
                + " package <= %s%n", Bench.PRIMED_GOAL, Bench.COLD_GOAL,
                megabytes(Bench.PACKAGE_GOAL_BYTES).replace(".0 ", " "));
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("FUNCTION", "PRIMED 1ST CALL", "WARM P50", "PRIMED/WARM", "COLD/BARE JVM", "PACKAGE"));
        int met = 0;
        int goals = 0;
        for (BenchReport.PrimedStart primed : report.primedStarts()) {
            BenchReport.ColdStart cold = report.coldStarts().stream()
                    .filter(figure -> figure.figure().equals(primed.function())).findFirst().orElseThrow();
            BenchReport.DeploymentPackage jar = report.packages().stream()
                    .filter(figure -> figure.function().equals(primed.function())).findFirst().orElseThrow();
            rows.add(List.of(primed.function(), millis(primed.firstInvocation().median()),
                    millis(primed.warmP50Millis()), ratio(primed.ratio()) + " " + met(primed.meetsGoal()),
                    ratio(cold.ratio()) + " " + met(cold.meetsGoal()),
                    megabytes(jar.bytes()) + " " + met(jar.meetsGoal())));
            for (boolean meets : List.of(primed.meetsGoal(), cold.meetsGoal(), jar.meetsGoal())) {
                goals++;
                met += meets ? 1 : 0;
            }
        }
        table(rows, out);
        out.printf("  %d of %d goals met%n%n", met, goals);
    }

    private static String met(boolean meets) {
        return meets ? "met" : "NOT MET";
    }

    private static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static String range(Samples samples) {
        String max = millis(samples.max());
        return millis(samples.min()).replace(" ms", "") + "-" + max;
    }

    private static String millis(double value) {
        if (value >= 100) {
            return String.format(Locale.ROOT, "%.0f ms", value);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1f ms" : "%.2f ms", value);
    }

    /** 16 s, 5 min, 3 min 51 s, 1 h, 2 h 24 min: how docs/performance.md writes durations. */
    static String human(Duration duration) {
        long seconds = duration.toSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        List<String> parts = new ArrayList<>();
        if (seconds >= 3600) {
            parts.add(seconds / 3600 + " h");
        }
        if (seconds % 3600 / 60 != 0) {
            parts.add(seconds % 3600 / 60 + " min");
        }
        if (seconds % 60 != 0) {
            parts.add(seconds % 60 + " s");
        }
        return String.join(" ", parts);
    }

    private static void table(List<List<String>> rows, PrintStream out) {
        int columns = rows.getFirst().size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], row.get(c).length());
            }
        }
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < columns; c++) {
                line.append(c == columns - 1 ? row.get(c) : String.format("%-" + widths[c] + "s  ", row.get(c)));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > width && !line.isEmpty()) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.isEmpty() ? "" : " ").append(word);
        }
        lines.add(line.toString());
        return lines;
    }
}
