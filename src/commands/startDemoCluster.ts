import * as vscode from 'vscode';
import type { KubeconfigSource } from '../cluster/kubeconfig';
import type { Log } from '../host/log';
import type { DemoClusterHost } from '../services/demoClusterHost';
import { DEMO_CONTEXT } from '../services/demoClusterHost';
import { findRunningDemo } from '../services/runningDemo';

/**
 * Starts the embedded cluster and offers a terminal where kubectl already points at it.
 * Resolves with the demo kubeconfig's path once the cluster answers; the offer stays up on its own.
 * When the kubeconfig already points at a demo that answers (the window `npm run demo` opens),
 * that one is offered instead: a second demo would only be a second, unrelated cluster.
 */
export function startDemoCluster(
  demo: DemoClusterHost,
  speed: () => number,
  kubeconfig: () => KubeconfigSource,
  log: Log,
): () => Promise<string> {
  return async () => {
    const lookup = await findRunningDemo(kubeconfig());
    if ('running' in lookup) {
      const { server, kubeconfig: path } = lookup.running;
      log.info(`A demo cluster is already running at ${server} (KUBECONFIG ${path}); not starting another`);
      offerTerminal(
        `A Podscope demo cluster is already running at ${server} (KUBECONFIG=${path}); not starting a second one.`,
        path,
      );
      return path;
    }
    log.info(`Starting the demo cluster (no running demo in the kubeconfig: ${lookup.absent})`);
    const cluster = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Podscope: starting the demo cluster…' },
      () => demo.start(speed()),
    );
    offerTerminal(
      `Podscope demo cluster is running (context ${DEMO_CONTEXT}). Your kubeconfig is unchanged.`,
      cluster.kubeconfigPath,
    );
    return cluster.kubeconfigPath;
  };
}

function offerTerminal(message: string, kubeconfig: string): void {
  void vscode.window.showInformationMessage(message, 'Open Terminal').then((choice) => {
    if (choice !== 'Open Terminal') return;
    vscode.window.createTerminal({ name: 'Podscope demo', env: { KUBECONFIG: kubeconfig } }).show();
  });
}
