// The demo cluster's PKI: a self-signed CA and a serving certificate for 127.0.0.1/localhost,
// generated in memory at start-up. kubectl (Go crypto/x509) verifies the chain, so the
// extensions it checks are all present: basicConstraints on the CA, subjectAltName on the leaf.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import type { Der } from './der';
import {
  bitString,
  boolean,
  explicit,
  implicitPrimitive,
  octetString,
  oid,
  sequence,
  set,
  smallInteger,
  time,
  unsignedInteger,
  utf8String,
} from './der';

const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
const OID_COMMON_NAME = '2.5.4.3';
const OID_ORGANIZATION = '2.5.4.10';
const OID_SUBJECT_KEY_ID = '2.5.29.14';
const OID_KEY_USAGE = '2.5.29.15';
const OID_SUBJECT_ALT_NAME = '2.5.29.17';
const OID_BASIC_CONSTRAINTS = '2.5.29.19';
const OID_AUTHORITY_KEY_ID = '2.5.29.35';
const OID_EXT_KEY_USAGE = '2.5.29.37';
const OID_SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

const DAY = 24 * 60 * 60 * 1000;

export interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface IssuedCertificate {
  /** PEM certificate. */
  cert: string;
  /** PEM PKCS#8 private key. */
  key: string;
  der: Buffer;
  keys: KeyPair;
  subject: Der;
  subjectKeyId: Buffer;
}

export interface ServerPki {
  ca: IssuedCertificate;
  server: IssuedCertificate;
}

const algorithm = (): Der => sequence(oid(ECDSA_WITH_SHA256));

function name(commonName: string, organization?: string): Der {
  const rdns = [set(sequence(oid(OID_COMMON_NAME), utf8String(commonName)))];
  if (organization) rdns.unshift(set(sequence(oid(OID_ORGANIZATION), utf8String(organization))));
  return sequence(...rdns);
}

function extension(id: string, critical: boolean, value: Der): Der {
  return sequence(oid(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

function ipv4Bytes(ip: string): Buffer {
  return Buffer.from(ip.split('.').map(Number));
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

interface CertificateRequest {
  subject: Der;
  keys: KeyPair;
  issuer: { subject: Der; keys: KeyPair; subjectKeyId: Buffer } | undefined;
  extensions: Der[];
  /** Real time: TLS peers check validity against the wall clock, not the simulation's clock. */
  now: number;
  validDays: number;
}

function issue(request: CertificateRequest): IssuedCertificate {
  const spki = request.keys.publicKey.export({ type: 'spki', format: 'der' });
  // RFC 5280 §4.2.1.2 method 1 hashes the subjectPublicKey bits; hashing the whole SPKI is the
  // other common choice and is just as unique, which is all the identifier needs to be.
  const subjectKeyId = createHash('sha1').update(spki).digest();
  const issuer = request.issuer ?? { subject: request.subject, keys: request.keys, subjectKeyId };
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const tbs = sequence(
    explicit(0, smallInteger(2)),
    unsignedInteger(serial),
    algorithm(),
    issuer.subject,
    sequence(time(request.now - DAY), time(request.now + request.validDays * DAY)),
    request.subject,
    spki,
    explicit(
      3,
      sequence(
        ...request.extensions,
        extension(OID_SUBJECT_KEY_ID, false, octetString(subjectKeyId)),
        extension(OID_AUTHORITY_KEY_ID, false, sequence(implicitPrimitive(0, issuer.subjectKeyId))),
      ),
    ),
  );
  const signature = sign('sha256', tbs, issuer.keys.privateKey);
  const der = sequence(tbs, algorithm(), bitString(signature));
  return {
    cert: pem('CERTIFICATE', der),
    key: request.keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    der,
    keys: request.keys,
    subject: request.subject,
    subjectKeyId,
  };
}

const newKeys = (): KeyPair => generateKeyPairSync('ec', { namedCurve: 'P-256' });

/** A fresh CA and a serving certificate for the given IPs and DNS names. */
export function createServerPki(
  options: { ips?: string[]; dnsNames?: string[]; now?: number } = {},
): ServerPki {
  const now = options.now ?? Date.now();
  const ips = options.ips ?? ['127.0.0.1'];
  const dnsNames = options.dnsNames ?? [
    'localhost',
    'kubernetes',
    'kubernetes.default',
    'kubernetes.default.svc',
  ];
  const ca = issue({
    subject: name('podscope-demo-ca', 'podscope'),
    keys: newKeys(),
    issuer: undefined,
    extensions: [
      extension(OID_BASIC_CONSTRAINTS, true, sequence(boolean(true))),
      // digitalSignature (bit 0), keyCertSign (5), cRLSign (6): 1000 0110, one unused bit.
      extension(OID_KEY_USAGE, true, bitString(Buffer.from([0x86]), 1)),
    ],
    now,
    validDays: 3650,
  });
  const server = issue({
    subject: name('kube-apiserver'),
    keys: newKeys(),
    issuer: ca,
    extensions: [
      extension(OID_BASIC_CONSTRAINTS, true, sequence()),
      // digitalSignature (bit 0), keyEncipherment (2): 1010 0000, five unused bits.
      extension(OID_KEY_USAGE, true, bitString(Buffer.from([0xa0]), 5)),
      extension(OID_EXT_KEY_USAGE, false, sequence(oid(OID_SERVER_AUTH))),
      extension(
        OID_SUBJECT_ALT_NAME,
        false,
        sequence(
          ...dnsNames.map((dns) => implicitPrimitive(2, Buffer.from(dns, 'ascii'))),
          ...ips.map((ip) => implicitPrimitive(7, ipv4Bytes(ip))),
        ),
      ),
    ],
    now,
    validDays: 365,
  });
  return { ca, server };
}
