// Builds history events in the shape of GetExecutionHistory (HistoryEvent in the Step Functions API model).

/**
 * Step Functions' limit; an execution that reaches it fails (AWS Step Functions Developer Guide, 'Step Functions
 * service quotas').
 */
export const MAX_HISTORY_EVENTS = 25_000;
/** Step Functions truncates each input or output in a history event to 256 KiB. */
const MAX_PAYLOAD_BYTES = 256 * 1024;

/** `{<field>: JSON text, <field>Details: {truncated}}`, the way events carry an input, output or parameters. */
export function payloadFields(field, value) {
  const text = JSON.stringify(value ?? null);
  const bytes = Buffer.from(text);
  const truncated = bytes.length > MAX_PAYLOAD_BYTES;
  return {
    [field]: truncated ? bytes.subarray(0, MAX_PAYLOAD_BYTES).toString() : text,
    [`${field}Details`]: { truncated },
  };
}

/** The name of the member that holds the details of an event type, e.g. `lambdaFunctionFailedEventDetails`. */
function detailsMember(type) {
  if (type.endsWith('StateEntered')) return 'stateEnteredEventDetails';
  if (type.endsWith('StateExited')) return 'stateExitedEventDetails';
  return `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
}

/** A new event; ids count from 1 and each event follows the one before it. */
export function historyEvent(id, type, details) {
  const event = { id, previousEventId: id - 1, timestamp: Date.now(), type };
  if (details !== undefined) {
    event[detailsMember(type)] = details;
  }
  return event;
}

/**
 * The Step Functions event for an event of the engine's log, or undefined when Step Functions has none: execution
 * events are written from the run's outcome, and retries, failures and catches of a state show in Step Functions only
 * through the task events and the next state.
 */
export function fromEngineEvent(event, stateTypes) {
  switch (event.type) {
    case 'StateEntered':
      return [`${stateTypeOf(event, stateTypes)}StateEntered`,
        { name: event.state.name, ...payloadFields('input', event.state.input) }];
    case 'StateExited':
      return [`${stateTypeOf(event, stateTypes)}StateExited`,
        { name: event.state.name, ...payloadFields('output', event.state.output) }];
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
    case 'MapIterationFailed':
      return [event.type, { name: event.parentState.name, index: event.index }];
    default:
      return undefined;
  }
}

/** The type in the definition: the engine sees Wait states as Tasks (see prepareForEngine). */
function stateTypeOf(event, stateTypes) {
  return stateTypes.get(event.state.name) ?? event.state.type;
}

/** The page of `events` after the event `afterId` (before it when `reverse`), newest first when `reverse`. */
export function historyPage(events, { afterId, reverse, limit }) {
  if (reverse) {
    const end = afterId === undefined ? events.length : afterId - 1;
    return events.slice(Math.max(0, end - limit), end).reverse();
  }
  const start = afterId ?? 0;
  return events.slice(start, start + limit);
}

/** The event without its input, output and parameters, for includeExecutionData = false. */
export function withoutData(event) {
  return Object.fromEntries(Object.entries(event).map(([key, value]) =>
    [key, key.endsWith('EventDetails') ? stripData(value) : value]));
}

function stripData(details) {
  const dataFields = ['input', 'inputDetails', 'output', 'outputDetails', 'parameters'];
  return Object.fromEntries(Object.entries(details).filter(([key]) => !dataFields.includes(key)));
}
