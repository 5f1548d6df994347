// The runbook report: every step in seed 004's order, the cause line taken from the crashed
// container's own words, and cluster text that cannot inject Markdown.
import * as assert from 'node:assert/strict';
import { analyzeCluster } from '../../../src/analysis/analyze';
import { logsToRead, troubleshootReport } from '../../../src/live/troubleshootReport';
import { loadExample, objectsOf, viewOf } from '../analysis/findings/catalogView';

describe('live/troubleshootReport', () => {
  const example = loadExample('13');
  const view = viewOf(objectsOf(example));
  const pod = example.pod;
  const namespace = pod?.metadata?.namespace ?? '';
  const name = pod?.metadata?.name ?? '';

  it('asks for the crashed container’s previous logs', () => {
    assert.deepEqual(
      logsToRead(view, 'Pod', namespace, name).map(({ pod: p, container, previous }) => [
        p,
        container,
        previous,
      ]),
      [[name, 'app', true]],
    );
  });

  it('walks pods → events → describe → logs → endpoints → findings, and names the cause from the logs', () => {
    const report = troubleshootReport({
      view,
      context: 'prod',
      kind: 'Pod',
      namespace,
      name,
      findings: analyzeCluster(view),
      logs: new Map([
        [`${name}/app`, ['starting', 'Error: failed to load config /etc/checkout/config.yaml']],
      ]),
    });
    const order = [
      '## Summary',
      '## 1. Pods',
      '## 2. Events',
      '## 3. Describe',
      '## 4. Logs',
      '## 5. Service endpoints',
      '## Findings and fixes',
    ];
    const positions = order.map((heading) => report.indexOf(heading));
    assert.ok(
      positions.every((p, i) => p >= 0 && (i === 0 || p > (positions[i - 1] ?? 0))),
      `order: ${positions.join(', ')}`,
    );
    assert.match(
      report,
      /Cause, from the logs of .*app: `Error: failed to load config \/etc\/checkout\/config.yaml`/,
    );
    assert.match(report, /\| CrashLoopBackOff \|/);
    assert.match(report, /Last State:\s+Terminated/);
    assert.match(report, /exit code 1: /);
    assert.match(report, /### `crash-loop`/);
  });

  it('keeps cluster text inert: links, HTML and fences from the cluster stay text', () => {
    const report = troubleshootReport({
      view,
      context: 'prod',
      kind: 'Pod',
      namespace,
      name,
      findings: [],
      logs: new Map([
        [
          `${name}/app`,
          [
            'Error: see [docs](http://evil.example) <img src=x> ```',
            '\u001b]8;;http://evil\u0007click\u001b]8;;\u0007',
          ],
        ],
      ]),
    });
    // Inside code spans and fenced blocks Markdown is not parsed; everywhere else it is escaped.
    const prose = report.replace(/(`{3,})\n[\s\S]*?\n\1/g, '').replace(/`[^`\n]*`/g, '');
    assert.doesNotMatch(prose, /\[docs\]\(http/);
    assert.doesNotMatch(prose, /<img/);
    assert.match(report, /`Error: see \[docs\]\(http:\/\/evil.example\) <img src=x> '''`/);
    assert.ok(!report.includes('\u001b'), 'an escape sequence survived');
    // The log block's fence is longer than any backtick run inside it.
    assert.match(report, /````\n[\s\S]*```[\s\S]*\n````/);
  });
});
