// A kubeconfig for the demo cluster shaped like one `kind` or `gcloud` writes: CA data inline,
// a bearer token user, and a `podscope-demo` context that defaults to the `demo` namespace.
import { writeFileSync } from 'node:fs';

export const DEMO_CONTEXT = 'podscope-demo';
export const DEMO_NAMESPACE = 'demo';

export interface KubeconfigParams {
  server: string;
  /** PEM of the cluster CA. */
  caPem: string;
  token: string;
  context?: string;
  namespace?: string;
}

export function renderKubeconfig(params: KubeconfigParams): string {
  const context = params.context ?? DEMO_CONTEXT;
  const user = `${context}-admin`;
  const caData = Buffer.from(params.caPem, 'utf8').toString('base64');
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- cluster:',
    `    certificate-authority-data: ${caData}`,
    `    server: ${params.server}`,
    `  name: ${context}`,
    'contexts:',
    '- context:',
    `    cluster: ${context}`,
    `    namespace: ${params.namespace ?? DEMO_NAMESPACE}`,
    `    user: ${user}`,
    `  name: ${context}`,
    `current-context: ${context}`,
    'preferences: {}',
    'users:',
    `- name: ${user}`,
    '  user:',
    `    token: ${params.token}`,
    '',
  ].join('\n');
}

/** Written with mode 0600, as kubectl itself writes kubeconfigs that hold credentials. */
export function writeKubeconfigFile(path: string, params: KubeconfigParams): void {
  writeFileSync(path, renderKubeconfig(params), { mode: 0o600 });
}
