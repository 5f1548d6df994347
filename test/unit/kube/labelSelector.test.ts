import { strict as assert } from 'node:assert';
import type { LabelSelector } from '../../../src/kube/types';
import {
  formatLabelSelector,
  matchesSelector,
  matchesServiceSelector,
} from '../../../src/kube/labelSelector';

const web = { app: 'web', tier: 'frontend', 'pod-template-hash': 'abc' };

describe('matchesSelector', () => {
  const cases: [string, LabelSelector | undefined, Record<string, string> | undefined, boolean][] = [
    ['absent selector matches nothing', undefined, web, false],
    ['empty selector matches everything', {}, web, true],
    ['empty selector matches a pod without labels', {}, undefined, true],
    ['matchLabels subset', { matchLabels: { app: 'web' } }, web, true],
    ['matchLabels wrong value', { matchLabels: { app: 'api' } }, web, false],
    ['matchLabels missing key', { matchLabels: { team: 'x' } }, web, false],
    ['matchLabels against no labels', { matchLabels: { app: 'web' } }, undefined, false],
    [
      'In hit',
      { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend', 'frontend'] }] },
      web,
      true,
    ],
    ['In miss', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['backend'] }] }, web, false],
    [
      'In on a missing key',
      { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] },
      web,
      false,
    ],
    [
      'In without values is invalid',
      { matchExpressions: [{ key: 'tier', operator: 'In', values: [] }] },
      web,
      false,
    ],
    [
      'NotIn hit',
      { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['frontend'] }] },
      web,
      false,
    ],
    [
      'NotIn miss',
      { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['backend'] }] },
      web,
      true,
    ],
    [
      'NotIn on a missing key matches',
      { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] },
      web,
      true,
    ],
    [
      'NotIn without values is invalid',
      { matchExpressions: [{ key: 'zone', operator: 'NotIn' }] },
      web,
      false,
    ],
    ['Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, web, true],
    ['Exists on a missing key', { matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, web, false],
    ['Exists on an empty value', { matchExpressions: [{ key: 'e', operator: 'Exists' }] }, { e: '' }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'canary', operator: 'DoesNotExist' }] }, web, true],
    [
      'DoesNotExist on a present key',
      { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
      web,
      false,
    ],
    [
      'unknown operator is invalid',
      { matchExpressions: [{ key: 'app', operator: 'Equals', values: ['web'] }] },
      web,
      false,
    ],
    ['operators are case-sensitive', { matchExpressions: [{ key: 'app', operator: 'exists' }] }, web, false],
    [
      'all requirements must hold (AND)',
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['frontend'] },
          { key: 'canary', operator: 'DoesNotExist' },
        ],
      },
      web,
      true,
    ],
    [
      'one failing requirement fails the whole',
      {
        matchLabels: { app: 'web' },
        matchExpressions: [{ key: 'canary', operator: 'Exists' }],
      },
      web,
      false,
    ],
    [
      'inherited properties are not labels',
      { matchExpressions: [{ key: 'toString', operator: 'Exists' }] },
      {},
      false,
    ],
  ];
  for (const [name, selector, labels, expected] of cases) {
    it(name, () => assert.equal(matchesSelector(selector, labels), expected));
  }
});

describe('matchesServiceSelector', () => {
  const cases: [string, Record<string, string> | undefined, Record<string, string> | undefined, boolean][] = [
    ['subset matches', { app: 'web' }, web, true],
    ['catalog 27: check-out vs checkout', { app: 'check-out' }, { app: 'checkout' }, false],
    ['absent selector selects no pod (manual endpoints)', undefined, web, false],
    ['empty selector selects no pod either', {}, web, false],
  ];
  for (const [name, selector, labels, expected] of cases) {
    it(name, () => assert.equal(matchesServiceSelector(selector, labels), expected));
  }
});

describe('formatLabelSelector', () => {
  const cases: [string, LabelSelector | undefined, string][] = [
    ['absent', undefined, '<none>'],
    ['empty', {}, '<none>'],
    ['matchLabels sorted by key', { matchLabels: { tier: 'web', app: 'shop' } }, 'app=shop,tier=web'],
    [
      'every operator, values sorted',
      {
        matchLabels: { app: 'shop' },
        matchExpressions: [
          { key: 'zone', operator: 'NotIn', values: ['b', 'a'] },
          { key: 'tier', operator: 'In', values: ['web', 'api'] },
          { key: 'canary', operator: 'DoesNotExist' },
          { key: 'team', operator: 'Exists' },
        ],
      },
      'app=shop,!canary,team,tier in (api,web),zone notin (a,b)',
    ],
    ['unknown operator', { matchExpressions: [{ key: 'a', operator: 'Near' }] }, '<error>'],
    ['In without values', { matchExpressions: [{ key: 'a', operator: 'In', values: [] }] }, '<error>'],
  ];
  for (const [name, selector, text] of cases) {
    it(name, () => assert.equal(formatLabelSelector(selector), text));
  }
});
