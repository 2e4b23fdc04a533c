/** An error of the Step Functions API, answered as HTTP 400 with `__type` = `type` (the SDK's modelled error code). */
export class ApiError extends Error {
  constructor(type, message) {
    super(message);
    this.type = type;
  }
}

/** A configuration problem found at startup: the server prints the message and exits with code 2. */
export class StartupError extends Error {}

/**
 * The failure of a state, as Retry and Catch see it: the engine matches `name` against ErrorEquals and hands
 * `message` over as the Cause.
 */
export class StateError extends Error {
  constructor(name, cause) {
    super(cause);
    this.name = name;
  }
}

/**
 * `States.Runtime`: like in Step Functions, neither Retry nor Catch may handle it. The engine reads these two
 * flags (`isRetryable`, `isCatchable`) on any thrown error.
 */
export function statesRuntimeError(cause) {
  const error = new StateError('States.Runtime', cause);
  error.isRetryable = false;
  error.isCatchable = false;
  return error;
}

/**
 * `States.DataLimitExceeded`: a task's result past 256 KiB, which Step Functions fails the execution with; a Catch or
 * Retry of `States.ALL` does not handle it (Step Functions error handling), and the definition names it nowhere.
 */
export function dataLimitExceeded(cause) {
  const error = new StateError('States.DataLimitExceeded', cause);
  error.isRetryable = false;
  error.isCatchable = false;
  return error;
}
