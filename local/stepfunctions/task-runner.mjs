import { integrationOf } from './definition.mjs';
import { StateError, dataLimitExceeded, statesRuntimeError } from './errors.mjs';
import { payloadFields } from './history.mjs';
import { nextTurn, sleep } from './timers.mjs';

/** The largest input or output of a state, in bytes of its JSON text (Step Functions quotas). */
const MAX_STATE_BYTES = 256 * 1024;

// The ASL defaults of a retrier (States Language specification, "Retrying after error").
const DEFAULT_INTERVAL_SECONDS = 1;
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_BACKOFF_RATE = 2;

const TASK_EVENTS = {
  function: {
    scheduled: 'LambdaFunctionScheduled', started: 'LambdaFunctionStarted', succeeded: 'LambdaFunctionSucceeded',
    failed: 'LambdaFunctionFailed', timedOut: 'LambdaFunctionTimedOut',
  },
  invoke: {
    scheduled: 'TaskScheduled', started: 'TaskStarted', succeeded: 'TaskSucceeded',
    failed: 'TaskFailed', timedOut: 'TaskTimedOut',
  },
};

/**
 * Runs one Task state of the original definition: invokes the Lambda function, retrying per the state's Retry with
 * intervals multiplied by `execution.timeScale`, each attempt bounded by TimeoutSeconds (no bound when absent, as in
 * Step Functions). `envelope` comes from the Parameters that prepareForEngine wrote.
 */
export async function runTaskState(state, envelope, execution) {
  // The engine calls this handler synchronously right after logging TaskStateEntered; yielding one turn lets the
  // event-log reader record that event before this state's own LambdaFunctionScheduled.
  await nextTurn();
  const call = lambdaCall(state, envelope.input);
  const timeoutSeconds = state.TimeoutSeconds ?? envelope.timeoutSeconds;
  const retries = new RetryPolicy(state.Retry ?? [], execution.timeScale);
  for (;;) {
    try {
      return await attempt(call, timeoutSeconds, execution);
    } catch (error) {
      const delayMs = retries.nextDelayMs(error);
      if (delayMs === undefined || execution.signal.aborted) {
        throw error;
      }
      await sleep(delayMs, execution.signal);
    }
  }
}

/** Runs one Wait state: sleeps Seconds/SecondsPath (or until Timestamp/TimestampPath) times the time scale. */
export async function runWaitState(envelope, execution) {
  await sleep(waitMs(envelope) * execution.timeScale, execution.signal);
  return envelope.input;
}

function waitMs({ seconds, timestamp }) {
  if (seconds !== undefined) {
    if (!Number.isInteger(seconds) || seconds < 0) {
      throw statesRuntimeError(`The Wait duration ${JSON.stringify(seconds)} is not a non-negative integer`);
    }
    return seconds * 1000;
  }
  const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
  if (Number.isNaN(at)) {
    throw statesRuntimeError(`The Wait timestamp ${JSON.stringify(timestamp)} is not an ISO 8601 timestamp`);
  }
  return Math.max(0, at - Date.now());
}

/** What to invoke: a Lambda function ARN gets the effective input; lambda:invoke names the function in Parameters. */
function lambdaCall(state, input) {
  const integration = integrationOf(state.Resource);
  if (integration === 'function') {
    return { integration, resource: state.Resource, functionName: state.Resource, payload: input };
  }
  if (typeof input?.FunctionName !== 'string') {
    throw statesRuntimeError('The Parameters of an arn:aws:states:::lambda:invoke task need a FunctionName string');
  }
  return {
    integration,
    resource: state.Resource,
    parameters: input,
    functionName: input.FunctionName,
    qualifier: input.Qualifier,
    invocationType: input.InvocationType,
    payload: input.Payload,
  };
}

async function attempt(call, timeoutSeconds, execution) {
  const events = TASK_EVENTS[call.integration];
  const record = (type, details) => execution.history.append(type, details);
  record(events.scheduled, scheduledDetails(call, timeoutSeconds, execution.region));
  record(events.started, call.integration === 'invoke' ? resourceFields() : undefined);
  try {
    const response = await withTimeout((signal) => execution.lambda.invoke(call, signal), timeoutSeconds,
      execution.signal);
    const output = call.integration === 'invoke' ? invokeResult(response) : response.payload;
    const bytes = Buffer.byteLength(JSON.stringify(output ?? null));
    if (bytes > MAX_STATE_BYTES) {
      throw dataLimitExceeded(`The state/task '${call.functionName}' returned a result of ${bytes} bytes, more than the`
        + ` maximum of ${MAX_STATE_BYTES} bytes a state's output may have`);
    }
    record(events.succeeded, { ...resourceFieldsOf(call), ...payloadFields('output', output) });
    return output;
  } catch (error) {
    if (!execution.signal.aborted) {
      const type = error.name === 'States.Timeout' ? events.timedOut : events.failed;
      record(type, { ...resourceFieldsOf(call), error: error.name, cause: error.message });
    }
    throw error;
  }
}

