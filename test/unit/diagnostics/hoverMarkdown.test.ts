// Hover Markdown is built from cluster text that anyone who can create a pod controls: it must come
// out inert (no link, image, HTML, emphasis or terminal escape), with only our own command links.
import { strict as assert } from 'node:assert';
import type { Finding } from '../../../src/analysis/finding';
import { fixTitle, isPreferredFix } from '../../../src/diagnostics/findingLabels';
import { codeBlock, findingMarkdown, summaryMarkdown } from '../../../src/diagnostics/hoverMarkdown';
import { escapeMarkdown } from '../../../src/kube/sanitize';

const hostile =
  'Error: [click](command:workbench.action.terminal.sendSequence?x) ![i](https://x/y.png) <img src=x> **bold** \u001b[31mred\u001b]0;title\u0007 `code`';

/** Every link target in Markdown source that a renderer would follow. */
function linkTargets(markdown: string): string[] {
  const outsideCode = markdown.replace(/(`{3,})[\s\S]*?\1/g, '');
  return [...outsideCode.matchAll(/(?<!\\)\]\((?!\\)([^)\s]+)\)/g)].map((m) => m[1] ?? '');
}

const finding: Finding = {
  code: 'crash-loop',
  severity: 'error',
  message: `Container "app" exited: ${hostile}`,
  phase: 'Run',
  subject: { apiVersion: 'v1', kind: 'Pod', namespace: 'shop', name: 'web-1' },
  container: { name: 'app', kind: 'containers' },
  blame: { root: 'podSpec', paths: ['containers[name=app].command'] },
  evidence: [`BackOff: ${hostile}`, 'last log lines of "app":\nline one\n``` closing fence?\n' + hostile],
  fixes: [],
};

describe('hover Markdown', () => {
  it('escapes cluster prose so no Markdown acts on it, and strips terminal escapes', () => {
    const out = escapeMarkdown(hostile);
    assert.deepEqual(linkTargets(out), []);
    assert.ok(!out.includes('\u001b'));
    assert.ok(!/(?<!\\)[<*`[\]!]/.test(out), out);
  });

  it('fences code longer than any backtick run inside it', () => {
    assert.equal(codeBlock('a ``` b ```` c'), '`````text\na ``` b ```` c\n`````');
  });

  it('links only our pod commands, with URI-encoded JSON arguments', () => {
    const markdown = findingMarkdown({
      finding,
      pod: { context: 'prod', namespace: 'shop', pod: 'web-1', container: 'app' },
      exit: { code: 1, category: 'error', meaning: 'The application exited with a general error.' },
    });
    const targets = linkTargets(markdown);
    assert.deepEqual(
      targets.map((t) => t.split('?')[0]),
      [
        'command:podscope.pod.logs',
        'command:podscope.pod.logsPrevious',
        'command:podscope.pod.describe',
        'command:podscope.pod.events',
        'command:podscope.pod.exec',
        'command:podscope.pod.debug',
      ],
    );
    assert.deepEqual(JSON.parse(decodeURIComponent(targets[0]?.split('?')[1] ?? '')), [
      { context: 'prod', namespace: 'shop', pod: 'web-1', container: 'app' },
    ]);
    assert.match(markdown, /Last log lines of "app":\n\n````text\nline one\n``` closing fence\?/);
    assert.match(markdown, /\*\*Exit code 1:\*\* The application exited with a general error\\\./);
  });

  it('leaves the message to VS Code (shown just above) and puts the pod links before the evidence', () => {
    const markdown = findingMarkdown({
      finding,
      pod: { context: 'prod', namespace: 'shop', pod: 'web-1', container: 'app' },
    });
    assert.ok(!markdown.includes('Container "app" exited'), markdown);
    assert.ok(markdown.indexOf('command:podscope.pod.logs') < markdown.indexOf('Evidence from the cluster'));
  });

  it('prints the live summary as kubectl’s columns, escaped', () => {
    const markdown = summaryMarkdown(
      {
        ref: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' },
        live: true,
        pods: [
          {
            name: 'web-1',
            ready: '0/1',
            status: 'CrashLoopBackOff',
            restarts: '5 (2m ago)',
            age: '10m',
            containers: ['app'],
          },
        ],
        readyPods: 0,
        restarts: 5,
        warnings: [`BackOff: ${hostile}`],
      },
      '● 0/1 ready · CrashLoopBackOff · 5 restarts',
      'prod',
    );
    assert.match(
      markdown,
      /\| NAME \| READY \| STATUS \| RESTARTS \| AGE \|\n\|---\|---\|---\|---\|---\|\n\| web\\-1 \| 0/,
    );
    assert.deepEqual(linkTargets(markdown), []);
  });
});

describe('fix titles', () => {
  it('name the problem first, so a menu with several findings stays readable', () => {
    assert.equal(
      fixTitle('oom-killed', 'Raise the memory limit to 512Mi'),
      'OOMKilled: Raise the memory limit to 512Mi',
    );
  });

  it('prefer the first fix where it is clearly right, and a lone candidate', () => {
    assert.equal(isPreferredFix('oom-killed', 0, 2), true);
    assert.equal(isPreferredFix('oom-killed', 1, 2), false);
    assert.equal(isPreferredFix('configmap-missing', 0, 3), false);
    assert.equal(isPreferredFix('pvc-unbound', 0, 1), true);
    assert.equal(isPreferredFix('untolerated-taint', 0, 1), false);
  });
});
