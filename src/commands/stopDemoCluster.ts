import * as vscode from 'vscode';
import type { DemoClusterHost } from '../services/demoClusterHost';

export function stopDemoCluster(demo: DemoClusterHost): () => Promise<void> {
  return async () => {
    const stopped = await demo.stop();
    void vscode.window.showInformationMessage(
      stopped ? 'Podscope demo cluster stopped.' : 'The Podscope demo cluster is not running.',
    );
  };
}
