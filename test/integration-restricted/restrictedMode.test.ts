// Restricted Mode in a window VS Code really does not trust (the runner turns workspace trust on
// and opens a folder nobody trusted), against the demo cluster running in this extension host and
// a kubeconfig with two contexts on it: one whose user has a token, one whose user runs an exec
// credential plugin. Untrusted, the token context is read and nothing starts: not the plugin, not
// kubectl, whatever the tree shows and whichever command runs; the plugin's context and each
// refused command say why. Then the suite asks for trust (the runner clicks "Trust" in the
// Workspace Trust editor) and the same window, without a reload, runs the plugin, lists that
// context's namespaces and runs a command it refused.
//
// Processes are observed, not inferred: a ProcessWatch records every process started under this
// code-server, and both kubectl (podscope.kubectlPath) and the plugin are scripts that append to a
// log before doing their work, so even a run too short for the watch leaves a trace.
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, join } from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { PodscopeApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/model/treeNode';
import type { StartedProcess } from './processWatch';
import { ProcessWatch } from './processWatch';
import { nextTerminal, until as untilEvent } from '../integration/support/waits';
import { labelOf, rowAt } from '../integration/support/views';

const EXTENSION_ID = 'podscope.podscope';
const TOKEN_CONTEXT = 'restricted-token';
const PLUGIN_CONTEXT = 'restricted-plugin';

interface DemoKubeconfig {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { token: string } }[];
}

let api: PodscopeApi;
let work: string;
let watch: ProcessWatch;
/** The kubectl the extension is told to use: logs its argv to kubectlLog, then execs kubectl. */
let kubectlSpy: string;
let kubectl: string;
let kubectlLog: string;
let plugin: string;
let pluginLog: string;
let kubeconfig: string;

/** Everything shown through window.show*Message since the suite began; answered as dismissed. */
const shown: string[] = [];
const restoreMessages: (() => void)[] = [];

function captureMessages(): void {
  const window = vscode.window as unknown as Record<string, unknown>;
  for (const name of ['showInformationMessage', 'showWarningMessage', 'showErrorMessage']) {
    const original = window[name];
    window[name] = (message: string) => {
      shown.push(message);
      return Promise.resolve(undefined);
    };
    restoreMessages.push(() => (window[name] = original));
  }
}

function isKubectl(p: StartedProcess): boolean {
  return p.commands.some((c) => c.includes(kubectlSpy) || /(^|\/|\[)kubectl( |\]|$)/.test(c));
}

function isPlugin(p: StartedProcess): boolean {
  // A zombie shows only its name, cut to 15 characters.
  return p.commands.some((c) => c.includes(plugin) || c === `[${basename(plugin).slice(0, 15)}]`);
}

function realKubectl(): string {
  const dir = (process.env.PATH ?? '').split(delimiter).find((d) => d && existsSync(join(d, 'kubectl')));
  assert.ok(dir, 'kubectl is not on PATH');
  return join(dir, 'kubectl');
}

function script(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

/** The two contexts on the demo cluster; `current-context` is the token one. */
function writeKubeconfig(demo: DemoKubeconfig): void {
  const { server } = demo.clusters[0]!.cluster;
  const ca = demo.clusters[0]!.cluster['certificate-authority-data'];
  const config = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'restricted-demo', cluster: { server, 'certificate-authority-data': ca } }],
    users: [
      { name: 'token-user', user: { token: demo.users[0]!.user.token } },
      {
        name: 'plugin-user',
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1',
            command: plugin,
            interactiveMode: 'Never',
          },
        },
      },
    ],
    contexts: [
      { name: TOKEN_CONTEXT, context: { cluster: 'restricted-demo', user: 'token-user', namespace: 'demo' } },
      {
        name: PLUGIN_CONTEXT,
        context: { cluster: 'restricted-demo', user: 'plugin-user', namespace: 'demo' },
      },
    ],
    'current-context': TOKEN_CONTEXT,
  };
  writeFileSync(kubeconfig, JSON.stringify(config, null, 2));
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('podscope').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Sets podscope.kubeconfig and resolves once the Clusters view has started over with it. */
async function useKubeconfig(path: string | undefined): Promise<void> {
  const reloaded = new Promise<void>((resolve) => {
    const sub = api.views.clustersModel.onDidChange((nodes) => {
      if (nodes) return;
      sub.dispose();
      resolve();
    });
  });
  await setSetting('kubeconfig', path);
  await reloaded;
}

/** `probe` again after every change of the views, until it returns a value. */
function until<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  return untilEvent(what, probe, [api.clusters.onDidChangeTreeData], timeoutMs);
}

function at(path: readonly string[]): TreeNode | undefined {
  return rowAt(api.clusters, path);
}

