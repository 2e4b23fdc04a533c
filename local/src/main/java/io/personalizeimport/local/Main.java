package io.personalizeimport.local;

import io.personalizeimport.local.personalize.PersonalizeEmulatorCommand;
import java.util.Arrays;

/** The entry point of {@code local/run}: one command per part of the local stack. */
public final class Main {

    /** Exit codes of every command: 0 success, 1 the work failed, 2 a usage error. */
    public static final int OK = 0;
    public static final int USAGE = 2;

    private static final String USAGE_TEXT = """
            usage: local/run COMMAND [OPTIONS]

            commands:
              personalize --port N [--data-dir DIR] [--s3-endpoint URL] [--step-millis N]
                            the Personalize emulator alone; prints its endpoint URL first
              help          this text

            exit codes: 0 success, 1 failure, 2 usage error""";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        if (args.length == 0) {
            System.err.println(USAGE_TEXT);
            return USAGE;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        return switch (args[0]) {
            case "personalize" -> PersonalizeEmulatorCommand.run(rest);
            case "help", "--help", "-h" -> {
                System.out.println(USAGE_TEXT);
                yield OK;
            }
            default -> {
                System.err.println("local/run: unknown command '" + args[0] + "'\n\n" + USAGE_TEXT);
                yield USAGE;
            }
        };
    }
}
