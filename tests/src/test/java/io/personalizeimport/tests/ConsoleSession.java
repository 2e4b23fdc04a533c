package io.personalizeimport.tests;

import io.personalizeimport.local.stack.LocalStack;
import java.time.Duration;
import java.util.UUID;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;

/** What an operator does from the consoles of the shared stack: upload files, run executions by hand, wait for them. */
final class ConsoleSession implements AutoCloseable {

    final LocalStack stack;
    final S3Client s3;
    final SfnClient sfn;
    private final Duration timeout;

    ConsoleSession(Duration timeout) {
        this.stack = SharedStack.get();
        this.s3 = stack.s3Client();
        this.sfn = stack.sfnClient();
        this.timeout = timeout;
    }

    /** Uploads {@code content} to {@code key} of the stack's bucket and returns the key. */
    String upload(String key, String content) {
        s3.putObject(request -> request.bucket(LocalStack.BUCKET).key(key), RequestBody.fromString(content));
        return key;
    }

    /** Starts an execution with {@code input}, as from the Step Functions console, and waits for its end. */
    DescribeExecutionResponse run(String input) {
        String arn = sfn.startExecution(request -> request.stateMachineArn(stack.stateMachineArn())
                .name("test-" + UUID.randomUUID()).input(input)).executionArn();
        return Executions.awaitEnd(sfn, arn, timeout);
    }

    /** A name no other test run uses. */
    static String unique(String stem) {
        return stem + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void close() {
        s3.close();
        sfn.close();
    }
}
