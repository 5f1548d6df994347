// Issue 10's hostile cluster text, as one table that every output surface's test iterates: a new
// surface gets every case, and a new case reaches every surface. Each case carries words that must
// still be readable after cleaning (so a surface that dropped the text could not pass) and words
// that must be gone (what an escape sequence hid or pointed at).
import { strict as assert } from 'node:assert';
import type { KubeObject } from '../../src/kube/types';

export interface HostileCase {
  name: string;
  text: string;
  /** Shown wherever the surface shows this text. */
  visible: string[];
  /** Never shown: a title, a link target, a hidden payload. */
  hidden: string[];
  /** Longer than any surface shows whole. */
  long?: boolean;
  /** One line so long that every surface showing it must cut it with the marker. */
  cut?: boolean;
}

const MB = 1024 * 1024;

export const HOSTILE_CASES: readonly HostileCase[] = [
  {
    name: 'ANSI colours, erase and cursor moves',
    text: 'boom \u001b[1;31mansired\u001b[0m\u001b[2J\u001b[H\u001b[10;5H',
    visible: ['ansired'],
    hidden: [],
  },
  {
    name: 'OSC window title',
    text: '\u001b]0;pwnedtitle\u0007osctitle \u001b]2;pwnedagain\u001b\\',
    visible: ['osctitle'],
    hidden: ['pwnedtitle', 'pwnedagain'],
  },
  {
    name: 'OSC 8 hyperlink',
    text: '\u001b]8;;https://evil.example/steal\u001b\\oschyperlink\u001b]8;;\u001b\\',
    visible: ['oschyperlink'],
    hidden: ['evil.example'],
  },
  {
    name: '8-bit C1 CSI and OSC',
    text: '\u009b31mconeeight\u009d8;;https://evil.example/c1\u009c',
    visible: ['coneeight'],
    hidden: ['evil.example'],
  },
  {
    name: 'Markdown link and image',
    text: '[mdlink](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D) ![mdimage](https://evil.example/pixel.png)',
    visible: ['mdlink', 'mdimage'],
    hidden: [],
  },
  {
    name: 'HTML',
    text: '<img src=x onerror=alert(1)><a href="https://evil.example">htmlanchor</a><script>alert(2)</script>',
    visible: ['htmlanchor'],
    hidden: [],
  },
  {
    name: 'bidirectional overrides and isolates',
    text: 'user \u202eadminreversed\u202c \u2066isolated\u2069 \u200frtlmark\u061c',
    visible: ['adminreversed', 'isolated', 'rtlmark'],
    hidden: [],
  },
  { name: 'NUL bytes', text: 'nul\u0000byte\u0000', visible: ['nulbyte'], hidden: [] },
  {
    name: '1 MB message on one line',
    text: `start ${'A'.repeat(MB)}`,
    visible: [],
    hidden: [],
    long: true,
    cut: true,
  },
  {
    // Fences are sized past the longest backtick run: counting must survive half a million runs.
    name: 'backtick runs on 300,000 lines',
    text: '`\n'.repeat(300_000),
    visible: [],
    hidden: [],
    long: true,
  },
  {
    name: '1 MB message of short lines',
    text: 'manylines\n'.repeat(MB / 10),
    visible: [],
    hidden: [],
    long: true,
  },
];

/** C0 and C1 controls (tab and newline allowed), DEL, ESC among them. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const CUT_MARKER = /… \\?\[\d+ characters cut\\?\]/;

export interface Surface {
  /** The text is Markdown that VS Code renders: no link, image or HTML may come of cluster text. */
  markdown: boolean;
  /** How long the surface's whole output may grow when a case is `long`. */
  maxLength: number;
}

/** Every link target in Markdown source that a renderer would follow (code spans and fences aside). */
export function linkTargets(markdown: string): string[] {
  const prose = outsideCode(markdown);
  return [...prose.matchAll(/(?<!\\)\]\((?!\\)([^)\s]*)\)/g)].map((m) => m[1] ?? '');
}

