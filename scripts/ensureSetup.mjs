// Preflight of `npm test` and `npm run demo`, so that a fresh clone needs nothing but those two
// commands. It installs what is missing: `npm ci` when node_modules is absent or older than
// package-lock.json, and the Debian packages the real VS Code needs (shared docs real-vscode.md).
// It runs before anything loads a dependency, so it uses Node's built-ins only.
//
//   node scripts/ensureSetup.mjs            # both (the npm scripts)
//   node scripts/ensureSetup.mjs --system   # Debian packages only (.ci/run, which runs npm ci itself)
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { isProvisioned } from '../test/runner/provision.mjs';

const repoRoot = resolve(import.meta.dirname, '..');

/**
 * @typedef {object} Probe  what the machine has; tests pass a fake
 * @property {(path: string) => boolean} exists
 * @property {(command: string) => boolean} onPath
 */

/**
 * The Debian packages, each with how to tell it is there. `build` marks those needed only while
 * code-server is being installed: its native modules (kerberos, spdlog, sqlite3) are compiled by
 * node-gyp, and kerberos against krb5's headers. Chromium is needed on every run.
 * @type {{ name: string, build: boolean, present: (probe: Probe) => boolean }[]}
 */
export const SYSTEM_PACKAGES = [
  { name: 'chromium', build: false, present: (p) => p.exists('/usr/bin/chromium') },
  {
    name: 'libkrb5-dev',
    build: true,
    present: (p) => p.exists('/usr/include/krb5.h') || p.exists('/usr/include/krb5/krb5.h'),
  },
  { name: 'make', build: true, present: (p) => p.onPath('make') },
  { name: 'g++', build: true, present: (p) => p.onPath('g++') },
  { name: 'python3', build: true, present: (p) => p.onPath('python3') },
];

/**
 * The packages to install. The build toolchain counts only while VS Code is not yet provisioned,
 * so that a machine which already has it is never asked for sudo for headers it no longer needs.
 * @param {Probe} probe
 * @param {{ provisioned: boolean }} state
 * @returns {string[]}
 */
export function missingPackages(probe, { provisioned }) {
  return SYSTEM_PACKAGES.filter((p) => !(provisioned && p.build) && !p.present(probe)).map((p) => p.name);
}

/**
 * Why `npm ci` must run, or undefined when node_modules is current. npm rewrites
 * node_modules/.package-lock.json at the end of every install, so its time is when node_modules
 * was last made; a missing one means an install that never finished.
 * @param {{ nodeModules?: number, installed?: number, lockfile: number }} mtimes  ms, undefined when absent
 * @returns {string | undefined}
 */
export function npmCiReason({ nodeModules, installed, lockfile }) {
  if (nodeModules === undefined) return 'node_modules is missing';
  if (installed === undefined) return 'node_modules is incomplete (no node_modules/.package-lock.json)';
  if (lockfile > installed) return 'package-lock.json is newer than node_modules';
  return undefined;
}

/**
 * The commands that install `missing`, as argument arrays: through sudo unless we are root,
 * and an explanation instead when neither root nor sudo nor apt-get is available.
 * @param {string[]} missing
 * @param {{ root: boolean, sudo: boolean, aptGet: boolean }} machine
 * @returns {{ commands: string[][] } | { error: string }}
 */
export function aptCommands(missing, { root, sudo, aptGet }) {
  const packages = missing.join(' ');
  if (!aptGet)
    return { error: `Missing system packages: ${packages}. Install them with your package manager.` };
  if (!root && !sudo)
    return {
      error: `Missing system packages: ${packages}. As root, run: apt-get update && apt-get install -y ${packages}`,
    };
  // sudo resets the environment, so the non-interactive frontend goes through env(1).
  const prefix = root ? ['env'] : ['sudo', 'env'];
  return {
    commands: [
      [...prefix, 'apt-get', 'update'],
      [
        ...prefix,
        'DEBIAN_FRONTEND=noninteractive',
        'apt-get',
        'install',
        '-y',
        '--no-install-recommends',
        ...missing,
      ],
    ],
  };
}

/** @type {Probe} */
export const machineProbe = {
  exists: (path) => existsSync(path),
  onPath: (command) =>
    (process.env.PATH ?? '').split(delimiter).some((dir) => {
      try {
        accessSync(join(dir, command), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    }),
};

function mtime(path) {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return undefined;
  }
}

const say = (line) => process.stdout.write(`[setup] ${line}\n`);

/** Runs argv with the terminal attached; returns the exit status (or the spawn error's text). */
function run(argv) {
  const result = spawnSync(argv[0], argv.slice(1), { cwd: repoRoot, stdio: 'inherit' });
  return result.error ? result.error.message : result.status;
}

function ensureNodeModules() {
  const reason = npmCiReason({
    nodeModules: mtime(join(repoRoot, 'node_modules')),
    installed: mtime(join(repoRoot, 'node_modules', '.package-lock.json')),
    lockfile: mtime(join(repoRoot, 'package-lock.json')) ?? 0,
  });
  if (reason === undefined) return true;
  say(`${reason}: running npm ci (about a minute)`);
  // The npm that started us, when there is one; `npm` on PATH otherwise.
  const npm = process.env.npm_execpath?.endsWith('.js')
    ? [process.execPath, process.env.npm_execpath]
    : ['npm'];
  const status = run([...npm, 'ci', '--no-audit', '--no-fund']);
  if (status !== 0) say(`npm ci failed (${status})`);
  return status === 0;
}

function ensureSystemPackages({ quiet }) {
  const missing = missingPackages(machineProbe, { provisioned: isProvisioned() });
  if (missing.length === 0) {
    if (!quiet) say('system packages present');
    return true;
  }
  const root = process.getuid?.() === 0;
  const plan = aptCommands(missing, {
    root,
    sudo: machineProbe.onPath('sudo'),
    aptGet: machineProbe.onPath('apt-get'),
  });
  if ('error' in plan) {
    say(plan.error);
    return false;
  }
  say(
    `The tests and the demo run a real VS Code in headless Chromium; installing ${missing.join(', ')} ` +
      `with ${root ? '' : 'sudo '}apt-get${root ? '' : ' (sudo may ask for your password)'}.`,
  );
  for (const argv of plan.commands) {
    const status = run(argv);
    if (status !== 0) {
      say(`${argv.join(' ')} failed (${status})`);
      return false;
    }
  }
  return true;
}

function main(argv) {
  const systemOnly = argv.includes('--system');
  const ok = (systemOnly || ensureNodeModules()) && ensureSystemPackages({ quiet: !systemOnly });
  process.exitCode = ok ? 0 : 1;
}

if (process.argv[1] === import.meta.filename) main(process.argv.slice(2));
