/**
 * The check every local server makes first (the Java servers share io.personalizeimport.local.http.LoopbackOnly,
 * whose rules this mirrors): a Host naming this server's own loopback address and port, no Origin but its own on a
 * request that changes state, and none of the types a page of any site may send without a CORS preflight.
 */
const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const UNASKED_TYPES = new Set(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']);
const OWN_FETCH_SITES = new Set(['same-origin', 'none']);

function addresses(scheme, port) {
  return LOOPBACK_NAMES.map((name) => `${scheme}${name}:${port}`);
}

function forbidden(message) {
  return { status: 403, error: 'AccessDeniedException', message };
}

/** The refusal of a node:http request to an endpoint that takes `takes`, or undefined when it may be answered. */
export function refusal(request, takes) {
  const port = request.socket.localPort;
  const { host, origin } = request.headers;
  if (host === undefined || !addresses('', port).includes(host.toLowerCase())) {
    return forbidden(`${host === undefined ? 'No Host header' : `Host '${host}' is not this server's`}: it answers`
      + ` only Host ${addresses('', port).join(', ')} (another name is how a page of another site reaches a local`
      + ' server, by DNS rebinding)');
  }
  if (SAFE_METHODS.has(request.method)) {
    return undefined;
  }
  if (origin !== undefined && !addresses('http://', port).includes(origin.toLowerCase())) {
    return forbidden(`Origin '${origin}' is not this server's: a ${request.method} is taken only with no Origin`
      + ` (command-line clients) or from ${addresses('http://', port).join(', ')}`);
  }
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite !== undefined && !OWN_FETCH_SITES.has(fetchSite.toLowerCase())) {
    return forbidden(`Sec-Fetch-Site '${fetchSite}': a ${request.method} is taken only from a page of this`
      + " server's own origin");
  }
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (UNASKED_TYPES.has(type)) {
    return {
      status: 415,
      error: 'UnsupportedMediaTypeException',
      message: `Content-Type '${type}' is refused, since a page of any site can send it without a CORS preflight:`
        + ` this endpoint takes ${takes}`,
    };
  }
  return undefined;
}
