package io.personalizeimport.local.cli;

import io.personalizeimport.local.demo.DemoData;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** {@code local/run generate-demo-data}: writes the demo CSV files from their seed. */
final class GenerateDemoDataCommand {

    static final String USAGE = """
            generate-demo-data [--out DIR] [--seed N] [--json]
              write the demo CSV files (default local/demo/data, seed 20261123)""";

    private GenerateDemoDataCommand() {
    }

    static int run(String[] argv) {
        Args args = Args.parse("generate-demo-data", argv, Set.of("--out", "--seed"), Set.of("--json"));
        Path out = args.option("--out").map(Path::of).orElseGet(() -> Cli.root().resolve("local/demo/data"));
        long seed;
        try {
            seed = Long.parseLong(args.option("--seed").orElse(Long.toString(DemoData.DEFAULT_SEED)));
        } catch (NumberFormatException e) {
            throw new UsageException("generate-demo-data: --seed expects a whole number, got '"
                    + args.option("--seed").orElse("") + "'");
        }
        DemoData.write(out, seed);
        var written = DemoData.files(seed).stream().map(file -> out.resolve(file.key()).toAbsolutePath().toString()).toList();
        if (args.flag("--json")) {
            Cli.printJson(Map.of("seed", seed, "files", written));
        } else {
            Cli.OUT.println("Wrote " + written.size() + " files under " + out.toAbsolutePath());
        }
        return Cli.OK;
    }
}
