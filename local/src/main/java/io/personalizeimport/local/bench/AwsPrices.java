package io.personalizeimport.local.bench;

/**
 * The AWS list prices the region bench prices its own run with, us-east-1, on-demand, Arm, without free tiers, each
 * as read on its pricing page on 2026-05-01; the one place that names them.
 *
 * @param stateTransition one Standard workflow state transition, retries included
 *     (https://aws.amazon.com/step-functions/pricing/: $0.025 per 1,000)
 * @param lambdaRequest one Lambda request (https://aws.amazon.com/lambda/pricing/: $0.20 per 1M requests; SnapStart
 *     for Java functions has no extra charge there, only Python and .NET pay for its cache and restores)
 * @param lambdaGbSecond one GB-second of Lambda duration on Arm, where the stack runs the functions (arm64,
 *     infra {@code Functions}), first tier (same page: $0.0000133334; x86 is $0.0000166667)
 * @param readUnit one DynamoDB on-demand read request unit
 *     (https://aws.amazon.com/dynamodb/pricing/on-demand/: $0.125 per million)
 * @param writeUnit one DynamoDB on-demand write request unit (same page: $0.625 per million)
 * @param event one custom event put on an EventBridge bus (https://aws.amazon.com/eventbridge/pricing/: $1.00 per
 *     million)
 */
public record AwsPrices(double stateTransition, double lambdaRequest, double lambdaGbSecond, double readUnit,
                        double writeUnit, double event) {

    /** The list prices above. */
    public static final AwsPrices US_EAST_1 = new AwsPrices(0.025 / 1_000, 0.20 / 1_000_000, 0.0000133334,
            0.125 / 1_000_000, 0.625 / 1_000_000, 1.00 / 1_000_000);
}
