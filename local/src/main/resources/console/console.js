// The local console: polls the console API about once a second and redraws the view that is open when its data
// changed. The graph of the state machine is laid out by dagre (served from the pinned node_modules) and drawn as SVG.
import dagre from '/vendor/dagre.esm.js';

const POLL_MILLIS = 1000;
const SVG = 'http://www.w3.org/2000/svg';
const state = { routes: [], lastData: '', following: null, timer: null, graphShown: '' };

// ---- helpers --------------------------------------------------------------------------------------------------

/** An element with attributes and children; strings become text nodes, so no data is ever parsed as HTML. */
function h(tag, attributes = {}, ...children) {
  const element = tag.startsWith('svg:') ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'class') element.setAttribute('class', value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

async function api(path, options) {
  const response = await fetch(`/api/${path}`, options);
  const body = await response.json();
  if (!response.ok) throw Object.assign(new Error(body.error ?? `HTTP ${response.status}`), { status: response.status });
  return body;
}

function statusBadge(status) {
  return status ? h('span', { class: `status ${status.replace(/ /g, '_')}` }, status) : '–';
}

function seconds(millis) {
  if (millis === undefined || millis === null) return '–';
  const total = millis / 1000;
  if (total < 60) return `${total.toFixed(1)} s`;
  const minutes = Math.floor(total / 60);
  return `${minutes} min ${String(Math.round(total % 60)).padStart(2, '0')} s`;
}

function time(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  return h('time', { datetime: date.toISOString() }, date.toLocaleString());
}

function executionLink(name) {
  return name ? h('a', { href: `#/execution/${encodeURIComponent(name)}` }, name) : '–';
}

function table(caption, headers, rows, empty) {
  if (rows.length === 0) return h('p', { class: 'summary' }, empty);
  return h('table', {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, headers.map((header) =>
      h('th', { scope: 'col', class: header.number ? 'number' : undefined }, header.label ?? header)))),
    h('tbody', {}, rows.map((cells) => h('tr', {}, cells.map((cell, index) =>
      index === 0 ? h('th', { scope: 'row' }, cell)
        : h('td', { class: headers[index].number ? 'number' : headers[index].wrap ? 'wrap' : undefined }, cell))))));
}

function replace(id, ...children) {
  document.getElementById(id).replaceChildren(...children.flat());
}

