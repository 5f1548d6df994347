// The command registrar: every command Podscope contributes is registered here, once, and
// disposed with the extension. Handlers are wrapped so a failure is logged and shown once.
import * as vscode from 'vscode';
import type { Config } from '../host/config';
import type { DemoClusterHost } from '../services/demoClusterHost';
import type { LiveModelHost } from '../services/liveModelHost';
import type { Log } from '../host/log';
import { showLog } from './showLog';
import { startDemoCluster } from './startDemoCluster';
import { stopDemoCluster } from './stopDemoCluster';

export interface CommandContext {
  log: Log;
  config: Config;
  demo: DemoClusterHost;
  live: LiveModelHost;
}

type Handler = (...args: unknown[]) => unknown;

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  const commands: Record<string, Handler> = {
    'podscope.log.show': showLog(ctx.log),
    'podscope.demo.start': startDemoCluster(
      ctx.demo,
      () => ctx.config.demoSpeed,
      () => (ctx.config.kubeconfig ? { path: ctx.config.kubeconfig } : {}),
      ctx.log,
    ),
    'podscope.demo.stop': stopDemoCluster(ctx.demo),
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
