import * as vscode from 'vscode';
import type { DemoClusterHost } from '../host/demoClusterHost';
import { DEMO_CONTEXT } from '../host/demoClusterHost';

/** Starts the embedded cluster and offers a terminal where kubectl already points at it. */
export function startDemoCluster(demo: DemoClusterHost, speed: () => number): () => Promise<void> {
  return async () => {
    const cluster = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Podscope: starting the demo cluster…' },
      () => demo.start(speed()),
    );
    const choice = await vscode.window.showInformationMessage(
      `Podscope demo cluster is running (context ${DEMO_CONTEXT}). Your kubeconfig is unchanged.`,
      'Open Terminal',
    );
    if (choice === 'Open Terminal') {
      vscode.window
        .createTerminal({ name: 'Podscope demo', env: { KUBECONFIG: cluster.kubeconfigPath } })
        .show();
    }
  };
}
