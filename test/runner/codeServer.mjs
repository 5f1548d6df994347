// Start and stop a real VS Code (code-server) and open its workbench in headless Chromium.
// Used by the extension-host test runner, the screenshots, and anything else that needs the
// workbench (a demo, a packaged-extension check).
//
//   const server = await startCodeServer();
//   const workbench = await openWorkbench(server, { folder, extensionDevelopmentPath, ... });
//   ... workbench.page is a Playwright page; workbench.exitCode resolves for test runs ...
//   await workbench.close();
//   await server.stop();
//
// code-server runs in its own session and process group (`detached: true` is setsid()), and stop()
// signals the whole group: killing PIDs one by one leaves an orphaned file watcher behind. Every
// started server is also stopped on SIGINT/SIGTERM/SIGHUP and, as a last resort, when Node exits.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { cacheDir, provision } from './provision.mjs';

const READY_TIMEOUT_MS = 90_000;

/**
 * User settings of every run: a plain workbench without the welcome page and chat, which add
 * nothing offline but log noise and clutter in screenshots. Callers can add or override.
 */
const QUIET_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'workbench.tips.enabled': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
};
const STOP_GRACE_MS = 5_000;
const CLI_TIMEOUT_MS = 120_000;

/** Chromium flags for an offline, headless, throwaway browser (Playwright adds --headless). */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** @type {Set<CodeServer>} servers not yet stopped, for the signal and exit handlers. */
const running = new Set();

/**
 * @typedef {object} CodeServer
 * @property {number|undefined} pid  also the process group id
 * @property {number} port
 * @property {string} origin        e.g. http://127.0.0.1:34567
 * @property {string} runDir        per-run folder: user data, extensions, XDG dirs, TMPDIR, logs
 * @property {string} userDataDir
 * @property {string} extensionsDir
 * @property {string} logFile       code-server's own stdout and stderr
 * @property {NodeJS.ProcessEnv} env   the environment code-server (and so the extension host) got
 * @property {Promise<number|string>} exited  resolves with the exit code (or signal, or spawn error)
 *           when code-server ends
 * @property {(options?: {keepRunDir?: boolean}) => Promise<void>} stop
 */

