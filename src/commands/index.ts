// The command registrar: every command Podscope contributes is registered here, once, and
// disposed with the extension. Handlers are wrapped so a failure is logged and shown once.
import * as vscode from 'vscode';
import type { Config } from '../host/config';
import type { DemoClusterHost } from '../services/demoClusterHost';
import type { LiveModelHost } from '../services/liveModelHost';
import type { Log } from '../host/log';
import type { ManifestApplier } from '../services/manifestApplier';
import { applyManifest } from './applyManifest';
import { createConfigMap } from './createConfigMap';
import { showLog } from './showLog';
import { startDemoCluster } from './startDemoCluster';
import { stopDemoCluster } from './stopDemoCluster';

export interface CommandContext {
  log: Log;
  config: Config;
  demo: DemoClusterHost;
  live: LiveModelHost;
  applier: ManifestApplier;
}

type Handler = (...args: unknown[]) => unknown;

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const commands: Record<string, Handler> = {
    'podscope.log.show': showLog(ctx.log),
    'podscope.demo.start': startDemoCluster(ctx.demo, () => ctx.config.demoSpeed),
    'podscope.demo.stop': stopDemoCluster(ctx.demo),
    'podscope.manifest.apply': applyManifest(ctx.applier),
    'podscope.configMap.create': createConfigMap(ctx.applier),
  };
  return Object.entries(commands).map(([id, handler]) =>
    vscode.commands.registerCommand(id, (...args: unknown[]) =>
      runSafely(ctx.log, id, () => handler(...args)),
    ),
  );
}

async function runSafely(log: Log, id: string, run: () => unknown): Promise<unknown> {
  try {
    return await run();
  } catch (error) {
    log.error(`${id} failed:`, error instanceof Error ? error : String(error));
    const choice = await vscode.window.showErrorMessage(
      `Podscope: ${error instanceof Error ? error.message : String(error)}`,
      'Show Logs',
    );
    if (choice === 'Show Logs') log.show(true);
    return undefined;
  }
}
