import { randomUUID } from 'node:crypto';
import { StateError, statesRuntimeError } from './errors.mjs';

/**
 * A client of the Lambda Invoke API (`POST /2015-03-31/functions/{FunctionName}/invocations`) that reports failures
 * the way Step Functions does: a function error keeps the function's errorType as Error and the error document
 * (re-serialized JSON) as Cause; a Lambda service error becomes `Lambda.<ErrorType>`; a connection failure
 * `Lambda.SdkClientException`.
 */
export class LambdaClient {
  #endpoint;

  constructor(endpoint) {
    this.#endpoint = new URL(endpoint.endsWith('/') ? endpoint : `${endpoint}/`);
  }

  /** Invokes the function; resolves with `{statusCode, headers, executedVersion, payload}`. */
  async invoke({ functionName, qualifier, invocationType, payload }, signal) {
    const url = new URL(`2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`, this.#endpoint);
    if (qualifier !== undefined) {
      url.searchParams.set('Qualifier', qualifier);
    }
    const { response, body } = await this.#post(url, invocationType, payload, signal);
    if (!response.ok) {
      throw new StateError(`Lambda.${serviceErrorType(response, body)}`, body);
    }
    if (response.headers.has('x-amz-function-error')) {
      throw functionError(body);
    }
    return {
      statusCode: response.status,
      headers: Object.fromEntries(response.headers),
      executedVersion: response.headers.get('x-amz-executed-version') ?? '$LATEST',
      payload: parsePayload(body),
    };
  }

  async #post(url, invocationType, payload, signal) {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: requestHeaders(invocationType),
        body: payload === undefined ? undefined : JSON.stringify(payload),
        signal,
      });
      return { response, body: await response.text() };
    } catch (error) {
      if (signal.aborted) {
        throw error;
      }
      const reason = error.cause?.code ?? error.cause?.message ?? error.message;
      throw new StateError('Lambda.SdkClientException', `Unable to execute HTTP request to ${url.origin}: ${reason}`);
    }
  }
}

function requestHeaders(invocationType) {
  return {
    'content-type': 'application/json',
    'x-amz-invocation-type': invocationType ?? 'RequestResponse',
    'x-amz-log-type': 'None',
    'x-amz-date': new Date().toISOString().replace(/[-:]|\.\d{3}/g, ''),
    'amz-sdk-invocation-id': randomUUID(),
    'user-agent': 'personalize-import-local-stepfunctions',
  };
}

/** The service's error code: the x-amzn-ErrorType header (which may carry `:<url>`), else `__type`, else by status. */
function serviceErrorType(response, body) {
  const header = response.headers.get('x-amzn-errortype');
  if (header) {
    return header.split(':')[0];
  }
  const type = jsonOrUndefined(body)?.__type;
  if (typeof type === 'string' && type.length > 0) {
    return type.slice(type.lastIndexOf('#') + 1);
  }
  if (response.status === 429) return 'TooManyRequestsException';
  if (response.status === 404) return 'ResourceNotFoundException';
  return response.status >= 500 ? 'ServiceException' : 'AWSLambdaException';
}

/** Step Functions puts the whole error document in Cause, so an ASL can read it with States.StringToJson. */
function functionError(body) {
  const document = jsonOrUndefined(body);
  if (typeof document?.errorType === 'string') {
    return new StateError(document.errorType, JSON.stringify(document));
  }
  return new StateError('Lambda.Unknown', body);
}

function parsePayload(body) {
  if (body.length === 0) {
    return null;
  }
  const payload = jsonOrUndefined(body);
  if (payload === undefined) {
    throw statesRuntimeError(`The Lambda function returned a payload that is not JSON: ${body.slice(0, 200)}`);
  }
  return payload;
}

function jsonOrUndefined(text) {
  try {
    return JSON.parse(text);
  } catch {
    // Not JSON: each caller falls back to its own reading of the raw text.
    return undefined;
  }
}
