// Runs an extension-host suite inside a real VS Code: code-server on loopback, its workbench in
// headless Chromium, and VS Code's own test mechanism (the smoke-test driver runs
// `extensionTestsPath` and reports through window.codeAutomationExit).
//
//   node test/runner/runCodeServerTests.mjs [--restricted] [--env '{"KUBECONFIG":"/path"}'] [--grep text]
//
// test/integration runs in a trusted window (workspace trust disabled). With --restricted,
// test/integration-restricted runs in Restricted Mode: workspace trust on, a fresh copy of the
// example workspace that nobody trusted, and no startup prompt. Its last test opens the Workspace
// Trust editor; the runner then clicks its "Trust" button, as a person would.
//
// Environment: PODSCOPE_TEST_ENV (JSON object, same as --env) is passed to the extension host;
// PODSCOPE_VSCODE_TIMEOUT_MS bounds the whole run (default 300000). Expects `npm run build` done.
import { appendFileSync, cpSync, existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, parseArgs } from 'node:util';
import { buildTests } from './buildTests.mjs';
import { openWorkbench, startCodeServer, tail } from './codeServer.mjs';
import { repoRoot } from './provision.mjs';

export const exampleWorkspace = join(repoRoot, 'test', 'fixtures', 'workspace');

/**
 * @typedef {object} ExtensionTestResult
 * @property {number} code      the suite's exit code (0 = passed)
 * @property {{passed: number, failed: number, pending: number} | undefined} counts
 *           undefined when the suite never reported (crash, timeout)
 */

/**
 * Builds the suite, runs it in code-server and always stops code-server afterwards.
 * @param {object} [options]
 * @param {Record<string,string>} [options.env]  extension-host environment (e.g. KUBECONFIG)
 * @param {string} [options.workspace]           folder to open (default: the example workspace)
 * @param {number} [options.timeoutMs]
 * @param {string} [options.grep]                run only tests whose title matches
 * @param {boolean} [options.restricted]         the Restricted Mode suite in an untrusted window
 * @returns {Promise<ExtensionTestResult>}
 */
export async function runExtensionTests(options = {}) {
  if (!existsSync(join(repoRoot, 'dist', 'extension.js')))
    throw new Error('dist/extension.js is missing: run `npm run build` first');
  const testsPath = await buildTests(options.restricted ? 'integration-restricted' : 'integration');
  const timeoutMs = options.timeoutMs ?? Number(process.env.PODSCOPE_VSCODE_TIMEOUT_MS ?? 300_000);

  const server = await startCodeServer(
    options.restricted
      ? // A modal trust prompt at startup would answer the question the suite asks itself.
        { workspaceTrust: true, settings: { 'security.workspace.trust.startupPrompt': 'never' } }
      : {},
  );
  let folder = options.workspace ?? exampleWorkspace;
  if (options.restricted) {
    // A folder of this run's own: the user data is fresh too, so neither it nor a parent is trusted.
    folder = join(server.runDir, 'untrusted-workspace');
    cpSync(options.workspace ?? exampleWorkspace, folder, { recursive: true });
  }
  const resultsFile = join(server.runDir, 'results.json');
  let code = 1;
  let timer;
  let workbench;
  try {
    workbench = await openWorkbench(server, {
      folder,
      extensionDevelopmentPath: repoRoot,
      extensionTestsPath: testsPath,
      extensionEnvironment: {
        ...options.env,
        PODSCOPE_TEST_RESULTS: resultsFile,
        ...(options.grep ? { PODSCOPE_TEST_GREP: options.grep } : {}),
      },
      onLog: hostLogPrinter(join(server.runDir, 'workbench.log')),
    });
    workbench.page.on('crash', () => process.stderr.write('[runner] the workbench page crashed\n'));
    if (options.restricted) trustWhenAsked(workbench.page);
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no result within ${timeoutMs / 1000} s`)), timeoutMs);
    });
    const serverDied = server.exited.then((exit) => {
      throw new Error(`code-server exited (${exit}) during the run`);
    });
    code = await Promise.race([workbench.exitCode, timeout, serverDied]);
  } catch (error) {
    process.stderr.write(
      `[runner] ${error instanceof Error ? error.message : String(error)}\n${tail(server.logFile)}\n`,
    );
  } finally {
    clearTimeout(timer);
    // An open browser keeps Node alive: close it on every path (a timeout too).
    await workbench?.close();
  }
  const counts = readCounts(resultsFile);
  // A failed run keeps its folder (logs, user data) for a look; a passing one is removed.
  const keepRunDir = code !== 0;
  await server.stop({ keepRunDir });
  if (keepRunDir) process.stderr.write(`[runner] run folder kept: ${server.runDir}\n`);
  return { code, counts };
}

/**
 * Clicks "Trust" once the Workspace Trust editor shows it: the suite opens that editor
 * (workbench.trust.manage, what Podscope's Restricted Mode rows run) when it wants trust granted,
 * and extensions have no API that grants it.
 * @param {import('playwright-core').Page} page
 */
function trustWhenAsked(page) {
  page
    .locator('.workspace-trust-editor')
    .getByRole('button', { name: 'Trust', exact: true })
    .click({ timeout: 0 })
    .then(
      () => process.stdout.write('[runner] clicked "Trust" in the Workspace Trust editor\n'),
      () => {}, // the page closed first: the suite never asked
    );
}

function readCounts(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The workbench forwards the console of both the extension host and the workbench itself, all as
 * (console method, printf-style args). Everything goes to the run's workbench.log; the console gets
 * everything but the workbench's known offline chatter (see "Seen, harmless" in real-vscode.md),
 * unless PODSCOPE_VERBOSE=1.
 */
const OFFLINE_NOISE = [
  /^\[(AgentHost|AgentHost:remote|ChatModelSelection|AccountPolicyGate|reconnection-grace-time|Service Worker)\]/,
  /^(Creating a socket|Resolving connection token|Resolved connection token|Updating additional builtin)/,
  /getaddrinfo ENOTFOUND/,
  /Timed out waiting for authentication provider/,
];
const verbose = process.env.PODSCOPE_VERBOSE === '1';

function hostLogPrinter(logFile) {
  return (type, args) => {
    const text = format(...(Array.isArray(args) ? args : [args]));
    appendFileSync(logFile, `[${type}] ${text}\n`);
    if (!verbose && OFFLINE_NOISE.some((pattern) => pattern.test(text))) return;
    (type === 'error' || type === 'warn' ? process.stderr : process.stdout).write(`${text}\n`);
  };
}

if (process.argv[1] === import.meta.filename) {
  const { values } = parseArgs({
    options: { env: { type: 'string' }, grep: { type: 'string' }, restricted: { type: 'boolean' } },
  });
  const started = Date.now();
  try {
    const envJson = values.env ?? process.env.PODSCOPE_TEST_ENV;
    const { code, counts } = await runExtensionTests({
      env: envJson ? JSON.parse(envJson) : {},
      grep: values.grep,
      restricted: values.restricted,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const summary = counts ? `${counts.passed} passed, ${counts.failed} failed` : 'no result reported';
    const suite = values.restricted ? 'extension-host (Restricted Mode)' : 'extension-host';
    process.stdout.write(`${suite}: ${summary} (exit ${code}, ${seconds} s)\n`);
    process.exitCode = code === 0 && counts ? 0 : 1;
  } catch (error) {
    process.stderr.write(`[runner] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
  process.exit(); // with process.exitCode; nothing left open may keep the runner alive
}
