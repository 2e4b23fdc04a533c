import { randomUUID } from 'node:crypto';
import { ApiError } from './errors.mjs';
import { historyPage, withoutData } from './history.mjs';

// Limits of the Step Functions API reference (StartExecution, ListExecutions, GetExecutionHistory, StopExecution).
const NAME_PATTERN = /^[0-9A-Za-z_-]{1,80}$/;
const MAX_INPUT_BYTES = 256 * 1024;
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;
const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];
const EXECUTION_ARN = /^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:execution:[^:]+:[^:]+$/;
const STATE_MACHINE_ARN = /^arn:[a-z-]+:states:[a-z0-9-]+:\d{12}:stateMachine:[^:]+(:[^:]+)?$/;

/**
 * The operations of the Step Functions API (protocol awsJson1.0) on the one state machine, by X-Amz-Target
 * operation name. Each takes the parsed request and returns the response document; failures are ApiErrors.
 */
export function createOperations({ stateMachine, executions }) {
  const executionOf = (request) => findExecution(executions, stateMachine, request.executionArn);
  return {
    StartExecution(request) {
      requireStateMachine(stateMachine, request.stateMachineArn);
      const name = request.name ?? randomUUID();
      if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
        throw new ApiError('InvalidName', `Invalid Name: '${name}' (1 to 80 characters of 0-9, A-Z, a-z, - and _)`);
      }
      const record = executions.start(name, executionInput(request.input));
      return { executionArn: record.executionArn, startDate: seconds(record.startDate) };
    },
    DescribeExecution(request) {
      return describe(executionOf(request));
    },
    ListExecutions(request) {
      requireStateMachine(stateMachine, request.stateMachineArn);
      return listExecutions(executions, request);
    },
    GetExecutionHistory(request) {
      return executionHistory(executionOf(request), request);
    },
    StopExecution(request) {
      const record = executions.stop(executionOf(request),
        optionalString(request, 'error', 256), optionalString(request, 'cause', 32_768));
      return { stopDate: seconds(record.stopDate) };
    },
    DescribeStateMachine(request) {
      requireStateMachine(stateMachine, request.stateMachineArn);
      return describeStateMachine(stateMachine);
    },
    DescribeStateMachineForExecution(request) {
      executionOf(request);
      return describeStateMachine(stateMachine);
    },
    ListStateMachines() {
      const { arn, name, creationDate } = stateMachine;
      return { stateMachines: [{ stateMachineArn: arn, name, type: 'STANDARD', creationDate: seconds(creationDate) }] };
    },
  };
}

/** The JSON protocol carries timestamps as epoch seconds (the model's default timestampFormat for awsJson). */
function seconds(epochMillis) {
  return epochMillis === undefined ? undefined : epochMillis / 1000;
}

function requireString(request, field) {
  const value = request[field];
  if (typeof value !== 'string') {
    throw new ApiError('ValidationException',
      `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must not be null`);
  }
  return value;
}

function optionalString(request, field, maxLength) {
  const value = request[field];
  if (value !== undefined && (typeof value !== 'string' || value.length > maxLength)) {
    throw new ApiError('ValidationException', `'${field}' must be a string of at most ${maxLength} characters`);
  }
  return value;
}

function requireStateMachine(stateMachine, arn) {
  if (requireString({ stateMachineArn: arn }, 'stateMachineArn') === stateMachine.arn) {
    return;
  }
  if (!STATE_MACHINE_ARN.test(arn)) {
    throw new ApiError('InvalidArn', `Invalid Arn: '${arn}'`);
  }
  throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
}

function findExecution(executions, stateMachine, arn) {
  requireString({ executionArn: arn }, 'executionArn');
  if (!EXECUTION_ARN.test(arn)) {
    throw new ApiError('InvalidArn', `Invalid Arn: '${arn}'`);
  }
  const name = arn.slice(arn.lastIndexOf(':') + 1);
  const record = executions.get(name);
  if (record === undefined || record.executionArn !== arn) {
    throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  }
  return record;
}

