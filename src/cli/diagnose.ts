// `podscope diagnose`: reads manifests, gets the cluster state (live context or saved snapshot),
// and prints the findings placed on the manifests' fields.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyzeCluster } from '../analysis/analyze';
import type { Finding } from '../analysis/finding';
import type { ClusterView } from '../kube/clusterView';
import { MemoryClusterView } from '../kube/memoryClusterView';
import { openLiveView } from '../live/liveView';
import { diagnoseManifests } from '../live/manifestDiagnosis';
import { parseManifestFile } from '../manifest/manifestDocument';
import type { ManifestSource } from '../live/placeFindings';
import type { DiagnoseOptions } from './args';
import { readManifestSources } from './manifestFiles';
import { exitStatus, toJson, toText } from './report';
import { loadSnapshot, newestTime } from './snapshot';
import { UsageError } from './usageError';

export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

interface ClusterInput {
  view: ClusterView;
  notes: string[];
  defaultNamespace: string;
  /** The live model's findings; a snapshot is analyzed here, once. */
  findings: readonly Finding[];
  close: () => Promise<void>;
}

export async function runDiagnose(options: DiagnoseOptions, io: CliIo): Promise<number> {
  const sources = await readManifestSources(options.paths, io.cwd);
  const manifests: ManifestSource[] = [];
  const unreadable: { file: string; reason: string }[] = [];
  for (const source of sources) {
    if ('skipped' in source) unreadable.push({ file: source.file, reason: source.skipped });
    else
      manifests.push({
        file: source.file,
        manifest: parseManifestFile(source.text, { fileName: source.file }),
      });
  }
  const cluster =
    options.snapshots.length > 0 ? await snapshotInput(options, io.cwd) : await liveInput(options, io.cwd);
  try {
    const diagnosis = diagnoseManifests(cluster.view, manifests, {
      defaultNamespace: cluster.defaultNamespace,
      findings: cluster.findings,
    });
    diagnosis.skipped.unshift(...unreadable);
    for (const note of cluster.notes)
      io.stderr(`podscope: note: ${note}; findings that need it may be missing\n`);
    io.stdout(
      options.format === 'json' ? `${JSON.stringify(toJson(diagnosis), null, 2)}\n` : toText(diagnosis),
    );
    return exitStatus(diagnosis, options.failOn);
  } finally {
    await cluster.close();
  }
}

async function snapshotInput(options: DiagnoseOptions, cwd: string): Promise<ClusterInput> {
  const texts = await Promise.all(
    options.snapshots.map(async (file) => ({
      file,
      text: await readFile(resolve(cwd, file), 'utf8').catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`${file}: cannot read snapshot (${error.code ?? error.message})`);
      }),
    })),
  );
  const { objects } = loadSnapshot(texts);
  // Ages in a snapshot are measured against the newest time it mentions, not the wall clock,
  // so a saved state reads the same next week.
  const taken = newestTime(objects);
  const view = new MemoryClusterView(objects, () => taken);
  return {
    view,
    notes: [],
    defaultNamespace: options.namespace ?? 'default',
    findings: analyzeCluster(view),
    close: () => Promise.resolve(),
  };
}

async function liveInput(options: DiagnoseOptions, cwd: string): Promise<ClusterInput> {
  const live = await openLiveView({
    ...(options.kubeconfig !== undefined ? { kubeconfig: resolve(cwd, options.kubeconfig) } : {}),
    ...(options.context !== undefined ? { context: options.context } : {}),
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
  });
  return {
    view: live.view,
    notes: live.notes,
    defaultNamespace: options.namespace ?? live.namespace ?? 'default',
    findings: live.findings,
    close: live.close,
  };
}
