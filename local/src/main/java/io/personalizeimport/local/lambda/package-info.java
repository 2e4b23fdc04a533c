/**
 * A local AWS Lambda for Java handlers.
 *
 * <p>Each function runs in child JVMs ("containers") started as Lambda's Java runtime starts them: the AWS runtime
 * interface client ({@code com.amazonaws.services.lambda.runtime.api.client.AWSLambda <handler>}) on the system class
 * path, the function's jar under {@code LAMBDA_TASK_ROOT/lib}, and {@code AWS_LAMBDA_RUNTIME_API} pointing at a
 * Runtime API server that this package serves to that one container. The client loads the handler, constructs it
 * once, and long-polls for invocations, so serialization, Context, error reports and init failures are the real
 * runtime's, not an imitation.
 *
 * <p>{@link io.personalizeimport.local.lambda.LambdaHost} serves the Lambda Invoke API to any client (an AWS SDK,
 * the Step Functions engine) and enforces timeouts by killing the container, as Lambda does.
 */
package io.personalizeimport.local.lambda;
