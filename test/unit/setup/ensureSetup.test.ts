// The decisions of the first-run preflight (scripts/ensureSetup.mjs): what to install, and how.
import * as assert from 'node:assert/strict';
import type * as Setup from '../../../scripts/ensureSetup.mjs';

/** A machine that has exactly these files and commands. */
function machine(files: string[], commands: string[]): Setup.Probe {
  return { exists: (path) => files.includes(path), onPath: (command) => commands.includes(command) };
}

const EVERYTHING = machine(['/usr/bin/chromium', '/usr/include/krb5.h'], ['make', 'g++', 'python3']);

describe('ensureSetup (first-run preflight)', () => {
  let setup: typeof Setup;
  before(async () => {
    // Dynamic: the script is an ES module with top-level await in its import graph.
    setup = await import('../../../scripts/ensureSetup.mjs');
  });

  describe('missingPackages', () => {
    it('asks for nothing on a machine that has it all', () => {
      assert.deepEqual(setup.missingPackages(EVERYTHING, { provisioned: false }), []);
    });

    it('on a bare machine before VS Code is provisioned, wants chromium, krb5 headers and the node-gyp toolchain', () => {
      assert.deepEqual(setup.missingPackages(machine([], []), { provisioned: false }), [
        'chromium',
        'libkrb5-dev',
        'make',
        'g++',
        'python3',
      ]);
    });

    it('once VS Code is provisioned, wants only chromium: nothing is compiled any more', () => {
      assert.deepEqual(setup.missingPackages(machine([], []), { provisioned: true }), ['chromium']);
      assert.deepEqual(setup.missingPackages(machine(['/usr/bin/chromium'], []), { provisioned: true }), []);
    });

    it('accepts krb5.h in either of the places Debian puts it', () => {
      const nested = machine(['/usr/bin/chromium', '/usr/include/krb5/krb5.h'], ['make', 'g++', 'python3']);
      assert.deepEqual(setup.missingPackages(nested, { provisioned: false }), []);
    });

    it('names only what is absent', () => {
      const noCompiler = machine(['/usr/bin/chromium', '/usr/include/krb5.h'], ['make', 'python3']);
      assert.deepEqual(setup.missingPackages(noCompiler, { provisioned: false }), ['g++']);
    });
  });

  describe('npmCiReason', () => {
    it('runs npm ci when node_modules is missing', () => {
      assert.equal(setup.npmCiReason({ lockfile: 100 }), 'node_modules is missing');
    });

    it('runs npm ci when an install never finished (no hidden lockfile)', () => {
      assert.match(setup.npmCiReason({ nodeModules: 200, lockfile: 100 }) ?? '', /incomplete/);
    });

    it('runs npm ci when package-lock.json changed after the last install', () => {
      assert.equal(
        setup.npmCiReason({ nodeModules: 200, installed: 200, lockfile: 300 }),
        'package-lock.json is newer than node_modules',
      );
    });

    it('leaves a current node_modules alone, whatever the folder itself says', () => {
      assert.equal(setup.npmCiReason({ nodeModules: 50, installed: 200, lockfile: 200 }), undefined);
      assert.equal(setup.npmCiReason({ nodeModules: 300, installed: 300, lockfile: 100 }), undefined);
    });
  });

  describe('aptCommands', () => {
    it('as root: apt-get directly, non-interactive, only the missing packages', () => {
      assert.deepEqual(
        setup.aptCommands(['chromium', 'libkrb5-dev'], { root: true, sudo: false, aptGet: true }),
        {
          commands: [
            ['env', 'apt-get', 'update'],
            [
              'env',
              'DEBIAN_FRONTEND=noninteractive',
              'apt-get',
              'install',
              '-y',
              '--no-install-recommends',
              'chromium',
              'libkrb5-dev',
            ],
          ],
        },
      );
    });

    it('not root: every apt-get goes through sudo', () => {
      const plan = setup.aptCommands(['chromium'], { root: false, sudo: true, aptGet: true });
      assert.ok('commands' in plan);
      assert.deepEqual(
        plan.commands.map((argv) => argv.slice(0, 2)),
        [
          ['sudo', 'env'],
          ['sudo', 'env'],
        ],
      );
    });

    it('neither root nor sudo: says what to run as root instead of trying', () => {
      assert.deepEqual(setup.aptCommands(['chromium'], { root: false, sudo: false, aptGet: true }), {
        error:
          'Missing system packages: chromium. As root, run: apt-get update && apt-get install -y chromium',
      });
    });

    it('without apt-get: names the packages and runs nothing', () => {
      const plan = setup.aptCommands(['chromium', 'g++'], { root: true, sudo: true, aptGet: false });
      assert.ok('error' in plan && plan.error.includes('chromium g++'), JSON.stringify(plan));
    });
  });

  it('the machine probe finds commands on PATH and files on disk', () => {
    assert.equal(setup.machineProbe.onPath('node'), true);
    assert.equal(setup.machineProbe.onPath('no-such-command-podscope'), false);
    assert.equal(setup.machineProbe.exists(process.execPath), true);
  });
});
