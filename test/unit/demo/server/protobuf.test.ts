import { strict as assert } from 'node:assert';
import { StatusError } from '../../../../src/demo/apiserver/errors';
import { decodeProtobufObject } from '../../../../src/demo/apiserver/protobuf';

// A minimal protobuf writer, enough to build what kubectl's typed clients send.
function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return Buffer.from(out);
}
const field = (num: number, bytes: Buffer): Buffer =>
  Buffer.concat([varint((num << 3) | 2), varint(bytes.length), bytes]);
const str = (num: number, text: string): Buffer => field(num, Buffer.from(text));
const int = (num: number, n: number): Buffer => Buffer.concat([varint(num << 3), varint(n)]);
const entry = (num: number, k: string, v: string): Buffer =>
  field(num, Buffer.concat([str(1, k), str(2, v)]));

function envelope(apiVersion: string, kind: string, raw: Buffer): Buffer {
  const typeMeta = Buffer.concat([str(1, apiVersion), str(2, kind)]);
  return Buffer.concat([
    Buffer.from('k8s\0', 'binary'),
    field(1, typeMeta),
    field(2, raw),
    str(3, ''),
    str(4, ''),
  ]);
}

describe('protobuf request bodies', () => {
  it('decodes a ConfigMap as kubectl create configmap sends it', () => {
    const meta = Buffer.concat([
      str(1, 'app-config'),
      str(2, ''),
      str(3, 'demo'),
      int(7, 0),
      field(8, Buffer.alloc(0)),
      entry(11, 'app', 'web'),
    ]);
    const raw = Buffer.concat([field(1, meta), entry(2, 'mode', 'fast'), entry(2, 'level', '2')]);
    assert.deepEqual(decodeProtobufObject(envelope('v1', 'ConfigMap', raw)), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'app-config', namespace: 'demo', labels: { app: 'web' } },
      data: { mode: 'fast', level: '2' },
    });
  });

  it('keeps meaningful zeros (replicas: 0), int-or-string and quantities in a Deployment', () => {
    const container = Buffer.concat([
      str(1, 'app'),
      str(2, 'nginx:1.27'),
      field(6, Buffer.concat([int(3, 80), str(4, 'TCP')])),
      field(8, field(2, Buffer.concat([str(1, 'memory'), field(2, str(1, '64Mi'))]))),
      field(
        10,
        field(
          1,
          field(2, Buffer.concat([str(1, '/healthz'), field(2, Buffer.concat([int(1, 1), str(3, 'http')]))])),
        ),
      ),
    ]);
    const template = Buffer.concat([field(1, entry(11, 'app', 'web')), field(2, field(2, container))]);
    const spec = Buffer.concat([int(1, 0), field(2, entry(1, 'app', 'web')), field(3, template)]);
    const raw = Buffer.concat([field(1, str(1, 'web')), field(2, spec)]);
    const d = decodeProtobufObject(envelope('apps/v1', 'Deployment', raw)) as {
      spec: Record<string, unknown>;
    };
    assert.equal(d.spec['replicas'], 0);
    assert.deepEqual(d.spec['selector'], { matchLabels: { app: 'web' } });
    const c = (d.spec['template'] as { spec: { containers: Record<string, unknown>[] } }).spec.containers[0];
    assert.deepEqual(c?.['ports'], [{ containerPort: 80, protocol: 'TCP' }]);
    assert.deepEqual(c?.['resources'], { requests: { memory: '64Mi' } });
    assert.deepEqual(c?.['livenessProbe'], { httpGet: { path: '/healthz', port: 'http' } });
  });

  it('refuses a field it does not know rather than dropping it', () => {
    const raw = Buffer.concat([field(1, str(1, 'x')), str(99, 'surprise')]);
    assert.throws(
      () => decodeProtobufObject(envelope('v1', 'ConfigMap', raw)),
      (e: unknown) => e instanceof StatusError && e.code === 415,
    );
  });
});