/** The input text: a JSON object of at most 256 KiB; Step Functions uses "{}" when there is none. */
function executionInput(input) {
  if (input === undefined) {
    return '{}';
  }
  if (typeof input !== 'string' || Buffer.byteLength(input) > MAX_INPUT_BYTES) {
    throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: must be at most ${MAX_INPUT_BYTES} bytes`);
  }
  let parsed;
  try {
    parsed = JSON.parse(input);
  } catch (error) {
    throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${error.message}'`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ApiError('InvalidExecutionInput', 'Invalid State Machine Execution Input: must be a JSON object');
  }
  return input;
}

function describe(record) {
  return {
    executionArn: record.executionArn,
    stateMachineArn: record.stateMachineArn,
    name: record.name,
    status: record.status,
    startDate: seconds(record.startDate),
    stopDate: seconds(record.stopDate),
    input: record.input,
    inputDetails: { included: true },
    output: record.output,
    outputDetails: record.output === undefined ? undefined : { included: true },
    error: record.error,
    cause: record.cause,
    redriveCount: record.redriveCount,
    redriveDate: seconds(record.redriveDate),
  };
}

function listItem(record) {
  const { executionArn, stateMachineArn, name, status, startDate, stopDate, redriveCount, redriveDate } = record;
  return {
    executionArn, stateMachineArn, name, status, startDate: seconds(startDate), stopDate: seconds(stopDate),
    redriveCount, redriveDate: seconds(redriveDate),
  };
}

function listExecutions(executions, request) {
  const { statusFilter } = request;
  if (statusFilter !== undefined && !STATUSES.includes(statusFilter)) {
    throw new ApiError('ValidationException', `'statusFilter' must be one of ${STATUSES.join(', ')}`);
  }
  const limit = pageSize(request.maxResults);
  const after = decodeToken(request.nextToken);
  const matching = executions.list().filter((record) =>
    (statusFilter === undefined || record.status === statusFilter) && (after === undefined || record.sequence < after));
  const page = matching.slice(0, limit);
  const more = matching.length > limit;
  return { executions: page.map(listItem), nextToken: more ? encodeToken(page.at(-1).sequence) : undefined };
}

function executionHistory(record, request) {
  const limit = pageSize(request.maxResults);
  const reverse = request.reverseOrder === true;
  const afterId = decodeToken(request.nextToken);
  const page = historyPage(record.events, { afterId, reverse, limit });
  const lastId = page.at(-1)?.id;
  const more = lastId !== undefined && (reverse ? lastId > 1 : lastId < record.events.length);
  const events = request.includeExecutionData === false ? page.map(withoutData) : page;
  return {
    events: events.map((event) => ({ ...event, timestamp: seconds(event.timestamp) })),
    nextToken: more ? encodeToken(lastId) : undefined,
  };
}

function describeStateMachine(stateMachine) {
  return {
    stateMachineArn: stateMachine.arn,
    name: stateMachine.name,
    status: 'ACTIVE',
    definition: stateMachine.definitionText,
    roleArn: stateMachine.roleArn,
    type: 'STANDARD',
    creationDate: seconds(stateMachine.creationDate),
  };
}

function pageSize(maxResults) {
  if (maxResults === undefined || maxResults === 0) {
    return DEFAULT_PAGE_SIZE;
  }
  if (!Number.isInteger(maxResults) || maxResults < 0 || maxResults > MAX_PAGE_SIZE) {
    throw new ApiError('ValidationException', `'maxResults' must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return maxResults;
}

/** Page tokens are opaque to clients: the position (execution sequence or event id) the next page starts after. */
function encodeToken(position) {
  return Buffer.from(JSON.stringify({ after: position })).toString('base64url');
}

function decodeToken(token) {
  if (token === undefined) {
    return undefined;
  }
  try {
    const { after } = JSON.parse(Buffer.from(String(token), 'base64url').toString());
    if (Number.isInteger(after)) {
      return after;
    }
  } catch (error) {
    throw new ApiError('InvalidToken', `Invalid Token: '${token}' (${error.message})`);
  }
  throw new ApiError('InvalidToken', `Invalid Token: '${token}'`);
}
