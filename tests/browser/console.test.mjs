// The local console in a real browser: Debian's chromium, headless, driven by playwright-core (pinned in
// package.json; it never downloads a browser). ConsoleBrowserTest runs it with the console's URL and a fixtures file,
// and reads the last line it prints: {"ok": boolean, "checks": [...], "consoleErrors": [...], "failure"?: string}.
//
//   node tests/browser/console.test.mjs CONFIG.json
//
// CONFIG: {"url", "chromium", "screenshots" (a folder), "good": {"route", "name", "csv"},
//          "failing": {...}, "lane": [{...}, {...}]} where each csv is a file path.
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const config = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const checks = [];
const consoleErrors = [];
const TIMEOUT = 60_000;

function check(name, passed, detail = '') {
  checks.push({ name, passed, detail });
  if (!passed) throw new Error(`${name}: ${detail}`);
}

async function uploadFromPage(page, file) {
  await page.goto(`${config.url}#/upload`);
  await page.getByLabel('Route').selectOption(file.route);
  await page.getByLabel('CSV file').setInputFiles({ name: file.name, mimeType: 'text/csv', buffer: readFileSync(file.csv) });
  await page.getByRole('button', { name: 'Upload and follow' }).click();
  await page.locator('#upload-follow .follow').waitFor({ timeout: TIMEOUT });
}

/** Uploads from the page, waits for the execution link the follow panel shows, and opens the execution. */
async function importFromPage(page, file) {
  await uploadFromPage(page, file);
  const link = page.locator('#upload-follow a[href^="#/execution/"]');
  await link.waitFor({ timeout: TIMEOUT });
  await link.click();
  await page.locator('#graph svg').waitFor({ timeout: TIMEOUT });
}

