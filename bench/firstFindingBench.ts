// first_finding_open_namespace_ms: on the demo with 10,000 pods in 200 namespaces, from opening a
// failing manifest (demo/workspace/report-worker.yaml) on a cold session to its finding in the
// live model. The session lists the manifest's namespace first (LiveModel.open with focus) and the
// rest of the cluster after; without focus the finding waits for the whole 15-kind sync, which is
// measured beside it once for comparison.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'yaml';
import { ClusterManager } from '../src/cluster/clusterManager';
import { LiveModel } from '../src/live/liveModel';
import { objectDocuments, parseManifestFile } from '../src/manifest/manifestDocument';

export interface FirstFindingFigure {
  name: string;
  value: number;
  unit: string;
  target?: number;
}

const MANIFEST = join(__dirname, '..', 'demo', 'workspace', 'report-worker.yaml');

export async function measureFirstFinding(kubeconfig: string, runs = 3): Promise<FirstFindingFigure[]> {
  await untilOomKilled(kubeconfig);
  const focused: number[] = [];
  for (let i = 0; i < runs; i++) focused.push(await firstFinding(kubeconfig, true));
  const whole = await firstFinding(kubeconfig, false);
  const sorted = [...focused].sort((a, b) => a - b);
  return [
    {
      name: 'first_finding_open_namespace_ms',
      value: Math.round(sorted[Math.floor(sorted.length / 2)] ?? NaN),
      unit: 'ms',
      target: 1000,
    },
    { name: 'first_finding_after_full_sync_ms', value: Math.round(whole), unit: 'ms' },
  ];
}

/** One cold LiveModel: open the manifest's context focused on its namespace, time to its finding. */
async function firstFinding(kubeconfig: string, focus: boolean): Promise<number> {
  const started = performance.now();
  const manifest = parseManifestFile(readFileSync(MANIFEST, 'utf8'), { fileName: MANIFEST });
  const [document] = objectDocuments(manifest);
  if (!document) throw new Error(`${MANIFEST} holds no object`);
  const owner = { ...document.identity, namespace: document.identity.namespace ?? 'default' };
  const model = new LiveModel(new ClusterManager({ source: () => ({ path: kubeconfig }), pageSize: 500 }));
  try {
    const found = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no oom-killed finding within 120 s')), 120_000);
      model.onDidChange((change) => {
        const codes =
          model
            .get(change.context)
            ?.findingsOf(owner)
            .map((f) => f.code) ?? [];
        if (!codes.includes('oom-killed')) return;
        clearTimeout(timer);
        resolve(performance.now());
      });
    });
    await model.open('podscope-demo', focus ? { focus: [owner.namespace] } : {});
    return (await found) - started;
  } finally {
    model.dispose();
  }
}

/** The scenario must have failed before it can be found: the worker's first OOM kill. */
async function untilOomKilled(kubeconfig: string): Promise<void> {
  const config = parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  const cluster = config.clusters[0]!.cluster;
  const get = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const req = request(
        `${cluster.server}/api/v1/namespaces/demo/pods?labelSelector=app%3Dreport-worker`,
        {
          ca: Buffer.from(cluster['certificate-authority-data'], 'base64'),
          headers: { authorization: `Bearer ${config.users[0]!.user.token}` },
        },
        (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () => resolve(body));
        },
      );
      req.on('error', reject);
      req.end();
    });
  for (let i = 0; i < 240; i++) {
    if ((await get()).includes('"OOMKilled"')) return;
    await sleep(250);
  }
  throw new Error('report-worker was not OOMKilled within 60 s');
}