function pretty(text) {
  if (!text) return '–';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function problem(message) {
  const banner = document.getElementById('problem');
  banner.hidden = !message;
  banner.textContent = message ?? '';
}

// ---- routing and polling --------------------------------------------------------------------------------------

function route() {
  const [, view = 'executions', argument] = location.hash.split('/');
  return { view: document.getElementById(`view-${view}`) ? view : 'executions', argument };
}

function show() {
  const { view } = route();
  for (const section of document.querySelectorAll('main > section')) section.hidden = section.dataset.view !== view;
  for (const link of document.querySelectorAll('nav a')) {
    const current = link.dataset.view === view || (view === 'execution' && link.dataset.view === 'executions');
    if (current) link.setAttribute('aria-current', 'page'); else link.removeAttribute('aria-current');
  }
  state.lastData = '';
  refresh();
}

async function refresh() {
  clearTimeout(state.timer);
  const { view, argument } = route();
  try {
    const renderers = { executions: refreshExecutions, execution: refreshExecution, datasets: refreshDatasets,
      files: refreshFiles, upload: refreshUpload };
    await renderers[view](argument && decodeURIComponent(argument));
    problem(null);
    document.getElementById('freshness').textContent = `Live: updated ${new Date().toLocaleTimeString()}`;
  } catch (error) {
    problem(`The local stack did not answer: ${error.message}`);
  } finally {
    state.timer = setTimeout(refresh, POLL_MILLIS);
  }
}

/** Whether {@code data} differs from what the view shows already (redrawing only then keeps focus and selection). */
function changed(data) {
  const text = JSON.stringify(data);
  if (text === state.lastData) return false;
  state.lastData = text;
  return true;
}

// ---- executions -----------------------------------------------------------------------------------------------

async function refreshExecutions() {
  const form = document.getElementById('execution-filters');
  const query = new URLSearchParams({ status: form.status.value, dataset: form.dataset.value });
  const executions = await api(`executions?${query}`);
  if (!changed(executions)) return;
  const running = executions.filter((execution) => execution.status === 'RUNNING').length;
  replace('executions-summary', `${executions.length} execution${executions.length === 1 ? '' : 's'}, ${running} running`);
  replace('executions-table', table('Executions of the import monitor, newest first',
    ['Execution', 'Status', 'File(s)', 'Dataset', 'State', 'Job status', { label: 'Polls', number: true },
      { label: 'Elapsed', number: true }, 'Error'],
    executions.map((execution) => [executionLink(execution.name), statusBadge(execution.status), execution.file ?? '–',
      execution.dataset ?? '–', execution.state ?? '–', statusBadge(execution.jobStatus), execution.polls,
      seconds(execution.elapsedMillis),
      execution.error ? h('span', { title: execution.cause ?? '' }, shortError(execution.error)) : '–']),
    'No executions match. Drop a file to start one.'));
}

// ---- one execution --------------------------------------------------------------------------------------------

async function refreshExecution(name) {
  const detail = await api(`executions/${encodeURIComponent(name)}`);
  if (!changed(detail)) return;
  const { view } = detail;
  const visits = visited(detail.events, view.status);
  replace('execution-heading', `Execution ${view.name}`);
  replace('execution-status', statusBadge(view.status), view.state ? ` in state “${view.state}”` : '',
    view.jobStatus ? ` · job ${view.jobStatus}` : '');
  replace('execution-failure', view.error ? h('div', { class: 'failure', id: 'failure' },
    h('p', {}, h('strong', {}, 'Error: '), h('code', {}, view.error)),
    h('p', {}, h('strong', {}, 'Cause: '), view.cause ?? '–')) : []);
  replace('execution-facts', h('dl', { class: 'facts' },
    fact('File(s)', view.file), fact('Dataset', view.dataset), fact('Job status', statusBadge(view.jobStatus)),
    fact('Polls', view.polls), fact('Elapsed', seconds(view.elapsedMillis)), fact('Started', time(detail.startDate)),
    fact('Stopped', time(detail.stopDate)), fact('Execution ARN', h('code', {}, view.executionArn))));
  replace('graph', drawGraph(JSON.parse(detail.definition), visits, view));
  focusGraph(view.name, visits);
  document.getElementById('execution-input').textContent = pretty(detail.input);
  document.getElementById('execution-output').textContent = pretty(detail.output);
  replace('execution-events', table('Event history, oldest first',
    [{ label: 'ID', number: true }, 'Type', 'State', 'Time', { label: 'Details', wrap: true }],
    detail.events.map((event) => [String(event.id), event.type, event.state ?? '–', time(event.timestamp),
      event.error ? `${event.error}: ${event.cause ?? ''}` : data(event.output ?? event.input)]), 'No events yet.'));
}

/** A state's input or output: its first characters, the whole of it one click (or Enter) away. */
function data(text) {
  if (!text) return '';
  if (text.length <= 80) return h('code', {}, text);
  return h('details', {}, h('summary', {}, h('code', {}, `${text.slice(0, 79)}…`)), h('pre', {}, pretty(text)));
}

function fact(label, value) {
  return [h('dt', {}, label), h('dd', {}, value ?? '–')];
}

/**
 * What the history says of each state: its outcome (succeeded, caught: failed and handled by a Catch, failed, or
 * running), the transitions taken, and the current state.
 */
function visited(events, status) {
  const outcome = new Map();
  const taken = new Set();
  let previous = 'Start';
  let current = null;
  let taskFailed = false;
  for (const event of events) {
    if (event.type.endsWith('StateEntered')) {
      taken.add(`${previous}\u0000${event.state}`);
      outcome.set(event.state, 'running');
      current = event.state;
      taskFailed = false;
    } else if (event.type.endsWith('StateExited')) {
      outcome.set(event.state, taskFailed ? 'caught' : 'succeeded');
      previous = event.state;
      current = null;
    } else if (/^(LambdaFunction|Task)(Failed|TimedOut|StartFailed|ScheduleFailed)$/.test(event.type)) {
      taskFailed = true;
    } else if (/^(LambdaFunction|Task)(Scheduled|Started)$/.test(event.type)) {
      taskFailed = false; // a retry
    } else if (/^Execution(Failed|TimedOut|Aborted)$/.test(event.type)) {
      if (current) outcome.set(current, 'failed');
    } else if (event.type === 'ExecutionSucceeded') {
      taken.add(`${previous}\u0000End`);
    }
  }
  if (status === 'RUNNING' && current) outcome.set(current, 'running');
  return { outcome, taken, current: status === 'RUNNING' ? current : null };
}

// ---- the graph ------------------------------------------------------------------------------------------------

const measure = document.createElement('canvas').getContext('2d');

function textWidth(text, size) {
  measure.font = `${size}px system-ui, "DejaVu Sans", sans-serif`;
  return measure.measureText(text).width;
}

function shortError(name) {
  return name.slice(name.lastIndexOf('.') + 1).replace(/Exception$/, '');
}

/** State names wrap at about 16 characters, so that the graph stays narrow enough to read at its own size. */
function wrap(text, length = 16) {
  const lines = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && `${line} ${word}`.length > length) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  lines.push(line);
  return lines;
}

