// Secrets with values, for the tests that hold Podscope to key names only. Each run makes its own
// sentinel values, so a match anywhere can only be a leak of this run's Secret, and looks for
// them in every form a leak could take: raw, base64 (as `data` holds them) and base64 of the
// base64 (a value printed from `data` and encoded once more, as a last-applied annotation would
// not, but a careless renderer might).
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';

export const SECRET_NAMESPACE = 'demo';
export const SECRET_POD = 'secret-reader';

export interface SecretSentinels {
  /** db-credentials/password: a password, as `data` holds it base64-encoded. */
  password: string;
  /** api-token/token: a value that is itself base64 of a password, tempting to decode and print. */
  token: string;
  /** Every form of every value that must never be shown. */
  forms: string[];
}

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

export function makeSentinels(): SecretSentinels {
  const id = randomBytes(6).toString('hex');
  const password = `pw-sentinel-${id}`;
  const token = b64(`hunter2-sentinel-${id}`);
  const raw = [password, token, `hunter2-sentinel-${id}`];
  return { password, token, forms: [...raw, ...raw.map(b64), ...raw.map((r) => b64(b64(r)))] };
}

/**
 * Two Secrets with values and a pod that reads them through `secretKeyRef` and `envFrom`, with one
 * key misspelt so the pod fails with `couldn't find key pasword in Secret demo/db-credentials` and
 * gets a finding, a squiggle and a hover on the manifest.
 */
export function secretManifest(s: SecretSentinels, context: string): string {
  return [
    `# podscope: context=${context} namespace=${SECRET_NAMESPACE}`,
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: db-credentials',
    `  namespace: ${SECRET_NAMESPACE}`,
    'type: Opaque',
    'data:',
    `  password: ${b64(s.password)}`,
    `  username: ${b64('app')}`,
    '---',
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: api-token',
    `  namespace: ${SECRET_NAMESPACE}`,
    'type: Opaque',
    'data:',
    `  token: ${b64(s.token)}`,
    '---',
    'apiVersion: v1',
    'kind: Pod',
    'metadata:',
    `  name: ${SECRET_POD}`,
    `  namespace: ${SECRET_NAMESPACE}`,
    '  labels:',
    `    app: ${SECRET_POD}`,
    'spec:',
    '  containers:',
    '    - name: app',
    '      image: busybox:1.36',
    '      command: ["sh", "-c", "sleep 3600"]',
    '      envFrom:',
    '        - secretRef:',
    '            name: api-token',
    '      env:',
    '        - name: DB_PASSWORD',
    '          valueFrom:',
    '            secretKeyRef:',
    '              name: db-credentials',
    '              key: password',
    '        - name: DB_PASSWORD_TYPO',
    '          valueFrom:',
    '            secretKeyRef:',
    '              name: db-credentials',
    '              key: pasword',
    '',
  ].join('\n');
}

/** The Kubernetes message the misspelt key produces (failure catalog, missing Secret key). */
export const MISSING_KEY_MESSAGE = `couldn't find key pasword in Secret ${SECRET_NAMESPACE}/db-credentials`;

export function assertNoSecretValue(text: string, s: SecretSentinels, where: string): void {
  for (const form of s.forms) assert.ok(!text.includes(form), `${where} shows a Secret value (${form})`);
}