const profile = mkdtempSync(join(tmpdir(), 'console-chromium-'));
let browser;
let ok = false;
let failure;
try {
  // A fresh profile, so no earlier run's state or extension touches the page.
  browser = await chromium.launchPersistentContext(profile, {
    executablePath: config.chromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
  });
  const page = browser.pages()[0] ?? await browser.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => consoleErrors.push(`request failed: ${request.url()}`));

  // The page loads, from the console alone, and goes live.
  const response = await page.goto(config.url);
  check('page loads', response.ok(), `HTTP ${response.status()}`);
  await page.locator('#freshness', { hasText: 'Live' }).waitFor();
  check('views are links in a navigation landmark', await page.getByRole('navigation', { name: 'Views' })
    .getByRole('link').count() === 4);

  // Keyboard: Tab reaches the views' links, Enter opens one.
  let focused = '';
  for (let presses = 0; presses < 8 && focused !== 'Datasets'; presses += 1) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement?.textContent ?? '');
  }
  check('the keyboard reaches the views', focused === 'Datasets', `focus on '${focused}'`);
  await page.keyboard.press('Enter');
  await page.locator('#view-datasets table').waitFor();
  check('Enter opens the view', await page.locator('nav a[aria-current="page"]').textContent() === 'Datasets');
  // Labels: every form control has an accessible name, every table a caption and column headers.
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('select, input, button')]
    .filter((control) => control.labels?.length === 0 && !control.textContent.trim()).map((control) => control.id));
  check('every form control is labelled', unlabelled.length === 0, unlabelled.join(', '));

  // An import started from the page reaches ACTIVE; its graph shows the states it visited.
  await importFromPage(page, config.good);
  await page.locator('#execution-status', { hasText: 'SUCCEEDED' }).waitFor();
  const jobStatus = await page.locator('#execution-facts').textContent();
  check('the import from the page reaches ACTIVE', jobStatus.includes('ACTIVE'), jobStatus);
  const succeeded = await page.locator('#graph g.node[data-outcome="succeeded"]').evaluateAll((nodes) =>
    nodes.map((node) => node.dataset.state));
  check('the graph shows the visited states', ['Read execution input', 'Describe import job', 'Record the verdict', 'Done']
    .every((state) => succeeded.includes(state)), JSON.stringify(succeeded));
  // The story of an import in 13 states: an operator sees the whole graph without scrolling.
  const graphHeight = await page.locator('figure.graph').evaluate((figure) => figure.getBoundingClientRect().height);
  check('the graph fits one screen', graphHeight <= 900, `${Math.round(graphHeight)} px high in a 900 px window`);
  const states = await page.locator('#graph g.node').count();
  const catches = await page.locator('#graph g.edge.catch').count();
  check('the graph draws every state and the catches', states > 10 && catches > 0, `${states} nodes, ${catches} catches`);
  check('the event history is a table', await page.locator('#execution-events table tbody tr').count() > 4);
  // The facts and the graph: the top of the page, as tall as the graph.
  const graphBottom = await page.locator('figure.graph').evaluate((figure) => figure.getBoundingClientRect().bottom
    + window.scrollY);
  await page.screenshot({ path: join(config.screenshots, 'console-execution.png'), fullPage: true,
    clip: { x: 0, y: 0, width: 1440, height: Math.min(2400, Math.ceil(graphBottom) + 16) } });

  // A failed import shows its error and reason.
  await importFromPage(page, config.failing);
  await page.locator('#failure').waitFor();
  const failureText = await page.locator('#failure').textContent();
  check('a failed import shows its reason', /Error:.+Cause:.+\S/s.test(failureText), failureText);
  const failedStates = await page.locator('#graph g.node[data-outcome="failed"], #graph g.node[data-outcome="caught"]').count();
  check('the graph colours the failed states', failedStates > 0, `${failedStates} failed or caught states`);

  // Two files to one lane: while the first imports, the datasets view shows the second one waiting.
  await uploadFromPage(page, config.lane[0]);
  await page.locator('#upload-follow', { hasText: 'IMPORTING' }).waitFor();
  await uploadFromPage(page, config.lane[1]);
  await page.goto(`${config.url}#/datasets`);
  await page.locator('ul.waiting li', { hasText: config.lane[1].name }).waitFor();
  check('the datasets view shows a file waiting during its lane\'s import', true);
  await page.screenshot({ path: join(config.screenshots, 'console-datasets.png') });

  // Live: a running execution has its current state highlighted (one of the two lane imports runs for seconds).
  let current = null;
  for (let attempt = 0; attempt < 3 && !current; attempt += 1) {
    await page.goto(`${config.url}#/executions`);
    await page.getByLabel('Status').selectOption('RUNNING');
    const running = page.locator('#executions-table tbody tr a[href^="#/execution/"]').first();
    await running.waitFor();
    await running.click();
    current = await page.locator('#graph g.node.current').first().getAttribute('data-state', { timeout: 5_000 })
      .catch(() => null);
  }
  check('a running execution highlights its current state', current !== null, String(current));

  // The executions and files views, once the lane is quiet again.
  await page.goto(`${config.url}#/files`);
  await page.locator('#files-table tr', { hasText: config.lane[1].name }).locator('.status.IMPORTED').waitFor();
  const failedRow = await page.locator('#files-table tr', { hasText: config.failing.name }).textContent();
  check('the files view shows the failed file with its reason', /FAILED.*\S/.test(failedRow), failedRow);
  await page.screenshot({ path: join(config.screenshots, 'console-files.png') });
  await page.goto(`${config.url}#/executions`);
  await page.getByLabel('Status').selectOption('');
  await page.locator('#executions-table tbody tr').nth(3).waitFor();
  const rows = await page.locator('#executions-table tbody tr').count();
  check('the executions view lists every import', rows >= 4, `${rows} rows`);
  await page.getByLabel('Status').selectOption('FAILED');
  await page.waitForFunction(() => {
    const statuses = [...document.querySelectorAll('#executions-table tbody tr td:nth-of-type(1)')];
    return statuses.length > 0 && statuses.every((cell) => cell.textContent === 'FAILED');
  });
  check('the status filter keeps only failed executions', true);
  await page.getByLabel('Status').selectOption('');
  await page.locator('#executions-table tbody tr').nth(3).waitFor();
  await page.screenshot({ path: join(config.screenshots, 'console-executions.png') });

  // A small file on a coalescing interactions route waits for Personalize's minimum, and both views say how far it is.
  await uploadFromPage(page, config.held);
  await page.goto(`${config.url}#/datasets`);
  const heldLine = page.locator('ul.waiting li', { hasText: config.held.name });
  await heldLine.waitFor({ timeout: TIMEOUT });
  const heldText = await heldLine.textContent();
  check('the datasets view shows a held file with its count', heldText.includes('waiting: 100 of 1,000 interactions'),
    heldText);
  await page.goto(`${config.url}#/files`);
  const heldRow = page.locator('#files-table tr', { hasText: config.held.name });
  await heldRow.waitFor({ timeout: TIMEOUT });
  const heldRowText = await heldRow.textContent();
  check('the files view shows a held file with its count',
    /PENDING/.test(heldRowText) && heldRowText.includes('waiting: 100 of 1,000 interactions'), heldRowText);

  // A list of users dropped under the deletion route: its row names the group and, once deleted, the records removed.
  const deletedRow = page.locator('#files-table tr', {
    has: page.locator('th[scope="row"]', { hasText: config.deletedList }),
  });
  await deletedRow.waitFor({ timeout: TIMEOUT });
  await page.waitForFunction((key) => [...document.querySelectorAll('#files-table tr')]
    .some((row) => row.querySelector('th')?.textContent === key && row.textContent.includes('records deleted')),
  config.deletedList,
  { timeout: TIMEOUT });
  const deletedText = await deletedRow.textContent();
  check('the files view shows a deleted list of users with its group and count',
    /DELETED/.test(deletedText) && deletedText.includes('(group)') && deletedText.includes('1 records deleted'),
    deletedText);

  const tables = await page.evaluate(() => [...document.querySelectorAll('table')].map((table) =>
    Boolean(table.caption?.textContent.trim()) && table.querySelectorAll('thead th[scope="col"]').length > 0));
  check('every table has a caption and column headers', tables.length > 0 && tables.every(Boolean), JSON.stringify(tables));
  check('no console errors', consoleErrors.length === 0, consoleErrors.join('\n'));
  ok = true;
} catch (error) {
  failure = error.stack ?? String(error);
} finally {
  await browser?.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify({ ok, checks, consoleErrors, failure }));
process.exit(ok ? 0 : 1);
