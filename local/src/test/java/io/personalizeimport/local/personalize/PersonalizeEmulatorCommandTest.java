package io.personalizeimport.local.personalize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.personalizeimport.local.testing.SdkClients;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.personalize.PersonalizeClient;

/** The command line: usage errors and the endpoint printed first. */
class PersonalizeEmulatorCommandTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--port abc           | --port expects an integer 0..65535, got 'abc'",
        "--port 70000         | --port expects an integer 0..65535, got '70000'",
        "--step-millis -1     | --step-millis expects an integer 0.., got '-1'",
        "--s3-endpoint nope   | --s3-endpoint expects an http(s) URL such as http://127.0.0.1:9000, got 'nope'",
        "--region Mars        | --region expects a region such as us-east-1, got 'Mars'",
        "--account-id 42      | --account-id expects 12 digits, got '42'",
        "--fault-seed 0x1f    | --fault-seed expects an integer, got '0x1f'",
        "--colour blue        | unknown option --colour",
        "--data-dir           | --data-dir needs a value",
        "stray                | unexpected argument 'stray'"})
    void badFlag_shouldExitWith2NamingTheFlag(String args, String message) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int code = PersonalizeEmulatorCommand.run(args.split(" "), new PrintStream(out), new PrintStream(err),
                new CountDownLatch(0));

        assertEquals(2, code);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("personalize: " + message + "\nUsage:"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void faultSeedFlag_shouldSeedTheProbabilisticFaults() throws Exception {
        // GIVEN / WHEN the command line names a fault seed
        PersonalizeEmulator emulator = PersonalizeEmulatorCommand.parse(new String[] {"--fault-seed", "-42"}).build();

        // THEN the emulator's faults draw from it
        assertEquals(-42, emulator.faultSeed());
    }

    @Test
    void validFlags_shouldPrintTheEndpointFirstAndServeUntilStopped() throws Exception {
        // GIVEN the command running with a few flags, stdout piped
        PipedInputStream pipe = new PipedInputStream();
        OutputStream stdout = new PipedOutputStream(pipe);
        CountDownLatch stop = new CountDownLatch(1);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> PersonalizeEmulatorCommand.run(
                new String[] {"--port", "0", "--step-millis", "100", "--account-id", "123456789012"},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err, stop));

        // WHEN the first stdout line is read
        StringBuilder line = new StringBuilder();
        for (int c = pipe.read(); c != '\n' && c != -1; c = pipe.read()) {
            line.append((char) c);
        }

        // THEN it is the endpoint, which serves the API with the configured account
        URI endpoint = URI.create(line.toString());
        assertTrue(line.toString().matches("http://127\\.0\\.0\\.1:\\d+"), line.toString());
        try (PersonalizeClient client = SdkClients.personalize(endpoint, Region.US_WEST_2)) {
            assertEquals("arn:aws:personalize:us-west-2:123456789012:dataset-group/g",
                    client.createDatasetGroup(b -> b.name("g")).datasetGroupArn());
        }

        // AND WHEN stopped THEN it exits 0
        stop.countDown();
        assertEquals(0, exit.get(10, TimeUnit.SECONDS));
    }
}