/** Edge labels stay short so that the graph stays readable; the full text is the edge's tooltip. */
function clip(text, length = 18) {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}

/** A choice rule in a few words: the field's last name and the value it is compared with. */
function choiceLabel(rule) {
  if (rule.And) return `all of ${rule.And.length} rules`;
  if (rule.Or) return `any of ${rule.Or.length} rules`;
  if (rule.Not) return `not: ${choiceLabel(rule.Not)}`;
  const field = (rule.Variable ?? '').split('.').at(-1);
  const test = Object.keys(rule).find((key) => !['Variable', 'Next', 'Comment'].includes(key));
  if (!test) return 'rule';
  const value = rule[test];
  if (test === 'IsPresent') return value ? `${field} present` : `no ${field}`;
  const shown = typeof value === 'string' ? value.split('.').at(-1) : JSON.stringify(value);
  const operator = test.includes('LessThanEquals') ? '≤' : test.includes('GreaterThanEquals') ? '≥'
    : test.includes('LessThan') ? '<' : test.includes('GreaterThan') ? '>' : test.includes('Matches') ? '~' : '=';
  return `${field} ${operator} ${shown}`;
}

/** The whole rule, for the edge's tooltip. */
function choiceText(rule) {
  const { Next, ...condition } = rule;
  return JSON.stringify(condition);
}

/** The states and transitions of an ASL definition: Next, choice rules, Default and Catch, with Start and End. */
function graphOf(definition) {
  const nodes = [{ id: 'Start', type: 'Start' }, { id: 'End', type: 'End' }];
  const edges = [{ from: 'Start', to: definition.StartAt, kind: 'next' }];
  for (const [name, stateDefinition] of Object.entries(definition.States)) {
    nodes.push({ id: name, type: stateDefinition.Type });
    if (stateDefinition.Next) edges.push({ from: name, to: stateDefinition.Next, kind: 'next' });
    if (stateDefinition.End || ['Succeed', 'Fail'].includes(stateDefinition.Type)) {
      edges.push({ from: name, to: 'End', kind: 'next' });
    }
    for (const rule of stateDefinition.Choices ?? []) {
      edges.push({ from: name, to: rule.Next, kind: 'choice', label: clip(choiceLabel(rule)), full: choiceText(rule) });
    }
    if (stateDefinition.Default) edges.push({ from: name, to: stateDefinition.Default, kind: 'choice', label: 'Default' });
    for (const handler of stateDefinition.Catch ?? []) {
      const names = handler.ErrorEquals.map(shortError);
      edges.push({ from: name, to: handler.Next, kind: 'catch', errors: handler.ErrorEquals,
        label: names.length > 1 ? `${clip(names[0])} +${names.length - 1}` : clip(names[0]) });
    }
  }
  return { nodes, edges };
}

