import './promise-with-resolvers.mjs';
import { ExecutionError, ExecutionTimeoutError, StateMachine } from 'aws-local-stepfunctions';
import { allStates, prepareForEngine } from './definition.mjs';
import { runTaskState, runWaitState } from './task-runner.mjs';

export { ExecutionError, ExecutionTimeoutError };

/**
 * The state machine on aws-local-stepfunctions. Every Task and Wait state runs in a local handler (see
 * prepareForEngine), so the engine never uses an AWS SDK client.
 */
export class Engine {
  #machine;
  #states;
  #timeScale;
  #lambda;
  #region;

  /** @param definition the validated, substituted definition */
  constructor(definition, { lambda, timeScale, region }) {
    // Validated already (with the placeholders filled); the rewritten copy uses a resource the validator rejects.
    this.#machine = new StateMachine(prepareForEngine(definition), { validationOptions: { noValidate: true } });
    this.#states = new Map(allStates(definition));
    this.#timeScale = timeScale;
    this.#lambda = lambda;
    this.#region = region;
    this.stateTypes = new Map([...this.#states].map(([name, state]) => [name, state.Type]));
  }

  /**
   * Starts one run. `history` receives the task events; aborting `signal` ends the handlers' invocations and sleeps.
   * Returns the engine's `{result, abort, eventLogs}`; an aborted run resolves with null.
   */
  run(input, { context, history, signal }) {
    const execution = { history, signal, lambda: this.#lambda, timeScale: this.#timeScale, region: this.#region };
    return this.#machine.run(input, { overrides: this.#overrides(execution), context, noThrowOnAbort: true });
  }

  #overrides(execution) {
    const taskResourceLocalHandlers = {};
    const retryIntervalOverrides = {};
    for (const [name, state] of this.#states) {
      if (state.Type === 'Task') {
        taskResourceLocalHandlers[name] = (envelope) => runTaskState(state, envelope, execution);
      } else if (state.Type === 'Wait') {
        taskResourceLocalHandlers[name] = (envelope) => runWaitState(envelope, execution);
      } else if (state.Retry && this.#timeScale !== 1) {
        // Parallel and Map keep the engine's retries; an override is one fixed pause per retrier, so a scaled run
        // loses their backoff (the project's ASL has none).
        retryIntervalOverrides[name] = state.Retry.map(
          (retrier) => (retrier.IntervalSeconds ?? 1) * 1000 * this.#timeScale);
      }
    }
    return { taskResourceLocalHandlers, retryIntervalOverrides };
  }
}