function scheduledDetails(call, timeoutSeconds, region) {
  const timeout = timeoutSeconds === undefined ? {} : { timeoutInSeconds: timeoutSeconds };
  if (call.integration === 'function') {
    return { resource: call.resource, ...payloadFields('input', call.payload), ...timeout };
  }
  return { ...resourceFields(), region, parameters: JSON.stringify(call.parameters), ...timeout };
}

/** Step Functions names the lambda:invoke integration resourceType "lambda", resource "invoke". */
function resourceFields() {
  return { resourceType: 'lambda', resource: 'invoke' };
}

function resourceFieldsOf(call) {
  return call.integration === 'invoke' ? resourceFields() : {};
}

/** The result document of lambda:invoke: the function's payload plus the Invoke response metadata. */
function invokeResult(response) {
  const allHeaders = Object.fromEntries(Object.entries(response.headers).map(([name, value]) => [name, [value]]));
  return {
    ExecutedVersion: response.executedVersion,
    Payload: response.payload,
    SdkHttpMetadata: { AllHttpHeaders: allHeaders, HttpHeaders: response.headers, HttpStatusCode: response.statusCode },
    SdkResponseMetadata: { RequestId: response.headers['x-amzn-requestid'] ?? '' },
    StatusCode: response.statusCode,
  };
}

/** Runs `operation(signal)`, failing with States.Timeout after `timeoutSeconds` (no limit when undefined). */
async function withTimeout(operation, timeoutSeconds, signal) {
  if (timeoutSeconds === undefined) {
    return operation(signal);
  }
  const attemptController = new AbortController();
  const attemptSignal = AbortSignal.any([signal, attemptController.signal]);
  const timeout = sleep(timeoutSeconds * 1000, attemptSignal).then(() => {
    throw new StateError('States.Timeout', `The task did not finish within ${timeoutSeconds} seconds`);
  });
  try {
    return await Promise.race([operation(attemptSignal), timeout]);
  } finally {
    // Ends the losing side: the pending invocation after a timeout, or the timer after an answer.
    attemptController.abort();
  }
}

/**
 * The Retry field of one state entry. As the ASL specification says, the first retrier whose ErrorEquals matches
 * decides alone; each retrier counts its own attempts.
 */
class RetryPolicy {
  #retriers;
  #attempts;
  #timeScale;

  constructor(retriers, timeScale) {
    this.#retriers = retriers;
    this.#attempts = retriers.map(() => 0);
    this.#timeScale = timeScale;
  }

  /** The pause before the next attempt, counting that attempt; undefined when the error is not to be retried. */
  nextDelayMs(error) {
    if (error.isRetryable === false) {
      return undefined;
    }
    const index = this.#retriers.findIndex((retrier) => matchesError(retrier.ErrorEquals, error.name));
    if (index < 0) {
      return undefined;
    }
    const retrier = this.#retriers[index];
    const attempts = this.#attempts[index];
    if (attempts >= (retrier.MaxAttempts ?? DEFAULT_MAX_ATTEMPTS)) {
      return undefined;
    }
    this.#attempts[index] = attempts + 1;
    const backoff = (retrier.IntervalSeconds ?? DEFAULT_INTERVAL_SECONDS)
      * (retrier.BackoffRate ?? DEFAULT_BACKOFF_RATE) ** attempts;
    const capped = Math.min(backoff, retrier.MaxDelaySeconds ?? Number.POSITIVE_INFINITY);
    const jittered = retrier.JitterStrategy === 'FULL' ? Math.random() * capped : capped;
    return jittered * 1000 * this.#timeScale;
  }
}

/** States.TaskFailed matches every error of a Task except States.Timeout; States.ALL matches every error. */
function matchesError(errorEquals, name) {
  return errorEquals.includes(name)
    || errorEquals.includes('States.ALL')
    || (errorEquals.includes('States.TaskFailed') && name !== 'States.Timeout');
}
