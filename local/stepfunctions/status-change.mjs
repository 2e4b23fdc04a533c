import { randomUUID } from 'node:crypto';

/** The statuses the deployed stack's EventBridge rule matches: every way an execution ends other than success. */
const MATCHED = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);

/**
 * The local counterpart of the stack's EventBridge rule on "Step Functions Execution Status Change" events: each
 * execution that ends FAILED, TIMED_OUT or ABORTED is sent, in the event's documented shape, to one function with an
 * asynchronous Invoke. A delivery that fails is logged, as EventBridge would retry it and then drop it.
 */
export class StatusChangeRule {
  #lambda;
  #functionName;
  #region;
  #accountId;
  #log;

  constructor(lambda, functionName, { region, accountId }, log) {
    this.#lambda = lambda;
    this.#functionName = functionName;
    this.#region = region;
    this.#accountId = accountId;
    this.#log = log;
  }

  /** Called with each execution's record when it closes. */
  closed = (record) => {
    if (!MATCHED.has(record.status)) {
      return;
    }
    const event = this.event(record);
    this.#lambda.invoke({ functionName: this.#functionName, invocationType: 'Event', payload: event },
      AbortSignal.timeout(30_000))
      .then(() => this.#log(`status change of ${record.name} (${record.status}) sent to ${this.#functionName}`))
      .catch((error) => this.#log(`status change of ${record.name} not delivered to ${this.#functionName}: `
        + `${error.name ?? ''} ${error.message}`));
  };

  /** The event as EventBridge delivers it: times in the detail are epoch milliseconds. */
  event(record) {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: this.#accountId,
      time: new Date(record.stopDate).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.#region,
      resources: [record.executionArn],
      detail: {
        executionArn: record.executionArn,
        stateMachineArn: record.stateMachineArn,
        name: record.name,
        status: record.status,
        startDate: record.startDate,
        stopDate: record.stopDate,
        input: record.input,
        output: record.output ?? null,
        error: record.error ?? null,
        cause: record.cause ?? null,
      },
    };
  }
}
