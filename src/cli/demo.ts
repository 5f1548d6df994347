// `podscope demo`: the embedded cluster in the foreground until killed. Prints one line when
// ready, which scripts (npm run demo, tests) wait for.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoCluster } from '../demo/demoCluster';
import type { DemoOptions } from './args';
import type { CliIo } from './diagnose';

export async function runDemo(options: DemoOptions, io: CliIo): Promise<number> {
  // Never ~/.kube/config: the demo gets a kubeconfig of its own.
  const kubeconfigOut =
    options.kubeconfigOut ?? join(mkdtempSync(join(tmpdir(), 'podscope-demo-')), 'kubeconfig');
  const cluster = await startDemoCluster({
    speed: options.speed,
    kubeconfigOut,
    ...(options.port !== undefined ? { port: options.port } : {}),
    ...(options.pods !== undefined ? { pods: options.pods } : {}),
    ...(options.podsPerNamespace !== undefined ? { podsPerNamespace: options.podsPerNamespace } : {}),
  });
  io.stdout(`ready ${cluster.url} kubeconfig=${cluster.kubeconfigPath}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await cluster.stop();
  return 0;
}
