// The pod and workload commands against the demo cluster, in a real VS Code: each opens a terminal
// whose creation options carry the exact kubectl argv, and the terminals that run to completion
// here change the demo cluster as kubectl would (an ephemeral container, a deleted pod, a restart).
//
// Commands that ask something (a container, ports, a confirmation) or depend on workspace trust are
// driven through their handlers with scripted Prompts, since a test cannot answer a modal dialog
// and this runner starts VS Code with workspace trust disabled; everything else goes through
// vscode.commands.executeCommand and so through the registrar.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as vscode from 'vscode';
import { KubeconfigTargetResolver } from '../../src/cluster/kubeconfigTargetResolver';
import type { KubeCommandDeps } from '../../src/commands/kubeTargets';
import { podDebug } from '../../src/commands/podDebug';
import { podDelete } from '../../src/commands/podDelete';
import { podExec } from '../../src/commands/podExec';
import { podLogs } from '../../src/commands/podLogs';
import { podLogsPrevious } from '../../src/commands/podLogsPrevious';
import { podPortForward } from '../../src/commands/podPortForward';
import { workloadRestart } from '../../src/commands/workloadRestart';
import { Config } from '../../src/host/config';
import type { Prompts } from '../../src/host/prompts';
import { Terminals } from '../../src/host/terminals';
import { SHELL_PICKER } from '../../src/kube/kubectlArgs';
import { nextTerminal } from './support/waits';

const CONTEXT = 'podscope-demo';

/** What a one-shot terminal's Pseudoterminal exposes; the extension's own class, seen from outside. */
interface RunPty {
  kubectlPath: string;
  argv: readonly string[];
  onDidWrite: vscode.Event<string>;
}

/** Everything a one-shot terminal shows, collected from the moment it opens. */
class Transcript {
  text = '';
  private readonly changed = new vscode.EventEmitter<void>();

  constructor(pty: RunPty) {
    pty.onDidWrite((data) => {
      this.text += data;
      this.changed.fire();
    });
  }

  until(pattern: RegExp, timeoutMs = 15_000): Promise<void> {
    if (pattern.test(this.text)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        sub.dispose();
        reject(new Error(`the terminal never showed ${String(pattern)}; it shows:\n${this.text}`));
      }, timeoutMs);
      const sub = this.changed.event(() => {
        if (!pattern.test(this.text)) return;
        clearTimeout(timer);
        sub.dispose();
        resolve();
      });
    });
  }
}

const opened: vscode.Terminal[] = [];
/** Terminals opened since the suite started, whoever opened them. */
let openCount = 0;

/** The next terminal `start` opens, recorded among those opened since the suite started. */
function nextOpenedTerminal(
  start: () => Thenable<unknown>,
  onOpen?: (t: vscode.Terminal) => void,
): Promise<vscode.Terminal> {
  return nextTerminal(start, (terminal) => {
    opened.push(terminal);
    onOpen?.(terminal);
  });
}

function shell(terminal: vscode.Terminal): { name: string; shellPath?: string; shellArgs?: unknown } {
  const options = terminal.creationOptions as vscode.TerminalOptions;
  return { name: options.name ?? '', shellPath: options.shellPath, shellArgs: options.shellArgs };
}

function runPty(terminal: vscode.Terminal): RunPty {
  const pty = (terminal.creationOptions as vscode.ExtensionTerminalOptions).pty as Partial<RunPty>;
  assert.ok(Array.isArray(pty.argv), `${terminal.name} is not a one-shot kubectl terminal`);
  return pty as RunPty;
}

/** A one-shot terminal opened by `start`, with everything it shows. */
async function oneShot(
  start: () => Thenable<unknown>,
): Promise<{ terminal: vscode.Terminal; pty: RunPty; out: Transcript }> {
  let out: Transcript | undefined;
  const terminal = await nextOpenedTerminal(start, (t) => (out = new Transcript(runPty(t))));
  return { terminal, pty: runPty(terminal), out: out! };
}

