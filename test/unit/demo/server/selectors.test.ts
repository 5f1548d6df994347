import { strict as assert } from 'node:assert';
import { StatusError } from '../../../../src/demo/apiserver/errors';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from '../../../../src/demo/apiserver/selectors';

describe('label selectors', () => {
  const labels = { app: 'web', tier: 'front', env: 'prod' };
  const cases: [string, boolean][] = [
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app!=db', true],
    ['env in (prod, staging)', true],
    ['env notin (prod)', false],
    ['missing notin (x)', true],
    ['tier', true],
    ['!tier', false],
    ['!missing', true],
    ['app=web,env in (prod),!legacy', true],
    ['app=web,tier=back', false],
  ];
  for (const [selector, expected] of cases) {
    it(`${selector || '(empty)'} → ${expected}`, () =>
      assert.equal(matchesLabels(parseLabelSelector(selector), labels), expected));
  }

  it('rejects garbage with a 400', () => {
    assert.throws(
      () => parseLabelSelector('app=(x'),
      (e: unknown) => e instanceof StatusError && e.code === 400,
    );
  });
});

describe('field selectors', () => {
  const pod = {
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'demo' },
    spec: { nodeName: 'w1' },
    status: { phase: 'Running' },
  };
  const event = {
    kind: 'Event',
    metadata: { name: 'e' },
    involvedObject: { kind: 'Pod', name: 'p' },
    reason: 'BackOff',
    type: 'Warning',
  };

  it('matches the common and per-kind fields', () => {
    assert.ok(matchesFields(parseFieldSelector('metadata.name=p,spec.nodeName=w1', 'Pod'), pod));
    assert.ok(matchesFields(parseFieldSelector('status.phase!=Pending', 'Pod'), pod));
    assert.ok(!matchesFields(parseFieldSelector('spec.nodeName=', 'Pod'), pod));
    assert.ok(
      matchesFields(
        parseFieldSelector(
          'involvedObject.name=p,involvedObject.kind=Pod,type=Warning,reason=BackOff',
          'Event',
        ),
        event,
      ),
    );
  });

  it('rejects unsupported field labels as kube-apiserver does', () => {
    assert.throws(
      () => parseFieldSelector('spec.foo=bar', 'Pod'),
      (e: unknown) =>
        e instanceof StatusError && e.code === 400 && e.message === 'field label not supported: spec.foo',
    );
  });
});
