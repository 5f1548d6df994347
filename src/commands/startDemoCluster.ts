import * as vscode from 'vscode';
import type { DemoClusterHost } from '../services/demoClusterHost';
import { DEMO_CONTEXT } from '../services/demoClusterHost';

/**
 * Starts the embedded cluster and offers a terminal where kubectl already points at it.
 * Resolves with the demo kubeconfig's path once the cluster answers; the offer stays up on its own.
 */
export function startDemoCluster(demo: DemoClusterHost, speed: () => number): () => Promise<string> {
  return async () => {
    const cluster = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Podscope: starting the demo cluster…' },
      () => demo.start(speed()),
    );
    void vscode.window
      .showInformationMessage(
        `Podscope demo cluster is running (context ${DEMO_CONTEXT}). Your kubeconfig is unchanged.`,
        'Open Terminal',
      )
      .then((choice) => {
        if (choice !== 'Open Terminal') return;
        vscode.window
          .createTerminal({ name: 'Podscope demo', env: { KUBECONFIG: cluster.kubeconfigPath } })
          .show();
      });
    return cluster.kubeconfigPath;
  };
}