function drawGraph(definition, visits, view) {
  const { nodes, edges } = graphOf(definition);
  const layout = new dagre.graphlib.Graph({ multigraph: true });
  layout.setGraph({ rankdir: 'TB', nodesep: 18, ranksep: 24, edgesep: 8, marginx: 12, marginy: 12 });
  for (const node of nodes) {
    const pseudo = node.type === 'Start' || node.type === 'End';
    const lines = wrap(node.id);
    const width = pseudo ? 64 : Math.max(...lines.map((line) => textWidth(line, 12)), textWidth(node.type, 10)) + 20;
    layout.setNode(node.id, { width, height: pseudo ? 28 : 26 + 14 * lines.length, node, lines });
  }
  edges.forEach((edge, index) => {
    const label = edge.label ?? '';
    layout.setEdge(edge.from, edge.to, { edge, width: label ? textWidth(label, 10) + 6 : 0, height: label ? 14 : 0,
      labelpos: 'c' }, `e${index}`);
  });
  dagre.layout(layout);
  const { width, height } = layout.graph();
  const visitedNames = [...visits.outcome.keys()];
  const title = `State machine graph: ${nodes.length - 2} states. Visited: ${visitedNames.join(', ') || 'none'}.`
    + (visits.current ? ` Current state: ${visits.current}.` : '') + ` Execution ${view.status}.`;
  const svg = h('svg:svg', { viewBox: `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`, width: Math.ceil(width),
    height: Math.ceil(height), role: 'img', 'aria-labelledby': 'graph-title' },
    h('svg:title', { id: 'graph-title' }, title),
    h('svg:defs', {}, h('svg:marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7,
      markerHeight: 7, orient: 'auto-start-reverse' }, h('svg:path', { d: 'M 0 0 L 10 5 L 0 10 z', fill: '#5b6270' }))));
  for (const id of layout.edges()) {
    const { edge, points, x, y, width: labelWidth } = layout.edge(id);
    const taken = visits.taken.has(`${edge.from}\u0000${edge.to}`);
    const path = points.map((point, index) => `${index === 0 ? 'M' : 'L'} ${point.x.toFixed(1)} ${point.y.toFixed(1)}`).join(' ');
    svg.append(h('svg:g', { class: `edge ${edge.kind}${taken ? ' taken' : ''}`, 'data-from': edge.from, 'data-to': edge.to },
      h('svg:title', {}, edge.errors ? `Catch ${edge.errors.join(', ')} → ${edge.to}`
        : `${edge.from} → ${edge.to}${edge.full ? ` when ${edge.full}` : edge.label ? ` (${edge.label})` : ''}`),
      h('svg:path', { d: path, 'marker-end': 'url(#arrow)' }),
      edge.label ? [h('svg:rect', { class: 'label-bg', x: x - labelWidth / 2, y: y - 8, width: labelWidth, height: 14 }),
        h('svg:text', { x, y: y + 3, 'text-anchor': 'middle' }, edge.label)] : null));
  }
  for (const id of layout.nodes()) {
    const { node, lines, x, y, width: nodeWidth, height: nodeHeight } = layout.node(id);
    const outcome = visits.outcome.get(id)
      ?? (id === 'Start' && visits.outcome.size ? 'succeeded' : null)
      ?? (id === 'End' && view.status === 'SUCCEEDED' ? 'succeeded' : null);
    const classes = ['node', outcome ?? 'unvisited', id === visits.current ? 'current' : ''].join(' ').trim();
    let shape;
    if (node.type === 'Start' || node.type === 'End') {
      shape = h('svg:rect', { x: x - nodeWidth / 2, y: y - nodeHeight / 2, width: nodeWidth, height: nodeHeight, rx: 14 });
    } else if (node.type === 'Choice') {
      const inset = 12;
      const left = x - nodeWidth / 2;
      const right = x + nodeWidth / 2;
      const top = y - nodeHeight / 2;
      const bottom = y + nodeHeight / 2;
      shape = h('svg:polygon', { points: `${left},${y} ${left + inset},${top} ${right - inset},${top} ${right},${y} `
        + `${right - inset},${bottom} ${left + inset},${bottom}` });
    } else {
      shape = h('svg:rect', { x: x - nodeWidth / 2, y: y - nodeHeight / 2, width: nodeWidth, height: nodeHeight,
        rx: node.type === 'Task' ? 4 : 10 });
    }
    const pseudo = node.type === 'Start' || node.type === 'End';
    svg.append(h('svg:g', { class: classes, 'data-state': id, 'data-outcome': outcome ?? 'unvisited' },
      h('svg:title', {}, `${id} (${node.type}): ${outcome ?? 'not visited'}${id === visits.current ? ', current' : ''}`),
      shape,
      pseudo ? h('svg:text', { x, y: y + 4, 'text-anchor': 'middle' }, id)
        : h('svg:text', { x, y: y - nodeHeight / 2 + 16, 'text-anchor': 'middle' },
          lines.map((line, index) => h('svg:tspan', { x, dy: index === 0 ? 0 : 14 }, line))),
      pseudo ? null : h('svg:text', { class: 'type', x, y: y + nodeHeight / 2 - 7, 'text-anchor': 'middle' }, node.type)));
  }
  return svg;
}

