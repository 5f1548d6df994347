// The describe and events documents in a real VS Code against the demo cluster: they open from
// the command with a plain target, show what kubectl describe shows for a crash-looping pod
// (State, Last State, the BackOff events), and refresh on their own while the pod keeps crashing.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';

const CONTEXT = 'podscope-demo';

function kubectl(kubeconfig: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      [`--kubeconfig=${kubeconfig}`, `--context=${CONTEXT}`, '-n', 'demo', ...args],
      { timeout: 30_000, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout)),
    );
  });
}

/** Resolves with the document once its text satisfies `check`, re-checking on every change of it. */
function documentWhere(
  document: vscode.TextDocument,
  check: (text: string) => boolean,
  what: string,
  timeoutMs = 45_000,
): Promise<string> {
  if (check(document.getText())) return Promise.resolve(document.getText());
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      sub.dispose();
      reject(new Error(`${what} never showed; last text:\n${document.getText()}`));
    }, timeoutMs);
    const sub = vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.document !== document || !check(document.getText())) return;
      clearTimeout(deadline);
      sub.dispose();
      resolve(document.getText());
    });
  });
}

describe('describe and events documents on the demo cluster', function () {
  this.timeout(90_000);
  let kubeconfig: string;
  let apache: string;

  before(async () => {
    const path = await vscode.commands.executeCommand<string>('podscope.demo.start');
    assert.ok(path);
    kubeconfig = path;
    apache = (await kubectl(kubeconfig, ['get', 'pods', '-l', 'app.kubernetes.io/name=apache', '-o', 'name']))
      .trim()
      .replace('pod/', '');
    await kubectl(kubeconfig, [
      'wait',
      '--for=jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}=1',
      `pod/${apache}`,
      '--timeout=30s',
    ]);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('podscope.demo.stop');
  });

  it('podscope.pod.describe shows State, Last State and the BackOff events, and follows new crashes', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('podscope.pod.describe', {
      context: CONTEXT,
      kubeconfig,
      namespace: 'demo',
      pod: apache,
    });
    assert.ok(editor);
    const document = editor.document;
    assert.equal(document.uri.scheme, 'podscope-describe');
    const restarts = (text: string): number => Number(/Restart Count:\s+(\d+)/.exec(text)?.[1] ?? -1);
    // The first crash comes before the kubelet's first back-off: wait for both.
    const text = await documentWhere(
      document,
      (t) => restarts(t) >= 1 && /Warning\s+BackOff/.test(t),
      'a restart and its BackOff event',
    );
    assert.match(text, new RegExp(`^Name:\\s+${apache}$`, 'm'));
    assert.match(text, /State:\s+(Waiting\n\s+Reason:\s+CrashLoopBackOff|Running)/);
    assert.match(text, /Last State:\s+Terminated\n\s+Reason:\s+Error\n\s+Exit Code:\s+1/);
    assert.match(text, /Warning\s+BackOff\s+.*Back-off restarting failed container apache/);
    // The same sections kubectl prints for the same pod (ages aside, which each measure on its own
    // clock). The demo keeps running, so the document is given a moment to catch up with each read.
    const section = (t: string): string =>
      t.slice(t.indexOf('Containers:'), t.indexOf('Ready:')).replace(/\r/g, '');
    let agreed = false;
    for (let attempt = 0; attempt < 10 && !agreed; attempt++) {
      const theirs = section(await kubectl(kubeconfig, ['describe', 'pod', apache]));
      agreed = await documentWhere(document, (t) => section(t) === theirs, 'kubectl’s sections', 3_000).then(
        () => true,
        () => false,
      );
    }
    assert.ok(agreed, `the document never matched kubectl describe:\n${document.getText()}`);
    // The pod keeps crashing: the open document refreshes by itself.
    const before = restarts(text);
    await documentWhere(document, (t) => restarts(t) > before, 'a newer restart count');
  });

  it('podscope.pod.events lists a workload’s events, its pods’ included, oldest first', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('podscope.pod.events', {
      context: CONTEXT,
      kubeconfig,
      namespace: 'demo',
      kind: 'Deployment',
      name: 'apache',
    });
    assert.ok(editor);
    const text = await documentWhere(editor.document, (t) => t.includes('BackOff'), 'the BackOff event');
    const lines = text.split('\n');
    assert.match(lines[0] ?? '', /^LAST SEEN\s+TYPE\s+REASON\s+OBJECT\s+MESSAGE$/);
    assert.ok(lines.some((l) => /\bdeployment\/apache\b/.test(l) || /\breplicaset\/apache-/.test(l)));
    assert.ok(
      lines.some((l) => new RegExp(`\\bpod/${apache}\\b.*Back-off restarting failed container`).test(l)),
    );
  });

  it('podscope.workload.troubleshoot reports the apache runbook and names the httpd configuration line as the cause', async () => {
    const document = await vscode.commands.executeCommand<vscode.TextDocument>(
      'podscope.workload.troubleshoot',
      {
        context: CONTEXT,
        kubeconfig,
        namespace: 'demo',
        kind: 'Deployment',
        name: 'apache',
      },
    );
    assert.ok(document);
    assert.equal(document.languageId, 'markdown');
    const text = document.getText();
    assert.match(text, /^# Troubleshooting Deployment demo\/apache$/m);
    assert.match(
      text,
      /^- Cause, from the logs of apache.*: `httpd: Syntax error on line 178 of \/opt\/bitnami\/apache\/conf\/httpd.conf: /m,
    );
    for (const step of [
      '## 1. Pods',
      '## 2. Events',
      '## 3. Describe',
      '## 4. Logs',
      '## 5. Service endpoints',
    ])
      assert.ok(text.includes(step), step);
    assert.match(text, /### `crash-loop`/);
  });

  it('podscope.workload.openManifest reveals the workspace file that defines the object', async () => {
    const editor = await vscode.commands.executeCommand<vscode.TextEditor>('podscope.workload.openManifest', {
      context: CONTEXT,
      kubeconfig,
      namespace: 'shop',
      kind: 'Deployment',
      name: 'web',
    });
    assert.ok(editor);
    assert.match(editor.document.uri.path, /\/deployment\.yaml$/);
    // The object's first line, not the comment above it.
    assert.equal(editor.document.lineAt(editor.selection.active.line).text, 'apiVersion: apps/v1');
    const none = await vscode.commands.executeCommand('podscope.workload.openManifest', {
      context: CONTEXT,
      kubeconfig,
      namespace: 'shop',
      kind: 'Deployment',
      name: 'not-in-the-workspace',
    });
    assert.equal(none, undefined);
  });
});
