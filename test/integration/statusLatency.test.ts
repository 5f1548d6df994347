// What a person waits for inside VS Code: from a pod status change on the API server to the
// squiggle on the manifest that defines its workload (watch delivery, store, re-analysis,
// placement, DiagnosticCollection). The status is patched straight through the API, as a kubelet
// would; the figures go to the test log as `status_change_to_squiggle_ms`, and the test holds
// each sample to a generous deadline only.
import * as assert from 'node:assert/strict';
import { request } from 'node:https';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { parse } from 'yaml';

const SAMPLES = 5;

interface Credentials {
  server: string;
  ca: Buffer;
  token: string;
}

function credentials(kubeconfig: string): Credentials {
  const config = parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
    users: { user: { token: string } }[];
  };
  const cluster = config.clusters[0]?.cluster;
  const token = config.users[0]?.user.token;
  assert.ok(cluster && token);
  return { server: cluster.server, ca: Buffer.from(cluster['certificate-authority-data'], 'base64'), token };
}

function api(c: Credentials, method: string, path: string, body?: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, c.server),
      {
        method,
        ca: c.ca,
        headers: {
          authorization: `Bearer ${c.token}`,
          'content-type': 'application/merge-patch+json',
        },
      },
      (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () =>
          (res.statusCode ?? 500) < 300
            ? resolve(JSON.parse(text))
            : reject(new Error(`${res.statusCode}: ${text}`)),
        );
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

function codesOf(uri: vscode.Uri): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .map((d) => String(typeof d.code === 'object' ? d.code.value : d.code));
}

/** Resolves with the time at which `uri`'s diagnostics first satisfy `check`. */
function diagnosticsWhere(uri: vscode.Uri, check: (codes: string[]) => boolean): Promise<number> {
  if (check(codesOf(uri))) return Promise.resolve(performance.now());
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      sub.dispose();
      reject(new Error(`diagnostics never matched; last: ${codesOf(uri).join(', ')}`));
    }, 15_000);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (!e.uris.some((u) => u.toString() === uri.toString()) || !check(codesOf(uri))) return;
      clearTimeout(deadline);
      sub.dispose();
      resolve(performance.now());
    });
  });
}

describe('status change on the server to the squiggle, inside VS Code', function () {
  this.timeout(120_000);
  let kubeconfig: string;

  before(async () => {
    const path = await vscode.commands.executeCommand<string>('podscope.demo.start');
    assert.ok(path);
    kubeconfig = path;
    // frontend.yaml lies outside the test workspace, so the active context is what it uses.
    await vscode.commands.executeCommand('podscope.context.switch', 'podscope-demo');
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('podscope.demo.stop');
  });

  it('an OOM kill patched onto a running pod of demo/frontend reaches frontend.yaml', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder);
    // The demo's own scenario file, from the repository the test workspace sits in.
    const uri = vscode.Uri.joinPath(folder.uri, '..', '..', '..', 'demo', 'workspace', 'frontend.yaml');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const c = credentials(kubeconfig);
    const pods = (await api(c, 'GET', '/api/v1/namespaces/demo/pods?labelSelector=app%3Dfrontend')) as {
      items: {
        metadata: { name: string };
        status: { containerStatuses?: { name: string; restartCount: number }[] };
      }[];
    };
    const pod = pods.items[0];
    assert.ok(pod, 'no pod of demo/frontend in the demo');
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const status = (pod.status.containerStatuses ?? [])[0];
      assert.ok(status);
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const started = performance.now();
      const seen = diagnosticsWhere(uri, (codes) => codes.includes('oom-killed'));
      await api(c, 'PATCH', `/api/v1/namespaces/demo/pods/${pod.metadata.name}/status`, {
        status: {
          containerStatuses: [
            {
              ...status,
              ready: false,
              restartCount: status.restartCount + 1 + i,
              state: {
                waiting: { reason: 'CrashLoopBackOff', message: 'back-off 10s restarting failed container' },
              },
              lastState: {
                terminated: { exitCode: 137, reason: 'OOMKilled', startedAt: now, finishedAt: now },
              },
            },
          ],
        },
      });
      samples.push((await seen) - started);
      // Healthy again before the next sample, so each one starts from a clean file.
      await api(c, 'PATCH', `/api/v1/namespaces/demo/pods/${pod.metadata.name}/status`, {
        status: {
          containerStatuses: [
            {
              ...status,
              ready: true,
              restartCount: 0,
              state: { running: { startedAt: now } },
              lastState: {},
            },
          ],
        },
      });
      await diagnosticsWhere(uri, (codes) => !codes.includes('oom-killed'));
    }
    samples.sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        name: 'status_change_to_squiggle_ms',
        median: Math.round(samples[2] ?? 0),
        max: Math.round(samples[4] ?? 0),
      }),
    );
  });
});