/** Scrolls the graph to the current state of a running execution, once per state it enters. */
function focusGraph(name, visits) {
  const target = visits.current;
  if (!target || state.graphShown === `${name}\u0000${target}`) return;
  state.graphShown = `${name}\u0000${target}`;
  const container = document.getElementById('graph');
  const node = [...container.querySelectorAll('g.node')].find((candidate) => candidate.dataset.state === target);
  if (!node) return;
  const box = node.getBoundingClientRect();
  const frame = container.getBoundingClientRect();
  container.scrollLeft += box.left + box.width / 2 - (frame.left + frame.width / 2);
}

// ---- datasets -------------------------------------------------------------------------------------------------

async function refreshDatasets() {
  const lanes = await api('datasets');
  if (!changed(lanes)) return;
  replace('datasets-table', table('Dataset lanes: the running import, the files waiting, the last import',
    ['Dataset', 'Routes', 'Running import', 'Files waiting', 'Last imported file', { label: 'Records', number: true }],
    lanes.map((lane) => [lane.dataset, lane.routes.join(', '),
      lane.running ? [executionLink(lane.running.executionName), h('br'), lane.running.keys.join(', ') || '–'] : 'Free',
      lane.waiting.length ? h('ul', { class: 'plain waiting' }, lane.waiting.map((file) => h('li', {}, file.waiting ? `${file.key} (${file.waiting})` : file.key))) : 'None',
      lane.lastImported ? [lane.lastImported.key, h('br'), time(lane.lastImported.updatedAt)] : '–',
      lane.recordCount ?? '–']),
    'No routes name a dataset.'));
}

// ---- files ----------------------------------------------------------------------------------------------------

function outcome(file) {
  if (file.waiting) return file.waiting;
  if (file.supersededBy) return `Superseded by ${file.supersededBy}${file.reason ? `: ${file.reason}` : ''}`;
  if (file.status === 'DELETED' && file.records !== undefined && file.records !== null) {
    return `${file.records} records deleted`;
  }
  return file.reason ?? '';
}

