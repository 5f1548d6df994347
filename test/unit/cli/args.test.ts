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
    [['diagnose', '--bogus'], /^unknown option --bogus$/],
    [['diagnose', '-x'], /^unknown option -x$/],
    [['diagnose', '--toString'], /^unknown option --toString$/],
    [['diagnose', '--format'], /^--format needs a value$/],
    [['diagnose', '--format', '--fail-on', 'none'], /^--format needs a value$/],
    [['diagnose', '--request-timeout', 'soon'], /--request-timeout must be a duration such as 10s/],
    [['diagnose', '--request-timeout', '0'], /--request-timeout must be longer than 0/],
    [['diagnose', '--request-timeout', '2d'], /--request-timeout must be a duration/],
    [['diagnose', '--request-timeout', '600h'], /--request-timeout must be at most 24 days/],
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

  it('shows the usage for a malformed command line, not for a bad value', () => {
    const usageShown = (argv: string[]): boolean => {
      try {
        parseCli(argv);
      } catch (e) {
        if (e instanceof UsageError) return e.showUsage;
      }
      throw new Error(`${argv.join(' ')} was accepted`);
    };
    assert.equal(usageShown(['diagnose', '--bogus']), true);
    assert.equal(usageShown(['demo', '--port']), true);
    assert.equal(usageShown(['diagnose', '--format', 'xml']), false);
  });

  it('reads --request-timeout as kubectl does, into milliseconds', () => {
    const timeout = (value: string): number | undefined => {
      const options = parseCli(['diagnose', '--request-timeout', value]);
      return options.command === 'diagnose' ? options.requestTimeoutMs : undefined;
    };
    assert.equal(timeout('10s'), 10_000);
    assert.equal(timeout('500ms'), 500);
    assert.equal(timeout('2m'), 120_000);
    assert.equal(timeout('45'), 45_000);
    // Below a millisecond rounds up, so the timer never fires at once.
    assert.equal(timeout('10us'), 1);
    assert.deepEqual(parseCli(['diagnose', 'k8s', '--request-timeout=1m30s']), {
      command: 'diagnose',
      paths: ['k8s'],
      snapshots: [],
      format: 'text',
      failOn: 'error',
      requestTimeoutMs: 90_000,
    });
  });

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
