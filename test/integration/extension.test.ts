// The extension as VS Code sees it: it activates, and every command it contributes is registered.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'podscope.podscope';

interface ContributedCommand {
  command: string;
}

function extension(): vscode.Extension<unknown> {
  const found = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(found, `${EXTENSION_ID} is not loaded`);
  return found;
}

describe('Podscope extension', () => {
  before(async () => {
    await extension().activate();
  });

  it('activates', () => {
    assert.equal(extension().isActive, true);
  });

  it('registers every command contributed in package.json', async () => {
    const packageJSON = extension().packageJSON as { contributes?: { commands?: ContributedCommand[] } };
    const contributed = (packageJSON.contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');

    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('runs podscope.log.show without error', async () => {
    await vscode.commands.executeCommand('podscope.log.show');
  });
});
