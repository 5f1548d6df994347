import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  explainExit,
  exitSignal,
  isOomKilled,
  signalName,
  type ExitCategory,
} from '../../../src/analysis/exitCodes';
import type { ContainerStateTerminated, Pod } from '../../../src/kube/types';

const CATALOG = join(__dirname, '../../fixtures/catalog');

describe('explainExit', () => {
  const cases: {
    terminated: ContainerStateTerminated;
    category: ExitCategory;
    signal?: string;
    says: RegExp;
  }[] = [
    {
      terminated: { exitCode: 0, reason: 'Completed' },
      category: 'success',
      says: /successfully.*CrashLoopBackOff/,
    },
    { terminated: { exitCode: 1, reason: 'Error' }, category: 'error', says: /general error/ },
    { terminated: { exitCode: 2, reason: 'Error' }, category: 'error', says: /usage/ },
    { terminated: { exitCode: 126, reason: 'Error' }, category: 'start-failure', says: /not executable/ },
    {
      terminated: { exitCode: 127, reason: 'Error' },
      category: 'start-failure',
      says: /could not find the command/,
    },
    {
      terminated: { exitCode: 128, reason: 'StartError' },
      category: 'start-failure',
      says: /could not start/,
    },
    { terminated: { exitCode: 128 }, category: 'start-failure', says: /could not start/ },
    {
      terminated: { exitCode: 130, reason: 'Error' },
      category: 'signal',
      signal: 'SIGINT',
      says: /Interrupted/,
    },
    {
      terminated: { exitCode: 134, reason: 'Error' },
      category: 'signal',
      signal: 'SIGABRT',
      says: /Aborted/,
    },
    {
      terminated: { exitCode: 137, reason: 'OOMKilled' },
      category: 'oom',
      signal: 'SIGKILL',
      says: /OOM killer.*limits\.memory/,
    },
    {
      terminated: { exitCode: 137, reason: 'Error' },
      category: 'signal',
      signal: 'SIGKILL',
      says: /not by the OOM killer.*probe/,
    },
    {
      terminated: { exitCode: 139, reason: 'Error' },
      category: 'signal',
      signal: 'SIGSEGV',
      says: /Segmentation fault/,
    },
    {
      terminated: { exitCode: 143, reason: 'Error' },
      category: 'signal',
      signal: 'SIGTERM',
      says: /SIGTERM/,
    },
    { terminated: { exitCode: 129 }, category: 'signal', signal: 'SIGHUP', says: /SIGHUP.*128 \+ 1/ },
    { terminated: { exitCode: 159 }, category: 'signal', signal: 'SIGSYS', says: /SIGSYS/ },
    { terminated: { exitCode: 162 }, category: 'signal', signal: 'SIGRTMIN', says: /SIGRTMIN/ },
    { terminated: { exitCode: 255, reason: 'Error' }, category: 'error', says: /exec format error/ },
    { terminated: { exitCode: 255, reason: 'Unknown' }, category: 'unknown', says: /lost the exit status/ },
    {
      terminated: { exitCode: 137, reason: 'ContainerStatusUnknown' },
      category: 'unknown',
      signal: 'SIGKILL',
      says: /could not be located/,
    },
    {
      terminated: { exitCode: 127, reason: 'ContainerCannotRun' },
      category: 'start-failure',
      says: /Docker/,
    },
    { terminated: { exitCode: 3, reason: 'Error' }, category: 'error', says: /code 3/ },
    // A child process OOM-killed while the main process exits on its own (catalog §6.2).
    { terminated: { exitCode: 1, reason: 'OOMKilled' }, category: 'oom', says: /OOM-killed.*code 1/ },
    // A runtime that fills `signal` (none of the CRI ones do) is believed.
    { terminated: { exitCode: 0, signal: 15 }, category: 'success', signal: 'SIGTERM', says: /successfully/ },
  ];
  for (const c of cases) {
    const label = `${c.terminated.exitCode}${c.terminated.reason ? ` ${c.terminated.reason}` : ''}`;
    it(`${label} → ${c.category}${c.signal ? ` ${c.signal}` : ''}`, () => {
      const e = explainExit(c.terminated);
      assert.equal(e.code, c.terminated.exitCode);
      assert.equal(e.category, c.category);
      assert.equal(e.signal, c.signal);
      assert.match(e.meaning, c.says);
    });
  }

  it('explains every pod of the exit-code gallery (catalog 12)', () => {
    const doc = JSON.parse(readFileSync(join(CATALOG, '12-exit-code-gallery.json'), 'utf8')) as {
      items: Pod[];
    };
    const seen = doc.items.map((pod) => {
      const e = explainExit(pod.status!.containerStatuses![0]!.state!.terminated!);
      return `${e.code}:${e.category}:${e.signal ?? '-'}`;
    });
    assert.deepEqual(seen, [
      '0:success:-',
      '1:error:-',
      '126:start-failure:-',
      '127:start-failure:-',
      '134:signal:SIGABRT',
      '137:signal:SIGKILL',
      '139:signal:SIGSEGV',
      '143:signal:SIGTERM',
    ]);
  });

  it('tells OOMKilled from a plain 137 in catalog 11', () => {
    const doc = JSON.parse(readFileSync(join(CATALOG, '11-oomkilled-crashloop.json'), 'utf8')) as {
      pod: Pod;
    };
    const last = doc.pod.status!.containerStatuses![0]!.lastState!.terminated!;
    assert.equal(isOomKilled(last), true);
    assert.equal(explainExit(last).category, 'oom');
    assert.equal(isOomKilled({ exitCode: 137, reason: 'Error' }), false);
  });
});

describe('signalName / exitSignal', () => {
  const names: [number, string | undefined][] = [
    [1, 'SIGHUP'],
    [6, 'SIGABRT'],
    [9, 'SIGKILL'],
    [15, 'SIGTERM'],
    [31, 'SIGSYS'],
    [32, 'SIG32'],
    [34, 'SIGRTMIN'],
    [36, 'SIGRTMIN+2'],
    [64, 'SIGRTMAX'],
    [0, undefined],
    [65, undefined],
  ];
  for (const [n, name] of names) {
    it(`${n} → ${String(name)}`, () => assert.equal(signalName(n), name));
  }

  it('derives the signal from 129–192 only', () => {
    assert.equal(exitSignal({ exitCode: 137 }), 9);
    assert.equal(exitSignal({ exitCode: 128 }), undefined);
    assert.equal(exitSignal({ exitCode: 1 }), undefined);
    assert.equal(exitSignal({ exitCode: 255 }), undefined);
    assert.equal(exitSignal({ exitCode: 1, signal: 6 }), 6);
  });
});
