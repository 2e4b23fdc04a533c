#!/usr/bin/env node
/**
 * A local AWS Step Functions endpoint: the Step Functions API (awsJson1.0, so any AWS SDK works unchanged) for one
 * Standard state machine whose executions run on aws-local-stepfunctions, with every Lambda task invoked through the
 * Lambda Invoke API of --lambda-endpoint.
 *
 *   node local/stepfunctions/server.mjs --port N --definition FILE --substitutions JSON_OR_@FILE
 *     --lambda-endpoint URL [--state-machine-name NAME] [--region R] [--account-id A] [--time-scale F]
 *     [--data-dir DIR] [--on-status-change FUNCTION]
 *
 * Binds 127.0.0.1 only (port 0: a free port) and prints its endpoint URL as the first line of stdout; logs go to
 * stderr. A bad flag, an unreadable or invalid definition, or a `${Name}` placeholder left after substitution exits
 * with code 2. SIGTERM or SIGINT saves pending records and exits 0. A request whose Host is not this server's loopback
 * address and port, a POST with another site's Origin or a form's content type is refused (loopback-only.mjs).
 *
 * Time scale: every Wait duration (Seconds, SecondsPath, and the time left until Timestamp or TimestampPath) and every
 * Retry pause (IntervalSeconds x BackoffRate^attempt, capped by MaxDelaySeconds, jittered when FULL) is multiplied by
 * --time-scale F (default 1: real seconds; 0.01 makes a 30 s wait last 0.3 s). Task TimeoutSeconds and the
 * definition's TimeoutSeconds are not scaled. A Task without TimeoutSeconds has no timeout, as in Step Functions (the
 * engine alone would apply 60 s).
 *
 * Status changes: with --on-status-change FUNCTION, each execution that ends FAILED, TIMED_OUT or ABORTED is sent to
 * that function (an asynchronous Invoke through --lambda-endpoint) as the "Step Functions Execution Status Change"
 * event EventBridge delivers to a rule's target, which is how the deployed stack routes them.
 *
 * Persistence: with --data-dir each execution (input, status, output, error, history) is a JSON file under
 * DIR/executions/, replaced atomically, so Describe/List/GetExecutionHistory survive a restart. An execution that
 * was RUNNING when the server stopped is restarted from the beginning with the same input when the server starts
 * again (the project's ASL makes that safe); its history records this as an ExecutionRedriven event and
 * DescribeExecution shows redriveCount/redriveDate. `$$.Execution.StartTime` keeps the original start time.
 */
import './promise-with-resolvers.mjs';
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createOperations } from './api.mjs';
import { loadDefinition } from './definition.mjs';
import { Engine } from './engine.mjs';
import { ApiError, StartupError } from './errors.mjs';
import { ExecutionService } from './executions.mjs';
import { LambdaClient } from './lambda-client.mjs';
import { refusal } from './loopback-only.mjs';
import { StatusChangeRule } from './status-change.mjs';
import { FileStore, MemoryStore } from './store.mjs';

const TARGET_PREFIX = 'AWSStepFunctions.';
const CONTENT_TYPE = 'application/x-amz-json-1.0';
/** Larger than any valid request: StartExecution's input is at most 256 KiB, JSON-escaped inside the request. */
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;
const EXIT_STARTUP_ERROR = 2;

const OPTIONS = {
  port: { type: 'string' },
  definition: { type: 'string' },
  substitutions: { type: 'string' },
  'lambda-endpoint': { type: 'string' },
  'state-machine-name': { type: 'string', default: 'personalize-import-monitor' },
  region: { type: 'string', default: 'us-east-1' },
  'account-id': { type: 'string', default: '000000000000' },
  'time-scale': { type: 'string', default: '1' },
  'data-dir': { type: 'string' },
  'on-status-change': { type: 'string' },
};

function log(message) {
  process.stderr.write(`${new Date().toISOString()} stepfunctions: ${message}\n`);
}

function parseCommandLine(args) {
  let values;
  try {
    ({ values } = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: false }));
  } catch (error) {
    throw new StartupError(error.message);
  }
  for (const required of ['port', 'definition', 'lambda-endpoint']) {
    if (values[required] === undefined) {
      throw new StartupError(`--${required} is required`);
    }
  }
  return {
    port: parsePort(values.port),
    definition: values.definition,
    substitutions: parseSubstitutions(values.substitutions ?? '{}'),
    lambdaEndpoint: parseUrl(values['lambda-endpoint']),
    stateMachineName: matching(values['state-machine-name'], /^[0-9A-Za-z_-]{1,80}$/, '--state-machine-name'),
    region: matching(values.region, /^[a-z]{2}(-[a-z]+)+-\d$/, '--region'),
    accountId: matching(values['account-id'], /^\d{12}$/, '--account-id'),
    timeScale: parseTimeScale(values['time-scale']),
    dataDir: values['data-dir'],
    onStatusChange: values['on-status-change'],
  };
}

function parsePort(text) {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65_535) {
    throw new StartupError(`--port must be 0..65535 (0: any free port), got ${text}`);
  }
  return port;
}

/** JSON object text, or @FILE naming a file that holds it; every value is the text that replaces ${Name}. */
function parseSubstitutions(text) {
  let json = text;
  if (text.startsWith('@')) {
    try {
      json = readFileSync(text.slice(1), 'utf8');
    } catch (error) {
      throw new StartupError(`--substitutions: cannot read ${text.slice(1)}: ${error.message}`);
    }
  }
  let substitutions;
  try {
    substitutions = JSON.parse(json);
  } catch (error) {
    throw new StartupError(`--substitutions is not JSON: ${error.message}`);
  }
  const valid = substitutions !== null && typeof substitutions === 'object' && !Array.isArray(substitutions)
    && Object.values(substitutions).every((value) => typeof value === 'string');
  if (!valid) {
    throw new StartupError('--substitutions must be a JSON object of strings, e.g. {"CreateFunctionArn":"arn:..."}');
  }
  return substitutions;
}