function outsideCode(markdown: string): string {
  return markdown.replace(/(`{3,})[^\n]*\n[\s\S]*?\n\1/g, '').replace(/(?<!\\)(`+)[^`]*?\1/g, '');
}

/** The output shows the case inert: no escape or control, no bidi, no live Markdown, cut when long. */
export function assertInert(output: string, c: HostileCase, surface: Surface, where: string): void {
  const at = (what: string): string => `${where} (${c.name}): ${what}`;
  const control = CONTROL.exec(output);
  assert.equal(control, null, at(`control character U+${control?.[0].codePointAt(0)?.toString(16)}`));
  const bidi = BIDI.exec(output);
  assert.equal(bidi, null, at(`bidi character U+${bidi?.[0].codePointAt(0)?.toString(16)}`));
  // Our own command links carry the real pod name, percent-encoded, as the command's argument.
  const shown = surface.markdown ? output.replace(/\]\(command:podscope\.[^)\s]*\)/g, ']()') : output;
  for (const word of c.hidden) assert.ok(!shown.includes(word), at(`shows ${word}`));
  for (const word of c.visible) assert.ok(output.includes(word), at(`does not show ${word}`));
  if (c.long) assert.ok(output.length <= surface.maxLength, at(`${output.length} characters shown`));
  if (c.cut) assert.match(output, CUT_MARKER, at('no cut marker'));
  if (surface.markdown) {
    for (const target of linkTargets(output))
      assert.match(target, /^command:podscope\./, at(`a link to ${target}`));
    const prose = outsideCode(output);
    assert.doesNotMatch(prose, /(?<!\\)<[a-z/!]/i, at('an HTML tag'));
    assert.doesNotMatch(prose, /(?<!\\)!\[/, at('an image'));
  }
}

export const HOSTILE_NOW = Date.parse('2025-06-10T09:10:00Z');
const ago = (seconds: number): string => new Date(HOSTILE_NOW - seconds * 1000).toISOString();

export const HOSTILE_NAMESPACE = 'shop';
const DEPLOYMENT_UID = '3f0c2f4e-0c51-4c1b-9d3e-6a1f0b7d2a10';
const REPLICASET_UID = '8b6e1d2a-4f7c-4e0a-b1c5-2d9f3a7e6b21';
const POD_UID = 'c4a9e7f1-2b3d-4c5e-8f6a-7b8c9d0e1f32';

/** The crashed pod's name: the hostile text itself, where a name can carry it. */
export function hostilePodName(c: HostileCase): string {
  // Slashes would change the URL path of the pod's log read, and a megabyte would not fit a URL:
  // a long case gets a name longer than any line a surface shows whole instead.
  return `web-7d4b9c-${c.long ? 'n'.repeat(5000) : c.text.replace(/\//g, '')}`;
}

/**
 * A Deployment whose pod crash-loops, with the case's text in an annotation, the termination
 * message, an event message, the pod's name, and (hostileLogs) the crashed container's log.
 */
export function hostileObjects(c: HostileCase): KubeObject[] {
  const pod = hostilePodName(c);
  const labels = { app: 'web', 'pod-template-hash': '7d4b9c' };
  const template = {
    metadata: { labels: { app: 'web' } },
    spec: { containers: [{ name: 'app', image: 'registry.example/web:1.0' }] },
  };
  const involved = {
    apiVersion: 'v1',
    kind: 'Pod',
    namespace: HOSTILE_NAMESPACE,
    name: pod,
    uid: POD_UID,
    fieldPath: 'spec.containers{app}',
  };
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: 'web',
        namespace: HOSTILE_NAMESPACE,
        uid: DEPLOYMENT_UID,
        generation: 1,
        creationTimestamp: ago(600),
        annotations: { 'example.com/note': c.text },
      },
      spec: { replicas: 1, selector: { matchLabels: { app: 'web' } }, template },
      status: { observedGeneration: 1, replicas: 1, updatedReplicas: 1, unavailableReplicas: 1 },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: 'web-7d4b9c',
        namespace: HOSTILE_NAMESPACE,
        uid: REPLICASET_UID,
        creationTimestamp: ago(600),
        labels,
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: DEPLOYMENT_UID, controller: true },
        ],
      },
      spec: {
        replicas: 1,
        selector: { matchLabels: labels },
        template: { ...template, metadata: { labels } },
      },
      status: { replicas: 1, observedGeneration: 1 },
    },
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: pod,
        namespace: HOSTILE_NAMESPACE,
        uid: POD_UID,
        creationTimestamp: ago(600),
        labels,
        annotations: { 'example.com/note': c.text },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            name: 'web-7d4b9c',
            uid: REPLICASET_UID,
            controller: true,
          },
        ],
      },
      spec: { nodeName: 'worker-1', containers: [{ name: 'app', image: 'registry.example/web:1.0' }] },
      status: {
        phase: 'Running',
        startTime: ago(600),
        conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
        containerStatuses: [
          {
            name: 'app',
            ready: false,
            started: false,
            restartCount: 5,
            image: 'registry.example/web:1.0',
            imageID: 'registry.example/web@sha256:0d3f1c2b',
            containerID: 'containerd://5e1b',
            state: {
              waiting: {
                reason: 'CrashLoopBackOff',
                message: `back-off 5m0s restarting failed container=app pod=${pod}_${HOSTILE_NAMESPACE}(${POD_UID})`,
              },
            },
            lastState: {
              terminated: {
                exitCode: 1,
                reason: 'Error',
                message: c.text,
                startedAt: ago(130),
                finishedAt: ago(120),
                containerID: 'containerd://5e1b',
              },
            },
          },
        ],
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod.slice(0, 40)}.backoff`, namespace: HOSTILE_NAMESPACE },
      involvedObject: involved,
      type: 'Warning',
      reason: 'BackOff',
      message: `Back-off restarting failed container app in pod ${pod}_${HOSTILE_NAMESPACE}(${POD_UID})`,
      count: 20,
      firstTimestamp: ago(500),
      lastTimestamp: ago(60),
      source: { component: 'kubelet', host: 'worker-1' },
    },
    {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `${pod.slice(0, 40)}.app`, namespace: HOSTILE_NAMESPACE },
      involvedObject: involved,
      type: 'Warning',
      reason: 'Failed',
      message: c.text,
      count: 1,
      firstTimestamp: ago(30),
      lastTimestamp: ago(30),
      source: { component: 'kubelet', host: 'worker-1' },
    },
  ];
}

/** What the crashed container wrote before it exited. */
export function hostileLogs(c: HostileCase): string[] {
  return ['starting web', ...`Error: ${c.text}`.split('\n')];
}

/** The manifest of the Deployment, as a workspace would hold it. */
export const HOSTILE_MANIFEST = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  `  namespace: ${HOSTILE_NAMESPACE}`,
  'spec:',
  '  replicas: 1',
  '  selector:',
  '    matchLabels:',
  '      app: web',
  '  template:',
  '    metadata:',
  '      labels:',
  '        app: web',
  '    spec:',
  '      containers:',
  '        - name: app',
  '          image: registry.example/web:1.0',
  '',
].join('\n');
