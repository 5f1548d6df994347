// `npm run screenshots`: what a person sees. Opens the workbench with Podscope in development mode
// on the example workspace and saves PNGs to media/screenshots/ (the README shows them).
// Every step waits for what it needs to appear (with a time limit), never for a fixed time.
//
//   node test/runner/screenshots.mjs      # expects `npm run build` done
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkbench, startCodeServer, tail } from './codeServer.mjs';
import { repoRoot } from './provision.mjs';
import { exampleWorkspace } from './runCodeServerTests.mjs';

const outDir = join(repoRoot, 'media', 'screenshots');
const MANIFEST = 'deployment.yaml';
const HOVER_WORD = 'web-config';
const STEP_TIMEOUT_MS = 30_000;
// The first hover of a fresh window can be slow; and until Podscope has a hover provider for this
// word there may be none at all, which is reported, not treated as an error.
const HOVER_TIMEOUT_MS = 15_000;

const log = (message) => process.stdout.write(`[screenshots] ${message}\n`);

/** @param {import('playwright-core').Page} page */
async function shoot(page, name) {
  const file = join(outDir, `${name}.png`);
  await page.screenshot({ path: file });
  log(`saved ${file}`);
}

/** @param {import('playwright-core').Page} page */
async function runCommand(page, title) {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible', timeout: STEP_TIMEOUT_MS });
  await input.fill(`>${title}`);
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: title })
    .first()
    .waitFor({ timeout: STEP_TIMEOUT_MS });
  await page.keyboard.press('Enter');
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: STEP_TIMEOUT_MS });
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  const server = await startCodeServer();
  let ok = false;
  let workbench;
  try {
    workbench = await openWorkbench(server, {
      folder: exampleWorkspace,
      extensionDevelopmentPath: repoRoot,
      viewport: { width: 1280, height: 800 },
    });
    const { page } = workbench;
    page.setDefaultTimeout(STEP_TIMEOUT_MS);

    // 1. The explorer with the example workspace.
    await page.locator('.monaco-workbench').waitFor();
    const explorerEntry = page.locator('.explorer-folders-view .monaco-list-row', { hasText: MANIFEST });
    await explorerEntry.waitFor();
    await shoot(page, 'explorer');

    // 2. The manifest open in the editor.
    await explorerEntry.click();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-lines', { hasText: 'apiVersion' }).waitFor();
    await shoot(page, 'manifest');

    // 3. A hover over a field value. Monaco shows a mouse hover only after real mouse movement
    // onto the word, so: click it (focus, cursor), move away, then glide onto it in steps.
    const word = editor.locator('.view-line span span', { hasText: new RegExp(`^${HOVER_WORD}$`) }).first();
    await word.click();
    await page.mouse.move(0, 0);
    const box = await word.boundingBox();
    if (!box) throw new Error(`"${HOVER_WORD}" is not on screen in ${MANIFEST}`);
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 10 });
    const hover = page.locator('.monaco-hover').first();
    try {
      await hover.waitFor({ state: 'visible', timeout: HOVER_TIMEOUT_MS });
      log(`hover shown over "${HOVER_WORD}"`);
    } catch {
      log(`no hover over "${HOVER_WORD}" within ${HOVER_TIMEOUT_MS / 1000} s (no hover provider yet?)`);
    }
    await shoot(page, 'hover');

    // 4. Podscope's log channel, opened by its own command.
    await page.mouse.move(0, 0);
    await runCommand(page, 'Podscope: Show Logs');
    await page.locator('.part.panel .view-lines', { hasText: 'activated in' }).waitFor();
    await shoot(page, 'logs');
    ok = true;
  } finally {
    await workbench?.close();
    if (!ok) process.stderr.write(`${tail(server.logFile)}\n`);
    await server.stop({ keepRunDir: !ok });
  }
}

try {
  await main();
} catch (error) {
  process.stderr.write(`[screenshots] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
process.exit(); // with process.exitCode; nothing left open may keep it alive
