import * as assert from 'node:assert/strict';
import { ClusterError, toClusterError } from '../../../src/cluster/clusterError';

describe('cluster/clusterError', () => {
  const cases: [string, unknown, string, number?][] = [
    [
      'client-node ApiException 401',
      Object.assign(new Error('HTTP-Code: 401 Headers: {"authorization":"x"}'), {
        code: 401,
        body: { kind: 'Status', message: 'Unauthorized' },
      }),
      'unauthorized',
      401,
    ],
    [
      'client-node ApiException 403',
      Object.assign(new Error('x'), { code: 403, body: '{"kind":"Status","message":"pods is forbidden"}' }),
      'forbidden',
      403,
    ],
    ['ApiException 404', Object.assign(new Error('x'), { code: 404 }), 'notFound', 404],
    ['Watch error 410 (statusCode)', Object.assign(new Error('Gone'), { statusCode: 410 }), 'unknown', 410],
    ['504 gateway timeout', { statusCode: 504 }, 'timeout', 504],
    ['503 unavailable', { statusCode: 503 }, 'unreachable', 503],
    ['watch ERROR Status object', { kind: 'Status', code: 403, message: 'forbidden' }, 'forbidden', 403],
    [
      'ECONNREFUSED',
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
      'unreachable',
    ],
    [
      'node-fetch FetchError ENOTFOUND',
      Object.assign(new Error('request failed'), {
        name: 'FetchError',
        type: 'system',
        code: 'ENOTFOUND',
        errno: 'ENOTFOUND',
      }),
      'unreachable',
    ],
    ['ECONNRESET', { code: 'ECONNRESET' }, 'unreachable'],
    ['self-signed certificate', { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'unreachable'],
    ['ETIMEDOUT', { code: 'ETIMEDOUT' }, 'timeout'],
    [
      'AbortSignal.timeout',
      new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      'timeout',
    ],
    ['node-fetch request-timeout', { name: 'FetchError', type: 'request-timeout' }, 'timeout'],
    ['YAML error', Object.assign(new Error('bad indentation'), { name: 'YAMLException' }), 'badKubeconfig'],
    ['ENOENT', { code: 'ENOENT' }, 'noKubeconfig'],
    ['anything else', new TypeError('boom'), 'unknown'],
    ['a string', 'weird', 'unknown'],
    ['a message that merely mentions 403', new Error('status 403 forbidden'), 'unknown'],
  ];
  for (const [name, input, reason, status] of cases) {
    it(`${name} → ${reason}`, () => {
      const err = toClusterError(input);
      assert.ok(err instanceof ClusterError);
      assert.equal(err.reason, reason);
      assert.equal(err.status, status);
    });
  }

  it('passes a ClusterError through unchanged', () => {
    const original = new ClusterError('forbidden', 'x', 403);
    assert.equal(toClusterError(original), original);
  });

  it('says a 429 is throttling, which a tree row or notification shows as is', () => {
    assert.equal(
      toClusterError({ statusCode: 429 }).detail,
      'the API server is throttling requests (429 Too Many Requests)',
    );
  });

  it('marks 410 as expired', () => {
    assert.equal(toClusterError({ statusCode: 410 }).expired, true);
    assert.equal(toClusterError({ statusCode: 500 }).expired, false);
  });

  it('uses the Status message, never the ApiException message (which embeds headers)', () => {
    const err = toClusterError(
      Object.assign(new Error('Headers: {"authorization":"Bearer SECRET"}'), {
        code: 401,
        body: { kind: 'Status', message: 'Unauthorized' },
      }),
    );
    assert.ok(!err.message.includes('SECRET'));
    assert.ok(err.detail.includes('Unauthorized'));
  });
});
