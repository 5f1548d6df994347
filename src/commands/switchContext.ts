import * as vscode from 'vscode';
import type { LiveModelHost } from '../services/liveModelHost';
import { DEMO_CONTEXT } from '../services/demoClusterHost';

/** Quick pick of every kubeconfig context (the demo's included while it runs); sets the active one. */
export function switchContext(live: LiveModelHost): (name?: unknown) => Promise<string | undefined> {
  return async (name?: unknown) => {
    const [infos, active] = await Promise.all([live.model.contextInfos(), live.model.activeContext()]);
    let chosen = typeof name === 'string' ? name : undefined;
    if (chosen === undefined) {
      const pick = await vscode.window.showQuickPick(
        infos.map((info) => ({
          label: `${info.name === active ? '$(check) ' : ''}${info.name}`,
          name: info.name,
          description: [info.namespace, info.name === DEMO_CONTEXT ? 'demo cluster' : undefined]
            .filter(Boolean)
            .join(' · '),
          detail: info.server,
        })),
        {
          title: 'Switch Kubernetes context',
          placeHolder: active ? `Active: ${active}` : 'Choose a context',
        },
      );
      chosen = pick?.name;
    }
    if (chosen === undefined) return undefined;
    if (!infos.some((info) => info.name === chosen))
      throw new Error(`The kubeconfig has no context "${chosen}"`);
    live.model.setActiveContext(chosen);
    return chosen;
  };
}
