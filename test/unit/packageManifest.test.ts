// The extension manifest follows the project's conventions (STYLE.md "Naming") and ships only
// what the allowlist .vscodeignore lets through.
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  main: string;
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, unknown> };
    menus: Record<string, { command: string; when?: string }[]>;
  };
};
const vscodeignore = readFileSync(join(root, '.vscodeignore'), 'utf8')
  .split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'));

describe('package.json', () => {
  for (const { command, category } of manifest.contributes.commands) {
    it(`command ${command} is podscope.<noun>.<verb> in category Podscope`, () => {
      assert.match(command, /^podscope\.[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/);
      assert.equal(category, 'Podscope');
    });
  }

  it('puts only contributed commands in menus', () => {
    const contributed = new Set(manifest.contributes.commands.map((c) => c.command));
    const unknown = Object.values(manifest.contributes.menus)
      .flat()
      .filter((entry) => !contributed.has(entry.command))
      .map((entry) => entry.command);
    assert.deepEqual(unknown, []);
  });

  it('shows tree item actions only on Podscope clusters view items, matched by viewItem regex', () => {
    for (const entry of manifest.contributes.menus['view/item/context'] ?? [])
      assert.match(
        entry.when ?? '',
        /^view == podscope\.clusters && viewItem =~ \/\^(pod|container|workload|context|message)\b/,
      );
  });

  it('names every setting podscope.*', () => {
    const outside = Object.keys(manifest.contributes.configuration.properties).filter(
      (key) => !key.startsWith('podscope.'),
    );
    assert.deepEqual(outside, []);
  });
});

describe('.vscodeignore', () => {
  it('is an allowlist: it ignores everything first', () => {
    assert.equal(vscodeignore[0], '**');
  });

  it('lets the entry point and the manifest through', () => {
    const main = manifest.main.replace(/^\.\//, '');
    assert.ok(vscodeignore.includes(`!${main}`), `!${main} missing`);
    assert.ok(vscodeignore.includes('!package.json'));
  });

  it('keeps the README screenshots out of the package', () => {
    assert.ok(!vscodeignore.some((line) => line === '!media/**' || line.startsWith('!media/screenshots')));
  });
});