/** Asks every node of the Clusters view for its children, as expanding the whole tree would. */
function expandAll(): number {
  let count = 0;
  const visit = (node: TreeNode | undefined, depth: number): void => {
    for (const child of api.clusters.getChildren(node)) {
      count++;
      if (depth < 8) visit(child, depth + 1);
    }
  };
  visit(undefined, 0);
  for (const view of [api.restarts, api.findings])
    for (const node of view.getChildren()) view.getChildren(node);
  return count;
}

async function applyLensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
    'vscode.executeCodeLensProvider',
    uri,
  );
  return lenses.filter((l) => l.command?.command === 'podscope.manifest.apply').map((l) => l.command!.title);
}

describe('Restricted Mode (an untrusted window)', function () {
  this.timeout(90_000);
  let terminalsOpened = 0;
  const subscriptions: vscode.Disposable[] = [];
  let manifest: vscode.Uri;

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'the runner must open this suite in an untrusted window');
    api = await vscode.extensions.getExtension<PodscopeApi>(EXTENSION_ID)!.activate();
    watch = new ProcessWatch();
    subscriptions.push(vscode.window.onDidOpenTerminal(() => terminalsOpened++));
    work = mkdtempSync(join(tmpdir(), 'podscope-restricted-'));
    kubectlSpy = join(work, 'kubectl-spy');
    kubectlLog = join(work, 'kubectl.log');
    plugin = join(work, 'credential-plugin');
    pluginLog = join(work, 'plugin.log');
    kubeconfig = join(work, 'kubeconfig');

    const demoKubeconfig = await vscode.commands.executeCommand<string>('podscope.demo.start');
    const demo = parse(readFileSync(demoKubeconfig, 'utf8')) as DemoKubeconfig;
    kubectl = realKubectl();
    script(kubectlSpy, `echo "$*" >> '${kubectlLog}'\nexec '${kubectl}' "$@"`);
    script(
      plugin,
      `echo ran >> '${pluginLog}'\n` +
        `echo '${JSON.stringify({
          apiVersion: 'client.authentication.k8s.io/v1',
          kind: 'ExecCredential',
          status: { token: demo.users[0]!.user.token },
        })}'`,
    );
    writeKubeconfig(demo);
    await setSetting('kubectlPath', kubectlSpy);
    await useKubeconfig(kubeconfig);
    manifest = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'deployment.yaml');
    await vscode.window.showTextDocument(manifest);
    captureMessages();
  });

  after(async () => {
    for (const restore of restoreMessages) restore();
    for (const s of subscriptions) s.dispose();
    watch?.dispose();
    for (const terminal of vscode.window.terminals) terminal.dispose();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await setSetting('kubectlPath', undefined);
    await useKubeconfig(undefined);
    await vscode.commands.executeCommand('podscope.demo.stop');
    rmSync(work, { recursive: true, force: true });
  });

  it('reads a token context: its namespaces and workloads are listed', async () => {
    assert.equal(
      await vscode.commands.executeCommand('podscope.context.switch', TOKEN_CONTEXT),
      TOKEN_CONTEXT,
    );
    const frontend = await until('the frontend Deployment of the token context', () =>
      at([TOKEN_CONTEXT, 'demo', 'Deployments', 'frontend']),
    );
    assert.match(String(api.clusters.getTreeItem(frontend).contextValue), /^workload:deployment:/);
  });

  it('does not run an exec credential plugin: its context is not opened and its row says why', async () => {
    assert.equal(
      await vscode.commands.executeCommand('podscope.context.switch', PLUGIN_CONTEXT),
      PLUGIN_CONTEXT,
    );
    const row = await until('the plugin context to say why it is closed', () => {
      const [first] = api.clusters.getChildren(at([PLUGIN_CONTEXT]));
      return first && api.clusters.getTreeItem(first).contextValue === 'message:untrusted'
        ? first
        : undefined;
    });
    const item = api.clusters.getTreeItem(row);
    assert.equal(
      item.label,
      'Restricted Mode: this context runs a credential plugin; trust the workspace to connect',
    );
    assert.deepEqual(item.command, {
      command: 'workbench.trust.manage',
      title: 'Manage Workspace Trust',
      arguments: [],
    });
    assert.equal(existsSync(pluginLog), false, 'the credential plugin ran');
  });

  it('every command that would start kubectl or change the cluster says why instead', async () => {
    const scope = { context: TOKEN_CONTEXT, kubeconfig, namespace: 'demo' };
    const [frontendPod] = await until('a frontend pod', () => {
      const pods = api.clusters.getChildren(at([TOKEN_CONTEXT, 'demo', 'Deployments', 'frontend']));
      return pods.length > 0 ? pods.map((pod) => labelOf(api.clusters, pod)) : undefined;
    });
    const pod = { ...scope, pod: frontendPod!, container: 'nginx' };
    const workload = { ...scope, kind: 'Deployment', name: 'frontend', selector: 'app=frontend' };
    const refusal = (title: string): string =>
      `Podscope: ${title} is disabled in Restricted Mode because it starts kubectl, which can run the ` +
      `kubeconfig's credential plugins. Trust this workspace to use it.`;
    const blocked = (what: string): string =>
      `Podscope: ${what} is blocked in Restricted Mode: trust this workspace to let Podscope change clusters.`;
    const cases: [command: string, arg: unknown, message: string][] = [
      ['podscope.pod.logs', pod, refusal('Follow Logs')],
      ['podscope.pod.logs', workload, refusal('Follow Logs')],
      ['podscope.pod.logsPrevious', pod, refusal('Previous Logs')],
      ['podscope.pod.exec', pod, refusal('Open Shell')],
      ['podscope.pod.debug', pod, refusal('Debug Pod')],
      ['podscope.pod.portForward', pod, refusal('Port Forward')],
      ['podscope.pod.delete', pod, refusal('Delete Pod')],
      ['podscope.workload.restart', workload, refusal('Restart Workload')],
      ['podscope.manifest.apply', { uri: manifest.toString(), confirm: false }, blocked('Applying')],
      [
        'podscope.configMap.create',
        { ...scope, name: 'web-config', keys: ['greeting'] },
        blocked('Creating objects'),
      ],
    ];
    for (const [command, arg, message] of cases) {
      shown.length = 0;
      await vscode.commands.executeCommand(command, arg);
      assert.deepEqual(shown, [message], command);
    }
    assert.equal(terminalsOpened, 0, 'a refused command opened a terminal');
    // deployment.yaml holds two objects: one lens each.
    assert.deepEqual(
      await applyLensTitles(manifest),
      Array(2).fill('$(lock) Apply: blocked in Restricted Mode'),
    );
  });

  it('no kubectl or plugin process starts: not for the tree, the commands or the plugin context', () => {
    const rows = expandAll();
    assert.ok(rows > 10, `the expanded tree has only ${rows} rows`);
    const forbidden = watch.started.filter((p) => isKubectl(p) || isPlugin(p));
    assert.deepEqual(forbidden, [], `processes started in Restricted Mode:${watch.describe(forbidden)}`);
    assert.equal(
      existsSync(kubectlLog),
      false,
      `kubectl ran: ${existsSync(kubectlLog) && readFileSync(kubectlLog, 'utf8')}`,
    );
    assert.equal(existsSync(pluginLog), false, 'the credential plugin ran');
  });

  it('trusting the workspace turns everything on without a reload', async () => {
    shown.length = 0;
    const granted = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('workspace trust was not granted within 30 s')),
        30_000,
      );
      const sub = vscode.workspace.onDidGrantWorkspaceTrust(() => {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      });
    });
    // What the plugin context's row runs; the runner clicks "Trust" in the editor it opens.
    await vscode.commands.executeCommand('workbench.trust.manage');
    await granted;
    assert.equal(vscode.workspace.isTrusted, true);
    assert.equal(
      vscode.extensions.getExtension(EXTENSION_ID)!.exports,
      api,
      'the extension was activated again',
    );
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');

    const demoNamespace = await until('the plugin context to list its namespaces', () =>
      at([PLUGIN_CONTEXT, 'demo']),
    );
    assert.match(String(api.clusters.getTreeItem(demoNamespace).description), /^home\b/);
    assert.ok(existsSync(pluginLog), 'the plugin context opened without running its credential plugin');

    const terminal = await nextTerminal(() =>
      vscode.commands.executeCommand('podscope.pod.logs', {
        context: TOKEN_CONTEXT,
        kubeconfig,
        namespace: 'demo',
        kind: 'Deployment',
        name: 'frontend',
        selector: 'app=frontend',
      }),
    );
    assert.equal((terminal.creationOptions as vscode.TerminalOptions).shellPath, kubectlSpy);
    const pid = await terminal.processId;
    // The spy has logged its argv by the time it is kubectl.
    const started = await watch.until(
      'kubectl logs',
      (p) => p.commands.some((c) => c.startsWith(`${kubectl} logs `)),
      30_000,
    );
    assert.equal(started.pid, pid, 'the terminal’s process is kubectl');
    assert.match(
      readFileSync(kubectlLog, 'utf8'),
      /^logs --kubeconfig=\S+ --context=restricted-token -n demo -f -l app=frontend/m,
    );
    assert.deepEqual(
      shown.filter((m) => m.includes('Restricted Mode')),
      [],
      'a Restricted Mode message after trust was granted',
    );
    assert.deepEqual(
      await applyLensTitles(manifest),
      Array(2).fill(`$(cloud-upload) Apply to ${PLUGIN_CONTEXT}`),
    );
  });
});
