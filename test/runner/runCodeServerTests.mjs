// Runs the extension-host suite (test/integration) inside a real VS Code: code-server on loopback,
// its workbench in headless Chromium, and VS Code's own test mechanism (the smoke-test driver runs
// `extensionTestsPath` and reports through window.codeAutomationExit).
//
//   node test/runner/runCodeServerTests.mjs [--env '{"KUBECONFIG":"/path"}'] [--grep text]
//
// Environment: PODSCOPE_TEST_ENV (JSON object, same as --env) is passed to the extension host;
// PODSCOPE_VSCODE_TIMEOUT_MS bounds the whole run (default 300000). Expects `npm run build` done.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
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
 * @returns {Promise<ExtensionTestResult>}
 */
export async function runExtensionTests(options = {}) {
  if (!existsSync(join(repoRoot, 'dist', 'extension.js')))
    throw new Error('dist/extension.js is missing: run `npm run build` first');
  const testsPath = await buildTests();
  const timeoutMs = options.timeoutMs ?? Number(process.env.PODSCOPE_VSCODE_TIMEOUT_MS ?? 300_000);

  const server = await startCodeServer();
  const resultsFile = join(server.runDir, 'results.json');
  let code = 1;
  let timer;
  let workbench;
  try {
    workbench = await openWorkbench(server, {
      folder: options.workspace ?? exampleWorkspace,
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
  const { values } = parseArgs({ options: { env: { type: 'string' }, grep: { type: 'string' } } });
  const started = Date.now();
  try {
    const envJson = values.env ?? process.env.PODSCOPE_TEST_ENV;
    const { code, counts } = await runExtensionTests({
      env: envJson ? JSON.parse(envJson) : {},
      grep: values.grep,
    });
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    const summary = counts ? `${counts.passed} passed, ${counts.failed} failed` : 'no result reported';
    process.stdout.write(`extension-host: ${summary} (exit ${code}, ${seconds} s)\n`);
    process.exitCode = code === 0 && counts ? 0 : 1;
  } catch (error) {
    process.stderr.write(`[runner] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
  process.exit(); // with process.exitCode; nothing left open may keep the runner alive
}
