// Command arguments from tree nodes, keybindings and other extensions are checked, not trusted.
import * as assert from 'node:assert/strict';
import { parsePodTarget, parseWorkloadTarget } from '../../../src/kube/kubeTarget';

describe('parsePodTarget', () => {
  it('keeps what a tree node carries', () => {
    const node = {
      context: 'c',
      kubeconfig: '/k',
      namespace: 'demo',
      pod: 'web-1',
      containers: ['app', 'sidecar'],
    };
    assert.deepEqual(parsePodTarget(node), node);
  });

  it('reads empty strings as absent', () => {
    assert.deepEqual(parsePodTarget({ namespace: 'demo', pod: 'web-1', container: '', context: '' }), {
      namespace: 'demo',
      pod: 'web-1',
    });
  });

  const bad: [unknown, string][] = [
    [undefined, 'no pod was given'],
    [{ namespace: 'demo' }, 'the argument has no `pod`'],
    [{ namespace: 'demo', pod: '--all' }, '"--all" is not a pod name'],
    [{ namespace: 'demo', pod: 7 }, 'number is not a pod name'],
    [{ namespace: '-n', pod: 'p' }, '"-n" is not a namespace name'],
    [{ namespace: 'demo', pod: 'p', container: 'a b' }, '"a b" is not a container name'],
    [{ namespace: 'demo', pod: 'p', containers: 'app' }, '`containers` must be a list of container names'],
    [{ namespace: 'demo', pod: 'p', context: 3 }, '`context` must be a string'],
  ];
  for (const [arg, reason] of bad)
    it(`refuses ${JSON.stringify(arg)}`, () => assert.equal(parsePodTarget(arg), reason));
});

describe('parseWorkloadTarget', () => {
  it('keeps kind, name and selector', () => {
    const node = { namespace: 'demo', kind: 'Deployment', name: 'apache', selector: 'app=apache' };
    assert.deepEqual(parseWorkloadTarget(node), node);
  });

  it('refuses a pod argument and a lowercase kind', () => {
    assert.equal(
      parseWorkloadTarget({ namespace: 'demo', pod: 'p' }),
      'the argument has no `kind` and `name`',
    );
    assert.equal(
      parseWorkloadTarget({ namespace: 'demo', kind: 'deploy', name: 'a' }),
      '"deploy" is not a kind',
    );
  });
});