function kubectl(kubeconfig: string, args: string[], timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      [`--kubeconfig=${kubeconfig}`, `--context=${CONTEXT}`, '-n', 'demo', ...args],
      { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`kubectl ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
  });
}

async function setSetting(key: string, value: unknown): Promise<void> {
  await vscode.workspace.getConfiguration('podscope').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Prompts that fail the test if asked something it did not script, and record every notice. */
function scripted(answers: Partial<Prompts> = {}): Prompts & { notices: string[] } {
  const notices: string[] = [];
  const unexpected = (what: string) => () => Promise.reject(new Error(`unexpected prompt: ${what}`));
  return {
    pickContainer: unexpected('pickContainer'),
    askPorts: unexpected('askPorts'),
    confirm: unexpected('confirm'),
    ...answers,
    notice: (message) => notices.push(message),
    notices,
  };
}

function deps(prompts: Prompts, options: { trusted?: boolean; kubeconfig?: string } = {}): KubeCommandDeps {
  const config = new Config();
  return {
    resolver: new KubeconfigTargetResolver(() => (options.kubeconfig ? { path: options.kubeconfig } : {})),
    terminals: new Terminals(() => config.kubectlPath),
    config,
    prompts,
    isTrusted: () => options.trusted ?? true,
  };
}

describe('Podscope pod and workload commands on the demo cluster', function () {
  this.timeout(60_000);
  let kubeconfig: string;
  let SCOPE: string[];
  let scope: { context: string; kubeconfig: string; namespace: string };
  let apache: string;
  let frontend: string[];

  let counter: vscode.Disposable | undefined;

  before(async () => {
    counter = vscode.window.onDidOpenTerminal(() => openCount++);
    const path = await vscode.commands.executeCommand<string>('podscope.demo.start');
    assert.ok(path);
    kubeconfig = path;
    scope = { context: CONTEXT, kubeconfig, namespace: 'demo' };
    SCOPE = [`--kubeconfig=${kubeconfig}`, `--context=${CONTEXT}`, '-n', 'demo'];
    apache = (await kubectl(kubeconfig, ['get', 'pods', '-l', 'app.kubernetes.io/name=apache', '-o', 'name']))
      .trim()
      .replace('pod/', '');
    frontend = (await kubectl(kubeconfig, ['get', 'pods', '-l', 'app=frontend', '-o', 'name']))
      .trim()
      .split('\n')
      .map((name) => name.replace('pod/', ''));
    assert.equal(frontend.length, 2, `expected the two frontend replicas, got ${frontend.join(', ')}`);
    // `logs --previous` needs one crash behind it; kubectl wait watches for it.
    await kubectl(kubeconfig, [
      'wait',
      '--for=jsonpath={.status.containerStatuses[0].lastState.terminated.exitCode}=1',
      `pod/${apache}`,
      '--timeout=30s',
    ]);
  });

  afterEach(() => {
    for (const terminal of opened.splice(0)) terminal.dispose();
  });

  after(async () => {
    counter?.dispose();
    await setSetting('shell', undefined);
    await setSetting('debug.profile', undefined);
    await vscode.commands.executeCommand('podscope.demo.stop');
  });

  it('podscope.pod.logs follows the given container in a kubectl terminal', async () => {
    const terminal = await nextOpenedTerminal(() =>
      vscode.commands.executeCommand('podscope.pod.logs', { ...scope, pod: apache, container: 'apache' }),
    );
    assert.deepEqual(shell(terminal), {
      name: `logs: ${apache}/apache`,
      shellPath: 'kubectl',
      shellArgs: ['logs', ...SCOPE, '-f', apache, '-c', 'apache'],
    });
  });

  it('fills in the kubeconfig’s current context and the only container when the argument has neither', async () => {
    const terminal = await nextOpenedTerminal(() =>
      vscode.commands.executeCommand('podscope.pod.logs', {
        kubeconfig,
        namespace: 'demo',
        pod: apache,
        containers: ['apache'],
      }),
    );
    assert.deepEqual(shell(terminal).shellArgs, ['logs', ...SCOPE, '-f', apache, '-c', 'apache']);
  });

  it('podscope.pod.logs on a workload follows every pod of its selector', async () => {
    const terminal = await nextOpenedTerminal(() =>
      vscode.commands.executeCommand('podscope.pod.logs', {
        ...scope,
        kind: 'Deployment',
        name: 'frontend',
        selector: 'app=frontend',
      }),
    );
    assert.deepEqual(shell(terminal).shellArgs, [
      'logs',
      ...SCOPE,
      '-f',
      '-l',
      'app=frontend',
      '--all-containers',
      '--prefix',
    ]);
  });

  it('podscope.pod.logsPrevious shows the crashed container’s lines and keeps them after kubectl exits', async () => {
    const { terminal, pty, out } = await oneShot(() =>
      vscode.commands.executeCommand('podscope.pod.logsPrevious', {
        ...scope,
        pod: apache,
        container: 'apache',
      }),
    );
    assert.equal(terminal.name, `logs --previous: ${apache}/apache`);
    assert.equal(pty.kubectlPath, 'kubectl');
    assert.deepEqual(pty.argv, ['logs', ...SCOPE, '--previous', apache, '-c', 'apache']);
    await out.until(/httpd: Syntax error on line 178 of \/opt\/bitnami\/apache\/conf\/httpd\.conf/);
    await out.until(/kubectl exited with code 0\./);
    assert.equal(terminal.exitStatus, undefined, 'the terminal closed with kubectl');
  });

  it('podscope.pod.exec tries the shell setting, then bash, then sh', async () => {
    await setSetting('shell', 'zsh');
    const terminal = await nextOpenedTerminal(() =>
      vscode.commands.executeCommand('podscope.pod.exec', { ...scope, pod: frontend[0], container: 'nginx' }),
    );
    assert.deepEqual(shell(terminal), {
      name: `exec: ${frontend[0]}/nginx`,
      shellPath: 'kubectl',
      shellArgs: [
        'exec',
        ...SCOPE,
        '-it',
        frontend[0],
        '-c',
        'nginx',
        '--',
        'sh',
        '-c',
        SHELL_PICKER,
        'podscope-shell',
        'zsh',
        'bash',
        'sh',
      ],
    });
  });

  it('podscope.pod.debug adds an ephemeral container with the profile setting to the pod on the cluster', async () => {
    await setSetting('debug.profile', 'general');
    const terminal = await nextOpenedTerminal(() =>
      vscode.commands.executeCommand('podscope.pod.debug', {
        ...scope,
        pod: frontend[0],
        container: 'nginx',
      }),
    );
    assert.deepEqual(shell(terminal), {
      name: `debug: ${frontend[0]}/nginx`,
      shellPath: 'kubectl',
      shellArgs: [
        'debug',
        ...SCOPE,
        '-it',
        frontend[0],
        '--image=busybox',
        '--target=nginx',
        '--profile=general',
      ],
    });
    // The terminal's own kubectl adds the container; kubectl wait watches the pod for it.
    await kubectl(kubeconfig, [
      'wait',
      '--for=jsonpath={.spec.ephemeralContainers[0].targetContainerName}=nginx',
      `pod/${frontend[0]}`,
      '--timeout=30s',
    ]);
    const pod = JSON.parse(await kubectl(kubeconfig, ['get', 'pod', frontend[0]!, '-o', 'json'])) as {
      spec: {
        ephemeralContainers: { image: string; securityContext?: { capabilities?: { add?: string[] } } }[];
      };
    };
    const [debugContainer] = pod.spec.ephemeralContainers;
    assert.equal(debugContainer?.image, 'busybox');
    // What --profile=general adds; kubectl's default (legacy) adds nothing.
    assert.deepEqual(debugContainer?.securityContext?.capabilities?.add, ['SYS_PTRACE']);
  });

  it('podscope.pod.portForward forwards the ports the user typed, after checking them', async () => {
    let validate: ((text: string) => string | undefined) | undefined;
    const prompts = scripted({
      askPorts: (_pod, check) => {
        validate = check;
        return Promise.resolve('18080:8080');
      },
    });
    const terminal = await nextOpenedTerminal(() =>
      podPortForward(deps(prompts))({ ...scope, pod: frontend[0] }),
    );
    assert.deepEqual(shell(terminal), {
      name: `port-forward: ${frontend[0]} 18080:8080`,
      shellPath: 'kubectl',
      shellArgs: ['port-forward', ...SCOPE, `pod/${frontend[0]}`, '18080:8080'],
    });
    assert.equal(validate?.('8080'), undefined);
    assert.equal(validate?.('http'), 'Enter a port (8080) or LOCAL:REMOTE (18080:8080)');
  });

  it('asks which container when the pod has several and none was given', async () => {
    const asked: unknown[] = [];
    const prompts = scripted({
      pickContainer: (pod, containers) => {
        asked.push(pod, containers);
        return Promise.resolve('sidecar');
      },
    });
    const target = { ...scope, pod: frontend[0], containers: ['nginx', 'sidecar'] };
    const terminal = await nextOpenedTerminal(() => podLogs(deps(prompts))(target));
    assert.deepEqual(asked, [frontend[0], ['nginx', 'sidecar']]);
    assert.deepEqual(shell(terminal).shellArgs, ['logs', ...SCOPE, '-f', frontend[0], '-c', 'sidecar']);

    const before = openCount;
    const dismissed = scripted({ pickContainer: () => Promise.resolve(undefined) });
    assert.equal(await podExec(deps(dismissed))(target), undefined);
    assert.equal(openCount, before, 'a dismissed pick opened a terminal');
  });

  it('podscope.pod.delete deletes only after the confirmation, and shows kubectl’s answer', async () => {
    const before = openCount;
    const declined = scripted({ confirm: () => Promise.resolve(false) });
    assert.equal(await podDelete(deps(declined))({ ...scope, pod: frontend[1] }), undefined);
    assert.equal(openCount, before);

    const asked: string[] = [];
    const accepted = scripted({
      confirm: (message, detail, action) => {
        asked.push(message, detail, action);
        return Promise.resolve(true);
      },
    });
    const { pty, out } = await oneShot(() => podDelete(deps(accepted))({ ...scope, pod: frontend[1] }));
    assert.deepEqual(asked, [
      `Delete pod ${frontend[1]}?`,
      `In namespace demo, context ${CONTEXT}. A pod owned by a controller is replaced; a bare pod is gone.`,
      'Delete',
    ]);
    assert.deepEqual(pty.argv, ['delete', ...SCOPE, 'pod', frontend[1]]);
    await out.until(new RegExp(`pod "${frontend[1]}" deleted`));
    await out.until(/kubectl exited with code 0\./, 45_000);
    await assert.rejects(kubectl(kubeconfig, ['get', 'pod', frontend[1]!]), /NotFound|not found/);
  });

  it('podscope.workload.restart runs kubectl rollout restart after the confirmation', async () => {
    const prompts = scripted({ confirm: () => Promise.resolve(true) });
    const { pty, out } = await oneShot(() =>
      workloadRestart(deps(prompts))({ ...scope, kind: 'Deployment', name: 'frontend' }),
    );
    assert.deepEqual(pty.argv, ['rollout', 'restart', ...SCOPE, 'deployment/frontend']);
    await out.until(/deployment\.apps\/frontend restarted/);
    const annotations = JSON.parse(
      await kubectl(kubeconfig, [
        'get',
        'deployment',
        'frontend',
        '-o',
        'jsonpath={.spec.template.metadata.annotations}',
      ]),
    ) as Record<string, string>;
    assert.ok(annotations['kubectl.kubernetes.io/restartedAt'], JSON.stringify(annotations));

    const jobPrompts = scripted();
    assert.equal(
      await workloadRestart(deps(jobPrompts))({ ...scope, kind: 'Job', name: 'db-migrate' }),
      undefined,
    );
    assert.match(jobPrompts.notices.join('\n'), /a Job cannot be restarted/);
  });

  it('in Restricted Mode every process command refuses and says why', async () => {
    const before = openCount;
    const pod = { ...scope, pod: frontend[0], container: 'nginx' };
    const workload = { ...scope, kind: 'Deployment', name: 'frontend' };
    const commands = [
      [podLogs, pod],
      [podLogsPrevious, pod],
      [podExec, pod],
      [podDebug, pod],
      [podPortForward, pod],
      [podDelete, pod],
      [workloadRestart, workload],
    ] as const;
    for (const [command, arg] of commands) {
      const prompts = scripted();
      assert.equal(await command(deps(prompts, { trusted: false }))(arg), undefined, command.name);
      assert.equal(prompts.notices.length, 1, command.name);
      assert.match(prompts.notices[0]!, /is disabled in Restricted Mode because it starts kubectl/);
    }
    assert.equal(openCount, before, 'an untrusted command opened a terminal');
  });

  it('podscope.name.copy copies the name without starting anything', async () => {
    const before = openCount;
    const copied = await vscode.commands.executeCommand('podscope.name.copy', { ...scope, pod: apache });
    assert.equal(copied, apache);
    assert.equal(await vscode.env.clipboard.readText(), apache);
    assert.equal(openCount, before);
  });

  it('without a target, says what to select instead of failing', async () => {
    const before = openCount;
    const prompts = scripted();
    assert.equal(await podExec(deps(prompts))(), undefined);
    assert.equal(await podExec(deps(prompts))({ namespace: 'demo', pod: '--all' }), undefined);
    assert.match(
      prompts.notices[0]!,
      /Open Shell needs a pod\. Run it on a pod or workload in the Podscope Clusters view/,
    );
    assert.match(prompts.notices[1]!, /\("--all" is not a pod name\)/);
    assert.equal(openCount, before);
  });

  it('from a workload manifest in the editor, follows the logs of the Deployment under the cursor', async () => {
    const [file] = await vscode.workspace.findFiles('deployment.yaml');
    assert.ok(file, 'the example workspace has no deployment.yaml');
    const editor = await vscode.window.showTextDocument(file);
    const offset = editor.document.getText().indexOf('replicas');
    editor.selection = new vscode.Selection(
      editor.document.positionAt(offset),
      editor.document.positionAt(offset),
    );
    const terminal = await nextOpenedTerminal(() => podLogs(deps(scripted(), { kubeconfig }))(file));
    assert.deepEqual(shell(terminal).shellArgs, [
      'logs',
      `--kubeconfig=${kubeconfig}`,
      `--context=${CONTEXT}`,
      '-n',
      'shop',
      '-f',
      '-l',
      'app=web',
      '--all-containers',
      '--prefix',
    ]);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