/**
 * Starts code-server on 127.0.0.1 on a free port and resolves once it listens.
 * @param {object} [options]
 * @param {NodeJS.ProcessEnv} [options.env]  extra environment for code-server and its extension host
 * @param {boolean} [options.workspaceTrust] false (default) passes --disable-workspace-trust
 * @param {Record<string, unknown>} [options.settings] user settings, on top of QUIET_SETTINGS
 * @param {string[]} [options.args]          extra code-server arguments
 * @param {boolean} [options.testDriver]      false: no smoke-test driver, so no development mode or
 *                                            test payload, but notification toasts show (true by default)
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer(options = {}) {
  const { node, codeServer } = await provision();
  const env = runEnvironment(options.env);
  const runDir = env.PODSCOPE_RUN_DIR;
  const userDataDir = join(runDir, 'user-data');
  const extensionsDir = join(runDir, 'extensions');
  const logFile = join(runDir, 'code-server.log');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(
    join(userDataDir, 'User', 'settings.json'),
    JSON.stringify({ ...QUIET_SETTINGS, ...options.settings }, null, 2),
  );
  const port = await freePort();
  const argv = [
    codeServer,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    // Without it the workbench silently ignores the test payload in the URL; with it, it shows no
    // notification toasts (they wait in the Notifications center).
    ...(options.testDriver === false ? [] : ['--vscode-option', 'enable-smoke-test-driver']),
    ...(options.args ?? []),
  ];
  const child = spawn(node, argv, { cwd: runDir, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const log = createWriteStream(logFile);
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal));
    child.once('error', (error) => resolve(error.message)); // e.g. the Node 24 binary is gone
  });

  /** @type {CodeServer} */
  const server = {
    pid: child.pid,
    port,
    origin: `http://127.0.0.1:${port}`,
    runDir,
    userDataDir,
    extensionsDir,
    logFile,
    env,
    exited,
    stop: async ({ keepRunDir = false } = {}) => {
      running.delete(server);
      await killGroup(child.pid, exited);
      log.end();
      if (!keepRunDir) rmSync(runDir, { recursive: true, force: true });
    },
  };
  running.add(server);
  installCleanupHandlers();

  try {
    await waitForListening(child, exited);
  } catch (error) {
    await server.stop({ keepRunDir: true });
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${tail(logFile)}`);
  }
  return server;
}

/**
 * Runs a one-shot code-server CLI command (e.g. --install-extension) against the same per-run dirs.
 * @param {CodeServer} server
 * @param {string[]} args
 * @returns {Promise<string>} the combined output
 */
export async function codeServerCli(server, args) {
  const { node, codeServer } = await provision();
  const argv = [
    codeServer,
    '--user-data-dir',
    server.userDataDir,
    '--extensions-dir',
    server.extensionsDir,
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(node, argv, {
      env: server.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: CLI_TIMEOUT_MS,
      killSignal: 'SIGKILL',
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code, signal) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`code-server ${args.join(' ')} exited ${code ?? signal}:\n${output}`)),
    );
  });
}

/**
 * @typedef {object} Workbench
 * @property {import('playwright-core').Page} page
 * @property {import('playwright-core').BrowserContext} context
 * @property {Promise<number>} exitCode  for test runs: the code passed to codeAutomationExit
 * @property {() => Promise<void>} close
 */

/**
 * The workbench URL for a folder and, optionally, Podscope in development mode or a test run:
 * what a browser opens (tests, screenshots, `npm run demo`).
 * @param {CodeServer} server
 * @param {{folder?: string, extensionDevelopmentPath?: string, extensionTestsPath?: string,
 *          extensionEnvironment?: Record<string,string>}} options
 * @returns {string}
 */
export function workbenchUrl(server, options) {
  const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
  /** @type {[string, string][]} */
  const payload = [];
  if (options.extensionDevelopmentPath)
    payload.push(['extensionDevelopmentPath', remote(options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remote(options.extensionTestsPath)]);
  if (options.extensionEnvironment)
    payload.push(['extensionEnvironment', JSON.stringify(options.extensionEnvironment)]);
  const query = new URLSearchParams();
  if (options.folder) query.set('folder', options.folder);
  if (payload.length > 0) query.set('payload', JSON.stringify(payload));
  return `${server.origin}/?${query.toString()}`;
}

/**
 * Opens the workbench in headless Chromium.
 * @param {CodeServer} server
 * @param {object} options
 * @param {string} [options.folder]                    absolute path of the workspace folder
 * @param {string} [options.extensionDevelopmentPath]  absolute path: load this extension in dev mode
 * @param {string} [options.extensionTestsPath]        absolute path of a compiled test index
 * @param {Record<string,string>} [options.extensionEnvironment]  env for the extension host
 * @param {(type: string, args: unknown[]) => void} [options.onLog]  extension-host output
 * @param {{width: number, height: number}} [options.viewport]
 * @returns {Promise<Workbench>}
 */
export async function openWorkbench(server, options) {
  const context = await chromium.launchPersistentContext(join(server.runDir, 'chromium-profile'), {
    executablePath: (await provision()).chromium,
    headless: true,
    args: CHROMIUM_ARGS,
    env: server.env,
    viewport: options.viewport ?? { width: 1280, height: 800 },
  });
  const page = context.pages()[0] ?? (await context.newPage());

  /** @type {(code: number) => void} */
  let resolveExit = () => {};
  const exitCode = new Promise((resolve) => (resolveExit = resolve));
  // The workbench calls these when started with enable-smoke-test-driver and a test payload.
  await page.exposeFunction('codeAutomationLog', (type, args) => options.onLog?.(String(type), args));
  await page.exposeFunction('codeAutomationExit', (code) => resolveExit(Number(code)));
  try {
    await page.goto(workbenchUrl(server, options));
  } catch (error) {
    await context.close();
    throw error;
  }
  // Closing a wedged browser must not hang the caller either.
  const close = () =>
    Promise.race([context.close(), new Promise((resolve) => setTimeout(resolve, STOP_GRACE_MS).unref())]);
  return { page, context, exitCode, close };
}

/** Stops every server still running (used on signals and errors). */
export async function stopAll() {
  await Promise.all([...running].map((server) => server.stop({ keepRunDir: true })));
}

/**
 * The environment of one run: XDG dirs and TMPDIR inside a fresh run folder, so that neither
 * code-server nor Chromium writes into the home directory.
 */
function runEnvironment(extra = {}) {
  mkdirSync(join(cacheDir, 'runs'), { recursive: true });
  const runDir = mkdtempSync(join(cacheDir, 'runs', 'run-'));
  const dirs = {
    XDG_CONFIG_HOME: join(runDir, 'xdg-config'),
    XDG_DATA_HOME: join(runDir, 'xdg-data'),
    XDG_CACHE_HOME: join(runDir, 'xdg-cache'),
    XDG_STATE_HOME: join(runDir, 'xdg-state'),
    TMPDIR: join(runDir, 'tmp'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  // Variables of an enclosing VS Code (when run from its terminal) would make code-server talk to it.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('VSCODE_') && name !== 'ELECTRON_RUN_AS_NODE',
    ),
  );
  return { ...inherited, ...dirs, PODSCOPE_RUN_DIR: runDir, ...extra };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Resolves when code-server logs that it listens; rejects if it exits or takes too long. */
function waitForListening(child, exited) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`code-server did not listen within ${READY_TIMEOUT_MS / 1000} s`)),
      READY_TIMEOUT_MS,
    );
    const onData = (chunk) => {
      seen = (seen + chunk).slice(-4096);
      if (/HTTP server listening on/.test(seen)) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`code-server exited (${code}) before listening`));
    });
  });
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false; // ESRCH: no process left in the group
  }
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: the group is already gone
  }
}

/** Waits until `condition()` holds, checking every 100 ms, for at most `ms`. */
async function waitUntil(condition, ms) {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return condition();
}

/** SIGTERM to the whole group, then SIGKILL to whatever is left after a grace period. */
async function killGroup(pgid, exited) {
  if (pgid === undefined) return;
  signalGroup(pgid, 'SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, STOP_GRACE_MS).unref())]);
  // Children that ignored SIGTERM or outlived the leader (the file watcher) are still in the group.
  if (!(await waitUntil(() => !groupAlive(pgid), 1_000))) {
    signalGroup(pgid, 'SIGKILL');
    await waitUntil(() => !groupAlive(pgid), STOP_GRACE_MS);
  }
}

let handlersInstalled = false;
function installCleanupHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ]) {
    process.once(signal, () => {
      process.stderr.write(`\n${signal}: stopping code-server\n`);
      void stopAll().finally(() => process.exit(code));
    });
  }
  // Last resort (uncaught error, process.exit without stop): synchronous kill of every group.
  process.on('exit', () => {
    for (const server of running) signalGroup(server.pid, 'SIGKILL');
  });
}

/** The last lines of a log file, for error messages. */
export function tail(file, lines = 30) {
  try {
    const text = readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    return `--- last lines of ${file} ---\n${text}`;
  } catch {
    return `(no log at ${file})`;
  }
}
