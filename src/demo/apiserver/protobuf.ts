// Decoding of `application/vnd.kubernetes.protobuf` request bodies into the JSON shape of the
// same object: the `k8s\0` magic, the runtime.Unknown envelope, then the kind's message read
// with the field tables in protobufSchema.ts. A field the tables do not know is an error (415),
// never silently dropped.
import type { KubeObject } from '../../kube/types';
import { StatusError } from './errors';
import type { ProtoField } from './protobufSchema';
import { PROTO_MESSAGES } from './protobufSchema';

export const PROTOBUF_CONTENT_TYPE = 'application/vnd.kubernetes.protobuf';
const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

class Reader {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    readonly end: number = buf.length,
  ) {}

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = this.buf[this.pos++];
      if (byte === undefined) throw undecodable('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
      shift += 7n;
    }
  }

  bytes(): Buffer {
    const length = Number(this.varint());
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }
}

function undecodable(why: string): StatusError {
  return new StatusError(
    415,
    'UnsupportedMediaType',
    `the demo apiserver could not decode the protobuf request body (${why}); send JSON instead (e.g. kubectl apply -f)`,
  );
}

const signed64 = (v: bigint): number => Number(BigInt.asIntN(64, v));

const fieldTables = new Map<string, Map<number, ProtoField>>();
function table(message: string): Map<number, ProtoField> {
  let t = fieldTables.get(message);
  if (!t) {
    const fields = PROTO_MESSAGES[message];
    if (!fields) throw undecodable(`no schema for ${message}`);
    t = new Map(fields.map((f) => [f[0], f]));
    fieldTables.set(message, t);
  }
  return t;
}

function rfc3339(seconds: number, nanos: number, fractionDigits: number): string {
  const iso = new Date(seconds * 1000).toISOString().slice(0, 19);
  if (fractionDigits === 0) return `${iso}Z`;
  return `${iso}.${String(Math.floor(nanos / 10 ** (9 - fractionDigits))).padStart(fractionDigits, '0')}Z`;
}

function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const negative = ns < 0;
  let rest = Math.abs(ns) / 1e9;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  rest -= m * 60;
  const text = h ? `${h}h${m}m${rest}s` : m ? `${m}m${rest}s` : `${rest}s`;
  return negative ? `-${text}` : text;
}

/** Reads one field value of `type` at the reader (wire type already consumed by the caller). */
function readValue(reader: Reader, wireType: number, type: string): unknown {
  switch (type) {
    case 's':
      return reader.bytes().toString('utf8');
    case 'y':
      return reader.bytes().toString('base64');
    case 'b':
      return reader.varint() !== 0n;
    case 'i':
      return signed64(reader.varint());
    case 'z': {
      const v = reader.varint();
      return Number((v >> 1n) ^ -(v & 1n));
    }
    case 'd': {
      const v = reader.buf.readDoubleLE(reader.pos);
      reader.pos += 8;
      return v;
    }
    case 'f': {
      const v = reader.buf.readFloatLE(reader.pos);
      reader.pos += 4;
      return v;
    }
    case 'x': {
      const v = Number(reader.buf.readBigInt64LE(reader.pos));
      reader.pos += 8;
      return v;
    }
    case 'w': {
      const v = reader.buf.readInt32LE(reader.pos);
      reader.pos += 4;
      return v;
    }
    default:
      if (wireType !== 2) throw undecodable(`wire type ${wireType} for ${type}`);
      return decodeMessage(reader.bytes(), type);
  }
}

/** Well-known types become what their JSON marshalers print. */
function decodeSpecial(bytes: Buffer, type: string): unknown {
  const fields = new Map<number, unknown>();
  const reader = new Reader(bytes);
  while (reader.pos < reader.end) {
    const key = Number(reader.varint());
    const wire = key & 7;
    const num = key >>> 3;
    fields.set(num, wire === 2 ? reader.bytes() : signed64(reader.varint()));
  }
  const num = (n: number): number => (typeof fields.get(n) === 'number' ? (fields.get(n) as number) : 0);
  const buf = (n: number): Buffer | undefined => fields.get(n) as Buffer | undefined;
  switch (type) {
    case 'Time':
      return num(1) === 0 && num(2) === 0 ? null : rfc3339(num(1), num(2), 0);
    case 'MicroTime':
      return num(1) === 0 && num(2) === 0 ? null : rfc3339(num(1), num(2), 6);
    case 'Duration':
      return goDuration(num(1));
    case 'Quantity':
      return buf(1)?.toString('utf8') ?? '0';
    case 'IntOrString':
      return num(1) === 1 ? (buf(3)?.toString('utf8') ?? '') : num(2);
    case 'RawExtension':
    case 'FieldsV1': {
      const raw = buf(1);
      return raw && raw.length ? (JSON.parse(raw.toString('utf8')) as unknown) : {};
    }
    default:
      return undefined;
  }
}

/** Fields that are embedded structs in the Go types, flattened into their parent in JSON. */
export const INLINED = new Set([
  'handler',
  'volumeSource',
  'persistentVolumeSource',
  'localObjectReference',
  'ephemeralContainerCommon',
]);

