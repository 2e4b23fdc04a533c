import { readFile } from 'node:fs/promises';
import aslValidator from 'asl-validator';
import { StartupError } from './errors.mjs';

const PLACEHOLDER = /\$\{([^}]*)\}/g;
const LAMBDA_FUNCTION_ARN = /^arn:[a-z-]+:lambda:[a-z0-9-]*:\d*:function:[A-Za-z0-9_-]+(:[A-Za-z0-9$_-]+)?$/;
const LAMBDA_INVOKE_ARN = /^arn:[a-z-]+:states:::lambda:invoke$/;

/** Marks the Task states that the engine hands to this server's local handlers (it never calls AWS itself). */
export const LOCAL_RESOURCE = 'arn:aws:states:::local:handler';
/** The engine gets this per-attempt timeout so that its own 60 s default never fires; the handler enforces the real one. */
const ENGINE_TASK_TIMEOUT_SECONDS = 2_000_000;
/** Where `$$.Execution.StartTime` is read from instead: the engine overwrites StartTime with the time of each run. */
const RECORDED_START_TIME = '$$.Execution.RecordedStartTime';

/** Reads the definition and fills its `${Name}` placeholders, as CDK definitionSubstitutions does, before parsing. */
export async function loadDefinition(file, substitutions) {
  const template = await readDefinitionText(file);
  const text = template.replace(PLACEHOLDER, (placeholder, name) =>
    Object.hasOwn(substitutions, name) ? String(substitutions[name]) : placeholder);
  const missing = [...new Set([...text.matchAll(PLACEHOLDER)].map((match) => match[0]))];
  if (missing.length > 0) {
    throw new StartupError(`${file}: no substitution for ${missing.join(', ')} (pass them with --substitutions)`);
  }
  const definition = parseJson(text, file);
  validate(definition, file);
  checkTaskResources(definition, file);
  return { text, definition };
}

async function readDefinitionText(file) {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new StartupError(`cannot read the definition ${file}: ${error.message}`);
  }
}

function parseJson(text, file) {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new StartupError(`${file} is not JSON after substitution: ${error.message}`);
  }
}

function validate(definition, file) {
  const { isValid, errorsText } = aslValidator(definition, { checkArn: true, checkPaths: true });
  if (!isValid) {
    throw new StartupError(`${file} is not a valid Amazon States Language definition:\n${errorsText('\n')}`);
  }
}

function checkTaskResources(definition, file) {
  for (const [name, state] of allStates(definition)) {
    if (state.Type === 'Task' && integrationOf(state.Resource) === undefined) {
      throw new StartupError(`${file}: Task state "${name}" has Resource ${state.Resource}; this endpoint runs only `
        + 'Lambda function ARNs and arn:aws:states:::lambda:invoke');
    }
  }
}

/** `function` for a Lambda function ARN, `invoke` for the optimized lambda:invoke integration. */
export function integrationOf(resource) {
  if (LAMBDA_FUNCTION_ARN.test(resource)) {
    return 'function';
  }
  return LAMBDA_INVOKE_ARN.test(resource) ? 'invoke' : undefined;
}

/** Every state of the definition, including those of Parallel branches and Map item processors. */
export function* allStates(definition) {
  for (const [name, state] of Object.entries(definition.States)) {
    yield [name, state];
    for (const nested of nestedMachines(state)) {
      yield* allStates(nested);
    }
  }
}

function nestedMachines(state) {
  if (state.Type === 'Parallel') {
    return state.Branches;
  }
  if (state.Type === 'Map') {
    return [state.ItemProcessor ?? state.Iterator];
  }
  return [];
}

/**
 * The definition the engine runs. Task and Wait states become local-handler Tasks whose Parameters build an
 * envelope `{input, timeoutSeconds?, seconds?, timestamp?}`: the engine still evaluates every path (InputPath,
 * Parameters, SecondsPath, TimeoutSecondsPath, `$$` context), while the handler owns the parts the engine cannot do
 * right (per-attempt timeouts, Retry with backoff scaled by --time-scale, scaled waits). Retry leaves Task states for
 * the same reason; Catch, ResultSelector, ResultPath and OutputPath stay with the engine.
 */
export function prepareForEngine(definition) {
  return pinStartTime({ ...definition, States: mapStates(definition.States) });
}

function mapStates(states) {
  return Object.fromEntries(Object.entries(states).map(([name, state]) => [name, stateForEngine(state)]));
}

function stateForEngine(state) {
  switch (state.Type) {
    case 'Task':
      return taskForEngine(state);
    case 'Wait':
      return waitForEngine(state);
    case 'Parallel':
      return { ...state, Branches: state.Branches.map((branch) => ({ ...branch, States: mapStates(branch.States) })) };
    case 'Map':
      return mapForEngine(state);
    default:
      return state;
  }
}

function taskForEngine(state) {
  const { Resource, Parameters, Retry, TimeoutSeconds, TimeoutSecondsPath, ...kept } = state;
  const envelope = Parameters === undefined ? { 'input.$': '$' } : { input: Parameters };
  if (TimeoutSecondsPath !== undefined) {
    envelope['timeoutSeconds.$'] = TimeoutSecondsPath;
  }
  return localHandlerTask(kept, envelope);
}

function waitForEngine(state) {
  const { Seconds, SecondsPath, Timestamp, TimestampPath, ...kept } = state;
  const envelope = { 'input.$': '$' };
  if (Seconds !== undefined) envelope.seconds = Seconds;
  if (SecondsPath !== undefined) envelope['seconds.$'] = SecondsPath;
  if (Timestamp !== undefined) envelope.timestamp = Timestamp;
  if (TimestampPath !== undefined) envelope['timestamp.$'] = TimestampPath;
  return localHandlerTask(kept, envelope);
}

function localHandlerTask(kept, envelope) {
  return {
    ...kept,
    Type: 'Task',
    Resource: LOCAL_RESOURCE,
    Parameters: envelope,
    TimeoutSeconds: ENGINE_TASK_TIMEOUT_SECONDS,
  };
}

function mapForEngine(state) {
  const key = state.ItemProcessor ? 'ItemProcessor' : 'Iterator';
  return { ...state, [key]: { ...state[key], States: mapStates(state[key].States) } };
}

/** Rewrites `$$.Execution.StartTime` in every path and intrinsic function so it reads the recorded start time. */
function pinStartTime(value, key = '') {
  if (typeof value === 'string') {
    // A replacer function, because "$$" in a replacement string would insert a single "$".
    return isPathField(key) ? value.replaceAll('$$.Execution.StartTime', () => RECORDED_START_TIME) : value;
  }
  if (Array.isArray(value)) {
    return value.map((item) => pinStartTime(item, key));
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, pinStartTime(item, name)]));
  }
  return value;
}

function isPathField(key) {
  return key.endsWith('.$') || key.endsWith('Path') || key === 'Variable';
}
