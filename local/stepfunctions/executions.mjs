import { ApiError } from './errors.mjs';
import { ExecutionError, ExecutionTimeoutError } from './engine.mjs';
import { MAX_HISTORY_EVENTS, fromEngineEvent, historyEvent, payloadFields } from './history.mjs';

/**
 * The executions of the one state machine: starts them on the engine, records their history, keeps their records
 * in the store, and restarts from the beginning, with the same input, those a previous process left RUNNING.
 */
export class ExecutionService {
  #stateMachine;
  #engine;
  #store;
  #log;
  #onClosed;
  #records = new Map();
  #runs = new Map();
  #lastSequence = 0;

  /**
   * @param stateMachine `{arn, name, roleArn}`
   * @param onClosed called with each execution's record when it closes, if given
   */
  constructor({ stateMachine, engine, store, log, onClosed }) {
    this.#stateMachine = stateMachine;
    this.#engine = engine;
    this.#store = store;
    this.#log = log;
    this.#onClosed = onClosed;
  }

  /** Loads the saved executions of this state machine and restarts those that were running. */
  async restore() {
    const records = (await this.#store.loadAll()).filter((record) => record.stateMachineArn === this.#stateMachine.arn);
    for (const record of records.sort((a, b) => a.sequence - b.sequence)) {
      this.#records.set(record.name, record);
      this.#lastSequence = Math.max(this.#lastSequence, record.sequence);
    }
    for (const record of records.filter((candidate) => candidate.status === 'RUNNING')) {
      this.#restart(record);
    }
    return records.length;
  }

  /**
   * Starts an execution, idempotently by name (AWS Step Functions API Reference, StartExecution): the same name and
   * input while it runs returns the running execution; a closed one, or another input, is ExecutionAlreadyExists.
   */
  start(name, input) {
    const existing = this.#records.get(name);
    if (existing) {
      if (existing.status === 'RUNNING' && sameJson(existing.input, input)) {
        return existing;
      }
      throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${existing.executionArn}'`);
    }
    const record = this.#newRecord(name, input);
    this.#records.set(name, record);
    this.#append(record, 'ExecutionStarted',
      { ...payloadFields('input', JSON.parse(input)), roleArn: this.#stateMachine.roleArn });
    this.#launch(record);
    this.#store.saveNow(record);
    this.#log(`execution ${name} started`);
    return record;
  }

  get(name) {
    return this.#records.get(name);
  }

  /** All executions, newest first. */
  list() {
    return [...this.#records.values()].sort((a, b) => b.sequence - a.sequence);
  }

  /** Aborts a running execution (a closed one stays as it is, like in Step Functions). */
  stop(record, error, cause) {
    if (record.status === 'RUNNING') {
      this.#close(record, 'ABORTED', { error, cause });
    }
    return record;
  }

  /** Saves what is pending; the executions still running are restarted by the next process. */
  async shutdown() {
    await this.#store.flush();
  }

  #newRecord(name, input) {
    this.#lastSequence += 1;
    return {
      name,
      executionArn: `${this.#stateMachine.arn.replace(':stateMachine:', ':execution:')}:${name}`,
      stateMachineArn: this.#stateMachine.arn,
      sequence: this.#lastSequence,
      input,
      status: 'RUNNING',
      startDate: Date.now(),
      redriveCount: 0,
      events: [],
    };
  }

  #restart(record) {
    record.redriveCount += 1;
    record.redriveDate = Date.now();
    // ExecutionRedriven is the closest event Step Functions has; unlike a redrive, the run starts over at StartAt.
    this.#append(record, 'ExecutionRedriven', { redriveCount: record.redriveCount });
    this.#launch(record);
    this.#store.saveNow(record);
    this.#log(`execution ${record.name} was running when the server stopped: restarted from the beginning`);
  }

  #launch(record) {
    const controller = new AbortController();
    const run = this.#engine.run(JSON.parse(record.input), {
      context: this.#contextOf(record),
      history: { append: (type, details) => this.#append(record, type, details) },
      signal: controller.signal,
    });
    this.#runs.set(record.name, { run, controller });
    Promise.all([this.#recordEngineEvents(record, run.eventLogs), settle(run.result)])
      .then(([, outcome]) => this.#finish(record, outcome))
      .catch((error) => {
        this.#log(`execution ${record.name}: ${error.stack}`);
        this.#close(record, 'FAILED', { error: 'States.Runtime', cause: `Local endpoint failure: ${error.message}` });
      });
  }

  /** The Context Object (`$$`); the engine sets Execution.Input and Execution.StartTime itself. */
  #contextOf(record) {
    const startTime = new Date(record.startDate).toISOString();
    return {
      Execution: {
        Id: record.executionArn,
        Name: record.name,
        StartTime: startTime,
        RecordedStartTime: startTime,
        RoleArn: this.#stateMachine.roleArn,
      },
      StateMachine: { Id: this.#stateMachine.arn, Name: this.#stateMachine.name },
    };
  }

  async #recordEngineEvents(record, eventLogs) {
    for await (const event of eventLogs) {
      const entry = fromEngineEvent(event, this.#engine.stateTypes);
      if (entry) {
        this.#append(record, ...entry);
      }
    }
  }

  #finish(record, outcome) {
    if (record.status !== 'RUNNING') {
      return;
    }
    if (outcome.ok) {
      this.#close(record, 'SUCCEEDED', { output: JSON.stringify(outcome.value) });
    } else if (outcome.error instanceof ExecutionTimeoutError) {
      this.#close(record, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out (TimeoutSeconds).' });
    } else if (outcome.error instanceof ExecutionError) {
      const failure = outcome.error.cause;
      this.#close(record, 'FAILED', { error: failure.name, cause: causeText(failure.cause ?? failure.message) });
    } else {
      throw outcome.error;
    }
  }

  #close(record, status, { output, error, cause }) {
    Object.assign(record, { status, stopDate: Date.now() });
    if (status === 'SUCCEEDED') {
      record.output = output;
      this.#appendClosing(record, 'ExecutionSucceeded', payloadFields('output', JSON.parse(output)));
    } else {
      Object.assign(record, definedFields({ error, cause }));
      this.#appendClosing(record, CLOSING_EVENTS[status], definedFields({ error, cause }));
    }
    const active = this.#runs.get(record.name);
    this.#runs.delete(record.name);
    active?.run.abort();
    active?.controller.abort();
    this.#store.saveNow(record);
    this.#log(`execution ${record.name} ${status}${error ? ` (${error})` : ''}`);
    this.#onClosed?.(record);
  }

  /** Records an event of a running execution; the last free slot of the history ends the execution as FAILED. */
  #append(record, type, details) {
    if (record.status !== 'RUNNING') {
      return;
    }
    if (record.events.length >= MAX_HISTORY_EVENTS - 1) {
      this.#close(record, 'FAILED', {
        error: 'States.Runtime',
        cause: `The execution reached the limit of ${MAX_HISTORY_EVENTS} history events.`,
      });
      return;
    }
    record.events.push(historyEvent(record.events.length + 1, type, details));
    this.#store.saveSoon(record);
  }

  #appendClosing(record, type, details) {
    record.events.push(historyEvent(record.events.length + 1, type, details));
  }
}

const CLOSING_EVENTS = { FAILED: 'ExecutionFailed', ABORTED: 'ExecutionAborted', TIMED_OUT: 'ExecutionTimedOut' };

function sameJson(left, right) {
  return JSON.stringify(JSON.parse(left)) === JSON.stringify(JSON.parse(right));
}

function causeText(cause) {
  return typeof cause === 'string' ? cause : JSON.stringify(cause);
}

function definedFields(fields) {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}

function settle(promise) {
  return promise.then((value) => ({ ok: true, value }), (error) => ({ ok: false, error }));
}