/** Pointer fields (`*int32`, `*bool`) whose explicit zero differs from absent. */
const MEANINGFUL_ZERO = new Set([
  'replicas',
  'parallelism',
  'completions',
  'backoffLimit',
  'backoffLimitPerIndex',
  'maxFailedIndexes',
  'suspend',
  'activeDeadlineSeconds',
  'terminationGracePeriodSeconds',
  'ttlSecondsAfterFinished',
  'startingDeadlineSeconds',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
  'revisionHistoryLimit',
  'progressDeadlineSeconds',
  'automountServiceAccountToken',
  'enableServiceLinks',
  'shareProcessNamespace',
  'hostUsers',
  'immutable',
  'optional',
  'readOnlyRootFilesystem',
  'runAsNonRoot',
  'runAsUser',
  'runAsGroup',
  'fsGroup',
  'privileged',
  'allowPrivilegeEscalation',
  'defaultMode',
  'mode',
  'priority',
  'globalDefault',
  'value',
  'intVal',
  'deletionGracePeriodSeconds',
  'gracePeriodSeconds',
  'orphanDependents',
  'ready',
  'serving',
  'terminating',
  'restartCount',
  'exitCode',
  'count',
]);

const SPECIAL = new Set([
  'Time',
  'MicroTime',
  'Duration',
  'Quantity',
  'IntOrString',
  'RawExtension',
  'FieldsV1',
]);

function decodeMessage(bytes: Buffer, message: string): unknown {
  if (SPECIAL.has(message)) return decodeSpecial(bytes, message);
  const fields = table(message);
  const out: Record<string, unknown> = {};
  const reader = new Reader(bytes);
  while (reader.pos < reader.end) {
    const key = Number(reader.varint());
    const wire = key & 7;
    const field = fields.get(key >>> 3);
    if (!field) throw undecodable(`unknown field ${key >>> 3} in ${message}`);
    const [, name, type, extra] = field;
    if (type === 'map') {
      const entry = new Reader(reader.bytes());
      let k = '';
      let v: unknown;
      while (entry.pos < entry.end) {
        const ek = Number(entry.varint());
        if (ek >>> 3 === 1) k = entry.bytes().toString('utf8');
        else v = readValue(entry, ek & 7, String(extra));
      }
      const map = (out[name] ??= {}) as Record<string, unknown>;
      map[k] = v ?? (extra === 's' ? '' : null);
      continue;
    }
    if (extra === 1) {
      const list = (out[name] ??= []) as unknown[];
      if (wire === 2 && !['s', 'y'].includes(type) && type.length === 1) {
        // Packed repeated scalars.
        const packed = new Reader(reader.bytes());
        while (packed.pos < packed.end) list.push(readValue(packed, 0, type));
      } else {
        list.push(readValue(reader, wire, type));
      }
      continue;
    }
    const value = readValue(reader, wire, type);
    if (INLINED.has(name) && value && typeof value === 'object') {
      // An embedded Go struct (`json:",inline"`): its fields sit in the parent in JSON.
      Object.assign(out, value);
      continue;
    }
    // Go's protobuf marshaller writes every non-pointer scalar, zero or not, where JSON's
    // omitempty leaves zeros out. Zeros stay only for the pointer fields where zero means something.
    if (value === null || value === '' || ((value === 0 || value === false) && !MEANINGFUL_ZERO.has(name)))
      continue;
    out[name] = value;
  }
  return out;
}

function messageFor(apiVersion: string, kind: string): string {
  if (kind === 'DeleteOptions') return 'meta.v1.DeleteOptions';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const pkg = (group ?? 'core').replace(/\.k8s\.io$/, '');
  return `${pkg}.${version ?? 'v1'}.${kind}`;
}

export function isProtobuf(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]?.trim() === PROTOBUF_CONTENT_TYPE;
}

/** Decodes a protobuf-encoded object (envelope included) to its JSON form. */
export function decodeProtobufObject(body: Buffer): KubeObject {
  if (body.length < 4 || !body.subarray(0, 4).equals(MAGIC)) throw undecodable('missing k8s protobuf magic');
  const reader = new Reader(body.subarray(4));
  let apiVersion = '';
  let kind = '';
  let raw: Buffer | undefined;
  while (reader.pos < reader.end) {
    const key = Number(reader.varint());
    const num = key >>> 3;
    if ((key & 7) !== 2) {
      reader.varint();
      continue;
    }
    const bytes = reader.bytes();
    if (num === 1) {
      const tm = new Reader(bytes);
      while (tm.pos < tm.end) {
        const k = Number(tm.varint());
        const text = tm.bytes().toString('utf8');
        if (k >>> 3 === 1) apiVersion = text;
        else if (k >>> 3 === 2) kind = text;
      }
    } else if (num === 2) {
      raw = bytes;
    }
  }
  if (!raw) throw undecodable('empty envelope');
  const object = decodeMessage(raw, messageFor(apiVersion, kind)) as KubeObject;
  return { apiVersion, kind, ...object };
}
