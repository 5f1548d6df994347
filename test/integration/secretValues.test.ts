// Issue 10, Secrets, in a real VS Code: two Secrets with values and a pod that reads them
// (`secretKeyRef`, `envFrom`, one key misspelt) are applied to the demo cluster with real kubectl,
// which also writes the values into each Secret's last-applied annotation. Then every surface the
// user sees is read through VS Code and searched for this run's sentinel values: diagnostics and
// their evidence, hovers on the manifest, the describe and events documents of the pod and the
// Secret, the Clusters, Restarts and Findings views with their tooltips, the troubleshoot report,
// and the "Podscope" log channel's own file. Key names must still be shown.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  watch,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { PodscopeApi } from '../../src/extension';
import type { TreeNode } from '../../src/tree/model/treeNode';
import type { SecretSentinels } from '../hostile/secretValues';
import { hoverText } from './support/views';
import {
  assertNoSecretValue,
  makeSentinels,
  MISSING_KEY_MESSAGE,
  SECRET_NAMESPACE,
  SECRET_POD,
  secretManifest,
} from '../hostile/secretValues';

const EXTENSION_ID = 'podscope.podscope';
const CONTEXT = 'podscope-demo';
const WAIT_MS = 60_000;

function kubectl(kubeconfig: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      [`--kubeconfig=${kubeconfig}`, `--context=${CONTEXT}`, ...args],
      { timeout: 30_000, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout)),
    );
  });
}

/** Resolves once `check` holds, re-checked whenever `events` fire; the timer is only the deadline. */
function when<T>(
  what: string,
  check: () => T | undefined,
  events: ((listener: () => void) => vscode.Disposable)[],
): Promise<T> {
  const now = check();
  if (now !== undefined) return Promise.resolve(now);
  return new Promise((resolve, reject) => {
    const subscriptions = events.map((event) => event(test));
    const timer = setTimeout(() => {
      done();
      reject(new Error(`${what} within ${WAIT_MS / 1000}s`));
    }, WAIT_MS);
    function done(): void {
      clearTimeout(timer);
      for (const s of subscriptions) s.dispose();
    }
    function test(): void {
      const value = check();
      if (value === undefined) return;
      done();
      resolve(value);
    }
  });
}

const onDiagnostics = (l: () => void): vscode.Disposable => vscode.languages.onDidChangeDiagnostics(l);
const onDocuments = (l: () => void): vscode.Disposable => vscode.workspace.onDidChangeTextDocument(l);

function markdownText(value: string | vscode.MarkdownString | undefined): string {
  return typeof value === 'string' ? value : (value?.value ?? '');
}

/** Every row of a view under `roots`, as label, description and resolved tooltip. */
function rows(provider: PodscopeApi['clusters'], roots: readonly TreeNode[], depth = 8): string[] {
  const out: string[] = [];
  for (const node of roots) {
    const item = provider.getTreeItem(node);
    const resolved = provider.resolveTreeItem(item, node);
    const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
    out.push(label, String(item.description ?? ''), markdownText(resolved.tooltip));
    if (depth > 0 && item.collapsibleState !== vscode.TreeItemCollapsibleState.None)
      out.push(...rows(provider, provider.getChildren(node), depth - 1));
  }
  return out;
}

/** The "Podscope" channel's log file: `<logs>/…/podscope.podscope/Podscope.log` of this window. */
function logFile(userData: string): string | undefined {
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth > 0) walk(path, depth - 1);
      else if (entry.name === 'Podscope.log' && dir.endsWith(EXTENSION_ID)) found.push(path);
    }
  };
  const logs = join(userData, 'logs');
  if (existsSync(logs)) walk(logs, 5);
  return found.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** The log file's text once it contains `marker`; waits on the file's change events, bounded. */
function logWith(file: string, marker: string): Promise<string> {
  const read = (): string | undefined => {
    const text = readFileSync(file, 'utf8');
    return text.includes(marker) ? text : undefined;
  };
  return when(`"${marker}" in ${file}`, read, [
    (listener) => {
      const watcher = watch(file, listener);
      return { dispose: () => watcher.close() };
    },
  ]);
}

