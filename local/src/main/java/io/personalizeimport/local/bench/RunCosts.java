package io.personalizeimport.local.bench;

/**
 * What a run of the pipeline used of each billed AWS resource, counted by the local stack, and what that costs.
 *
 * @param files the files the run imported
 * @param stateTransitions the state transitions of its executions, as Step Functions bills them
 * @param lambdaRequests its functions' invocations
 * @param lambdaGbSeconds each function's invocation time times its memory
 * @param readUnits DynamoDB read request units
 * @param writeUnits DynamoDB write request units
 * @param events events put on EventBridge
 */
public record RunCosts(int files, long stateTransitions, long lambdaRequests, double lambdaGbSeconds,
                       double readUnits, double writeUnits, long events) {

    /** The dollars of each part at {@code prices}: Step Functions, Lambda, DynamoDB, EventBridge. */
    public double[] dollars(AwsPrices prices) {
        return new double[] {
                stateTransitions * prices.stateTransition(),
                lambdaRequests * prices.lambdaRequest() + lambdaGbSeconds * prices.lambdaGbSecond(),
                readUnits * prices.readUnit() + writeUnits * prices.writeUnit(),
                events * prices.event()};
    }

    /** The run's cost per file at {@code prices}, in dollars. */
    public double perFile(AwsPrices prices) {
        double sum = 0;
        for (double part : dollars(prices)) {
            sum += part;
        }
        return sum / files;
    }
}
