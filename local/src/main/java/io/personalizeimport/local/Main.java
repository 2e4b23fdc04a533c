package io.personalizeimport.local;

import io.personalizeimport.local.cli.Commands;

/** The entry point of {@code local/run}. */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Commands.run(args));
    }
}