describe('Secret values on every surface of a real VS Code', function () {
  this.timeout(180_000);
  let api: PodscopeApi;
  let kubeconfig: string;
  let sentinels: SecretSentinels;
  let document: vscode.TextDocument;
  const work = mkdtempSync(join(tmpdir(), 'podscope-secrets-'));

  before(async () => {
    const extension = vscode.extensions.getExtension<PodscopeApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
    const path = await vscode.commands.executeCommand<string>('podscope.demo.start');
    assert.ok(path);
    kubeconfig = path;
    sentinels = makeSentinels();
    const file = join(work, 'secrets.yaml');
    writeFileSync(file, secretManifest(sentinels, CONTEXT));
    await kubectl(kubeconfig, ['apply', '-f', file]);
    const annotation = await kubectl(kubeconfig, [
      'get',
      'secret',
      'db-credentials',
      '-n',
      SECRET_NAMESPACE,
      '-o',
      'jsonpath={.metadata.annotations.kubectl\\.kubernetes\\.io/last-applied-configuration}',
    ]);
    assert.ok(annotation.includes('"password"'), 'kubectl recorded the values it applied');
    document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('podscope.demo.stop');
  });

  it('diagnostics and hovers name the missing key and the Secret’s keys, never a value', async () => {
    const diagnostics = await when(
      'a secret-key-missing diagnostic',
      () => {
        const found = vscode.languages
          .getDiagnostics(document.uri)
          .filter((d) => d.source === 'podscope' && d.code === 'secret-key-missing');
        return found.length > 0 ? found : undefined;
      },
      [onDiagnostics],
    );
    const shown = diagnostics.flatMap((d) => [
      d.message,
      ...(d.relatedInformation ?? []).map((r) => r.message),
    ]);
    assert.ok(
      shown.some((text) => text.includes(MISSING_KEY_MESSAGE)),
      shown.join('\n'),
    );
    const hovers = [await hoverText(document.uri, diagnostics[0]!.range.start)];
    // The live summary on each document's kind and metadata.name.
    for (let line = 0; line < document.lineCount; line++) {
      const text = document.lineAt(line).text;
      if (/^kind: /.test(text) || /^ {2}name: /.test(text))
        hovers.push(await hoverText(document.uri, new vscode.Position(line, text.length - 1)));
    }
    const all = [...shown, ...hovers].join('\n');
    assertNoSecretValue(all, sentinels, 'diagnostics and hovers');
    assert.match(all, /pasword/, 'the missing key is named');
    assert.match(
      all,
      /2 keys\\?: password, username/,
      `the Secret’s hover lists its keys:\n${hovers.join('\n---\n')}`,
    );
  });

  it('describe and events documents of the pod and the Secret show key names only', async () => {
    const target = { context: CONTEXT, kubeconfig, namespace: SECRET_NAMESPACE, pod: SECRET_POD };
    const describe = await vscode.commands.executeCommand<vscode.TextEditor>('podscope.pod.describe', target);
    const podText = await when(
      'the pod’s describe with its env',
      () => {
        const text = describe.document.getText();
        return /DB_PASSWORD:/.test(text) ? text : undefined;
      },
      [onDocuments],
    );
    assert.match(podText, /DB_PASSWORD:\s+<set to the key 'password' in secret 'db-credentials'>/);
    const events = await vscode.commands.executeCommand<vscode.TextEditor>('podscope.pod.events', target);
    const eventText = await when(
      'the pod’s Failed event',
      () => {
        const text = events.document.getText();
        return text.includes(MISSING_KEY_MESSAGE) ? text : undefined;
      },
      [onDocuments],
    );
    const secret = await vscode.workspace.openTextDocument(
      vscode.Uri.parse(
        `podscope-describe:/${SECRET_NAMESPACE}/Secret/db-credentials.describe?context=${CONTEXT}`,
      ),
    );
    const secretText = await when(
      'the Secret’s describe',
      () => (/^Data\n====\npassword\nusername$/m.test(secret.getText()) ? secret.getText() : undefined),
      [onDocuments],
    );
    assertNoSecretValue(
      [podText, eventText, secretText].join('\n'),
      sentinels,
      'describe and events documents',
    );
  });

  it('the Clusters, Restarts and Findings views and their tooltips show no value', async () => {
    const onTrees = [api.clusters, api.restarts, api.findings].map(
      (p) => (l: () => void) => p.onDidChangeTreeData(l),
    );
    const text = await when(
      'the pod and its finding in the views',
      () => {
        const context = api.clusters
          .getChildren()
          .find((n) => n.context === CONTEXT && n.data.type === 'context');
        if (!context) return undefined;
        const shown = [
          ...rows(api.clusters, [context]),
          ...rows(api.restarts, api.restarts.getChildren()),
          ...rows(api.findings, api.findings.getChildren()),
        ].join('\n');
        return shown.includes(SECRET_POD) && shown.includes('pasword') ? shown : undefined;
      },
      onTrees,
    );
    assertNoSecretValue(text, sentinels, 'the views');
  });

  it('the troubleshoot report shows no value', async () => {
    const report = await vscode.commands.executeCommand<vscode.TextDocument>(
      'podscope.workload.troubleshoot',
      {
        context: CONTEXT,
        kubeconfig,
        namespace: SECRET_NAMESPACE,
        pod: SECRET_POD,
      },
    );
    const text = report.getText();
    assert.match(text, /# Troubleshooting Pod/);
    assert.ok(text.includes(MISSING_KEY_MESSAGE), text);
    assertNoSecretValue(text, sentinels, 'the troubleshoot report');
  });

  it('the "Podscope" log channel’s file holds no value', async () => {
    // globalStorage/podscope.podscope/demo-kubeconfig → the user data folder that holds logs/.
    const userData = dirname(dirname(dirname(dirname(kubeconfig))));
    const file = logFile(userData);
    assert.ok(file, `no Podscope.log under ${userData}/logs`);
    // A line logged now, after everything above: once it is in the file, so is all before it.
    // (Kustomize files are skipped with a line in the log, as the README says.)
    mkdirSync(join(work, 'overlay'));
    const marker = join(work, 'overlay', 'kustomization.yaml');
    writeFileSync(marker, 'resources:\n  - ../secrets.yaml\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.file(marker)));
    const text = await logWith(file, `Not diagnosed: ${marker}`);
    assert.match(text, /Demo cluster ready at /, 'the file is this window’s channel');
    assertNoSecretValue(text, sentinels, 'the log channel');
  });
});