/** A dataset's group/TYPE, or a dataset group's name for the lists of users deleted from it. */
function laneName(arn) {
  return arn.includes(':dataset-group/') ? `${arn.replace(/^.*:dataset-group\//, '')} (group)`
    : arn.replace(/^.*:dataset\//, '');
}

async function refreshFiles() {
  const files = await api('files');
  if (!changed(files)) return;
  const newest = [...files].sort((a, b) => (b.receivedAt ?? b.eventTime).localeCompare(a.receivedAt ?? a.eventTime));
  replace('files-summary', `${files.length} file${files.length === 1 ? '' : 's'} notified`);
  replace('files-table', table('Every notified file and its outcome, newest first',
    ['File', 'Dataset', 'Route', 'Status', { label: 'Outcome and reason', wrap: true }, 'Execution', 'Received'],
    newest.map((file) => [file.key, laneName(file.datasetArn), file.route ?? '–',
      statusBadge(file.status), outcome(file), executionLink(file.executionName ?? file.jobName),
      time(file.receivedAt ?? file.eventTime)]),
    'No file has been notified yet. Drop a file to start an import.'));
}

// ---- upload ---------------------------------------------------------------------------------------------------

async function loadRoutes() {
  state.routes = await api('routes');
  const options = state.routes.map((candidate) => h('option', { value: candidate.name },
    `${candidate.name} (${candidate.prefix} → ${candidate.dataset}, ${candidate.importMode})`));
  document.getElementById('upload-route').replaceChildren(...options);
  const datasets = [...new Set(state.routes.map((candidate) => candidate.dataset))];
  document.getElementById('filter-dataset').replaceChildren(h('option', { value: '' }, 'All'),
    ...datasets.map((dataset) => h('option', {}, dataset)));
}

async function upload(event) {
  event.preventDefault();
  const form = event.target;
  const file = form.file.files[0];
  if (!file) return;
  // The panel stops showing the file followed before at once, so its execution link is not taken for this one's.
  replace('upload-follow', h('p', {}, `Uploading ${file.name}…`));
  const query = new URLSearchParams({ route: form.route.value, name: file.name });
  try {
    state.following = await api(`upload?${query}`, { method: 'POST', body: file, headers: { 'Content-Type': 'text/csv' } });
    problem(null);
    state.lastData = '';
    refresh();
  } catch (error) {
    replace('upload-follow', h('p', { class: 'failure', role: 'alert' }, `Not uploaded: ${error.message}`));
  }
}

async function refreshUpload() {
  const upload = state.following;
  if (!upload) return;
  const query = new URLSearchParams({ key: upload.key, markerKey: upload.markerKey ?? '' });
  const { entry, execution: view } = await api(`following?${query}`);
  const name = entry && (entry.executionName ?? entry.jobName);
  // The execution's link shows once it has started, so opening it never asks for an execution not there yet.
  const data = { entry, view };
  if (!changed(data)) return;
  replace('upload-follow', h('div', { class: 'follow' },
    h('h3', {}, `Following s3://${upload.bucket}/${upload.key}`),
    h('dl', { class: 'facts' },
      fact('Ledger status', entry ? statusBadge(entry.status) : 'Waiting for the S3 notification…'),
      fact('Outcome', entry ? outcome(entry) || '–' : '–'),
      fact('Execution', view ? executionLink(name) : name ?? '–'),
      fact('Execution status', statusBadge(view?.status)),
      fact('Job status', statusBadge(view?.jobStatus)),
      view?.error ? fact('Error', `${view.error}: ${view.cause}`) : null)));
}

// ---- start ----------------------------------------------------------------------------------------------------

document.getElementById('upload-form').addEventListener('submit', upload);
document.getElementById('execution-filters').addEventListener('change', () => { state.lastData = ''; refresh(); });
window.addEventListener('hashchange', show);
loadRoutes().then(show, (error) => { problem(`The local stack did not answer: ${error.message}`); show(); });