function parseUrl(text) {
  try {
    const url = new URL(text);
    if (url.protocol === 'http:' || url.protocol === 'https:') {
      return url.href;
    }
  } catch (error) {
    throw new StartupError(`--lambda-endpoint is not a URL: ${error.message}`);
  }
  throw new StartupError(`--lambda-endpoint must be an http(s) URL, got ${text}`);
}

function matching(value, pattern, flag) {
  if (!pattern.test(value)) {
    throw new StartupError(`${flag} must match ${pattern}, got ${value}`);
  }
  return value;
}

function parseTimeScale(text) {
  const scale = Number(text);
  if (text.trim() === '' || !Number.isFinite(scale) || scale < 0) {
    throw new StartupError(`--time-scale must be a number >= 0 (1 = real time), got ${text}`);
  }
  return scale;
}

async function openStore(dataDir) {
  if (dataDir === undefined) {
    return new MemoryStore();
  }
  try {
    return await FileStore.open(dataDir, log);
  } catch (error) {
    throw new StartupError(`--data-dir ${dataDir}: ${error.message}`);
  }
}

async function restore(executions, dataDir) {
  try {
    return await executions.restore();
  } catch (error) {
    throw new StartupError(`--data-dir ${dataDir}: cannot load the saved executions: ${error.message}`);
  }
}

function sendJson(response, status, document, headers = {}) {
  const body = JSON.stringify(document);
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  response.end(body);
}

/** Errors carry the code both ways the SDKs read it: the x-amzn-ErrorType header and the body's __type. */
function sendError(response, status, type, message) {
  sendJson(response, status, { __type: type, message }, { 'x-amzn-errortype': type });
}

async function readBody(request) {
  const chunks = [];
  let size = 0;
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) {
      throw new ApiError('ValidationException', `The request is larger than ${MAX_REQUEST_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseRequest(text) {
  if (text.trim() === '') {
    return {};
  }
  let document;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new ApiError('SerializationException', `The request body is not JSON: ${error.message}`);
  }
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new ApiError('SerializationException', 'The request body must be a JSON object');
  }
  return document;
}

function operationOf(request, operations) {
  const target = request.headers['x-amz-target'] ?? '';
  const name = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : undefined;
  if (request.method !== 'POST' || !Object.hasOwn(operations, name ?? '')) {
    throw new ApiError('UnknownOperationException', `Unsupported operation: ${request.method} ${target || '(no X-Amz-Target)'}`);
  }
  return operations[name];
}

function handler(operations) {
  return async (request, response) => {
    const refused = refusal(request, CONTENT_TYPE);
    if (refused !== undefined) {
      sendError(response, refused.status, refused.error, refused.message);
      return;
    }
    try {
      const operation = operationOf(request, operations);
      const document = parseRequest(await readBody(request));
      sendJson(response, 200, operation(document));
    } catch (error) {
      if (error instanceof ApiError) {
        sendError(response, 400, error.type, error.message);
        return;
      }
      log(`internal error on ${request.headers['x-amz-target']}: ${error.stack}`);
      sendError(response, 500, 'InternalFailure', error.message);
    }
  };
}

function listen(server, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server.address().port);
    });
  });
}

async function main() {
  const options = parseCommandLine(process.argv.slice(2));
  const { text, definition } = await loadDefinition(options.definition, options.substitutions);
  const arn = `arn:aws:states:${options.region}:${options.accountId}:stateMachine:${options.stateMachineName}`;
  const stateMachine = {
    arn,
    name: options.stateMachineName,
    roleArn: `arn:aws:iam::${options.accountId}:role/${options.stateMachineName}-role`,
    definitionText: text,
    creationDate: Date.now(),
  };
  const engine = new Engine(definition, {
    lambda: new LambdaClient(options.lambdaEndpoint),
    timeScale: options.timeScale,
    region: options.region,
  });
  const statusChanges = options.onStatusChange === undefined ? undefined
    : new StatusChangeRule(new LambdaClient(options.lambdaEndpoint), options.onStatusChange, options, log);
  const executions = new ExecutionService({
    stateMachine, engine, store: await openStore(options.dataDir), log, onClosed: statusChanges?.closed,
  });
  const restored = await restore(executions, options.dataDir);
  const server = createServer(handler(createOperations({ stateMachine, executions })));
  let port;
  try {
    port = await listen(server, options.port);
  } catch (error) {
    throw new StartupError(`cannot listen on 127.0.0.1:${options.port}: ${error.message}`);
  }
  process.stdout.write(`http://127.0.0.1:${port}\n`);
  log(`state machine ${arn} on http://127.0.0.1:${port} (time scale ${options.timeScale}, `
    + `${restored} saved executions, lambda endpoint ${options.lambdaEndpoint})`);

  const shutdown = async (signal) => {
    log(`${signal}: saving and exiting`);
    server.close();
    server.closeAllConnections();
    await executions.shutdown();
    process.exit(0);
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
}

main().catch((error) => {
  if (error instanceof StartupError) {
    process.stderr.write(`stepfunctions: ${error.message}\n`);
    process.exit(EXIT_STARTUP_ERROR);
  }
  process.stderr.write(`stepfunctions: ${error.stack}\n`);
  process.exit(1);
});
