import { strict as assert } from 'node:assert';
import { parseCli } from '../../../src/cli/args';
import { UsageError } from '../../../src/cli/usageError';

describe('podscope command line', () => {
  it('reads every diagnose flag, repeated snapshots included', () => {
    assert.deepEqual(
      parseCli([
        'diagnose',
        'k8s/',
        'app.yaml',
        '--snapshot',
        'a.json',
        '--snapshot',
        'b.yaml',
        '-n',
        'shop',
        '--format',
        'json',
        '--fail-on',
        'warning',
      ]),
      {
        command: 'diagnose',
        paths: ['k8s/', 'app.yaml'],
        snapshots: ['a.json', 'b.yaml'],
        namespace: 'shop',
        format: 'json',
        failOn: 'warning',
      },
    );
  });

  it('diagnoses the current folder as text, failing on errors, by default', () => {
    assert.deepEqual(parseCli(['diagnose']), {
      command: 'diagnose',
      paths: ['.'],
      snapshots: [],
      format: 'text',
      failOn: 'error',
    });
  });

  const bad: [string[], RegExp][] = [
    [['diagnose', '--format', 'xml'], /--format must be one of text, json/],
    [['diagnose', '--fail-on', 'fatal'], /--fail-on must be one of error, warning, none/],
    [['diagnose', '--bogus'], /bogus/],
    [['diagnose', '--snapshot', 's.json', '--context', 'prod'], /cannot be combined/],
    [['demo', '--port', 'http'], /--port must be a whole number/],
    [['demo', '--speed', '0'], /--speed must be a positive number/],
    [['deploy'], /unknown command "deploy"/],
  ];
  for (const [argv, message] of bad) {
    it(`rejects ${argv.join(' ')} with a usage error`, () => {
      assert.throws(
        () => parseCli(argv),
        (e: unknown) => e instanceof UsageError && message.test(e.message),
      );
    });
  }

  it('reads the demo flags', () => {
    assert.deepEqual(
      parseCli(['demo', '--port', '6443', '--speed', '10', '--pods', '10000', '--kubeconfig-out', '/tmp/k']),
      {
        command: 'demo',
        port: 6443,
        speed: 10,
        pods: 10000,
        kubeconfigOut: '/tmp/k',
      },
    );
  });

  it('reads --pods-per-namespace (the tree bench puts 5,000 pods in one namespace)', () => {
    assert.deepEqual(parseCli(['demo', '--pods', '5000', '--pods-per-namespace', '5000']), {
      command: 'demo',
      speed: 1,
      pods: 5000,
      podsPerNamespace: 5000,
    });
    assert.throws(() => parseCli(['demo', '--pods-per-namespace', '0']), /--pods-per-namespace/);
  });
});
