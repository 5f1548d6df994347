// `npm run screenshots`: what a person sees, saved as PNGs to media/screenshots/ (the README shows
// them). Opens the workbench with Podscope in development mode on the demo workspace, starts the
// demo cluster and runs kubectl in its terminal; in a second window, shows a finding in the editor
// (squiggle and code lens, hover, quick fixes) and then the sidebar's views.
// Every step waits for what it needs to appear (with a time limit), never for a fixed time.
//
//   node test/runner/screenshots.mjs      # expects `npm run build` done
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openWorkbench, startCodeServer, tail } from './codeServer.mjs';
import { repoRoot } from './provision.mjs';

const outDir = join(repoRoot, 'media', 'screenshots');
const demoWorkspace = join(repoRoot, 'demo', 'workspace');
const DEMO_MANIFEST = 'apache.yaml';
const DEMO_RUNNING = 'Podscope demo cluster is running';
// kubectl's view of a failing demo pod; the first table row that shows either is enough.
const POD_FAILURE = /CrashLoopBackOff|CreateContainerConfigError/;
// Starting the simulated cluster and its pods reaching a failing state takes longer than a UI step.
const DEMO_TIMEOUT_MS = 90_000;
const KUBECTL_TIMEOUT_MS = 15_000;
const KUBECTL_ATTEMPTS = 5;
// Tall enough for kubectl's whole table of the demo's pods, with the manifest still in view above.
const DEMO_PANEL_HEIGHT = 380;
const EDITOR_MANIFEST = 'report-worker.yaml';
const EDITOR_WORD = '128Mi';
const STEP_TIMEOUT_MS = 30_000;
// The first hover of a fresh window can be slow.
const HOVER_TIMEOUT_MS = 15_000;
const SIDEBAR_WIDTH = 520;

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

/**
 * Runs `steps` in a fresh code-server and workbench with Podscope in development mode, then closes
 * both; on failure the run folder is kept and code-server's log tail printed.
 * @param {{folder: string, viewport: {width: number, height: number}, settings?: Record<string, unknown>}} options
 * @param {(page: import('playwright-core').Page) => Promise<void>} steps
 */
async function withWorkbench(options, steps) {
  const server = await startCodeServer({ settings: options.settings });
  let ok = false;
  /** @type {import('./codeServer.mjs').Workbench | undefined} */
  let workbench;
  try {
    workbench = await openWorkbench(server, {
      folder: options.folder,
      extensionDevelopmentPath: repoRoot,
      viewport: options.viewport,
    });
    workbench.page.setDefaultTimeout(STEP_TIMEOUT_MS);
    await steps(workbench.page);
    ok = true;
  } finally {
    await workbench?.close();
    if (!ok) process.stderr.write(`${tail(server.logFile)}\n`);
    await server.stop({ keepRunDir: !ok });
  }
}

/**
 * demo: the demo workspace with a manifest open, the demo cluster started from the command palette,
 * and `kubectl get pods` in the terminal its notification opens.
 * @param {import('playwright-core').Page} page
 */
async function demoSteps(page) {
  await page.locator('.monaco-workbench').waitFor();
  const explorerEntry = page.locator('.explorer-folders-view .monaco-list-row', { hasText: DEMO_MANIFEST });
  await explorerEntry.waitFor();
  await explorerEntry.click();
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines', { hasText: 'apiVersion' }).waitFor();

  await runCommand(page, 'Podscope: Start Demo Cluster');
  // With enable-smoke-test-driver (which codeServer.mjs always passes) the workbench shows no
  // notification toasts; the notification, with its button, is in the Notifications center.
  await runCommand(page, 'Notifications: Show Notifications');
  const center = page.locator('.notifications-center');
  const notification = center.locator('.monaco-list-row', { hasText: DEMO_RUNNING });
  await notification.waitFor({ timeout: DEMO_TIMEOUT_MS });
  await notification.getByRole('button', { name: 'Open Terminal' }).click();
  // The terminal has the keyboard focus now, so the center is closed by its own button.
  await center.getByRole('button', { name: 'Hide Notifications' }).click();
  await center.waitFor({ state: 'hidden' });

  // The terminal's rows are DOM text (GPU acceleration is off for this window), so they can be read.
  const terminal = page.locator('.part.panel .terminal-wrapper.active .xterm');
  const rows = terminal.locator('.xterm-rows');
  await rows.waitFor();
  // Type only once the shell has printed its prompt: keys sent earlier can be lost.
  await page.waitForFunction(
    (element) => (element?.textContent ?? '').trim().length > 0,
    await rows.elementHandle(),
  );
  await setPanelHeight(page, DEMO_PANEL_HEIGHT);
  await terminal.click();
  // The demo's pods fail a few (simulated) seconds after the cluster starts. If kubectl answered
  // before any did, clear the screen and ask again.
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.type('kubectl get pods -n demo');
    await page.keyboard.press('Enter');
    try {
      await rows.filter({ hasText: POD_FAILURE }).waitFor({ timeout: KUBECTL_TIMEOUT_MS });
      break;
    } catch (error) {
      if (attempt === KUBECTL_ATTEMPTS || !(error instanceof Error && error.name === 'TimeoutError'))
        throw error;
      log(`no failing pod in kubectl's answer yet (attempt ${attempt}), asking again`);
      await page.keyboard.press('Control+L');
    }
  }
  await shoot(page, 'demo');
}

/**
 * The editor on the demo workspace: report-worker.yaml with its OOMKilled squiggle on the memory
 * limit and the live state in the code lens, the hover with the cluster's evidence, and the
 * lightbulb's quick fixes.
 * @param {import('playwright-core').Page} page
 */
async function editorSteps(page) {
  await page.locator('.monaco-workbench').waitFor();
  // Opening the manifest first activates Podscope (onLanguage:yaml) before its command is asked for.
  const explorerEntry = page.locator('.explorer-folders-view .monaco-list-row', { hasText: EDITOR_MANIFEST });
  await explorerEntry.waitFor();
  await explorerEntry.click();
  const editor = page.locator('.editor-instance .monaco-editor').first();
  await editor.locator('.view-lines', { hasText: 'apiVersion' }).waitFor();
  // Under load the palette can miss a command whose extension host is still starting: ask again.
  for (let attempt = 1; ; attempt++) {
    try {
      await runCommand(page, 'Podscope: Start Demo Cluster');
      break;
    } catch (error) {
      if (attempt === 3) throw error;
      log(`the command palette did not offer the command (attempt ${attempt}), asking again`);
      await page.keyboard.press('Escape');
    }
  }
  // The pod is OOMKilled a few simulated seconds after the cluster starts.
  await editor.locator('.squiggly-error').first().waitFor({ timeout: DEMO_TIMEOUT_MS });
  await editor.locator('.codelens-decoration', { hasText: 'ready' }).first().waitFor();
  await shoot(page, 'squiggle');

  const word = editor.locator('.view-line span span', { hasText: new RegExp(`^${EDITOR_WORD}$`) }).first();
  await word.click();
  await page.mouse.move(0, 0);
  const box = await word.boundingBox();
  if (!box) throw new Error(`"${EDITOR_WORD}" is not on screen in ${EDITOR_MANIFEST}`);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 10 });
  await page
    .locator('.monaco-hover', { hasText: 'Evidence from the cluster' })
    .first()
    .waitFor({ timeout: HOVER_TIMEOUT_MS * 2 });
  // The hover is taller than VS Code lets it be: move into it (it stays open while the mouse is
  // over it) and scroll down to the evidence and the pod links.
  const hover = page.locator('.monaco-hover', { hasText: 'Previous logs' }).first();
  const hoverBox = await hover.boundingBox();
  if (hoverBox) {
    await page.mouse.move(hoverBox.x + hoverBox.width / 2, hoverBox.y + hoverBox.height / 2, { steps: 5 });
    await page.mouse.wheel(0, 400);
    await hover.locator('a', { hasText: 'Previous logs' }).waitFor({ state: 'visible' });
  }
  await shoot(page, 'finding-hover');

  await page.mouse.move(0, 0);
  await page.keyboard.press('Escape');
  await word.click();
  await page.keyboard.press('Control+.');
  await page.locator('.action-widget', { hasText: 'Raise the memory limit' }).waitFor();
  await shoot(page, 'quickfix');
  await page.keyboard.press('Escape');
  await sidebarSteps(page);
}

/**
 * The Podscope sidebar on the running demo: the Clusters view with the demo namespace's
 * workloads and their health, then the Restarts and Findings views.
 * @param {import('playwright-core').Page} page
 */
async function sidebarSteps(page) {
  await page.locator('.activitybar .action-item .action-label[aria-label^="Podscope"]').first().click();
  await setSidebarWidth(page, SIDEBAR_WIDTH);
  const pane = (title) => page.locator('.pane', { has: page.locator('.pane-header', { hasText: title }) });
  const clusters = pane('Clusters');
  // The active context, its home namespace and the failing kinds open by themselves.
  await clusters
    .locator('.monaco-list-row', { hasText: 'report-worker' })
    .first()
    .waitFor({ timeout: DEMO_TIMEOUT_MS });
  await clusters.locator('.monaco-list-row', { hasText: 'apache' }).first().waitFor();
  // The lens above the open report-worker.yaml and the tree row read one live model: the picture
  // must show them agreeing (a lens a restart behind the tree was a real bug once).
  const agreeing = async () =>
    page.evaluate(() => {
      const row = [...document.querySelectorAll('.pane .monaco-list-row')].find((r) =>
        (r.getAttribute('aria-label') ?? r.textContent ?? '').includes('report-worker'),
      );
      const lens = [...document.querySelectorAll('.codelens-decoration')]
        .map((l) => l.textContent)
        .join(' | ');
      return { row: row?.textContent ?? '', lens };
    });
  let seen = await agreeing();
  for (const deadline = Date.now() + DEMO_TIMEOUT_MS; ; seen = await agreeing()) {
    const treeRestarts = /(\d+)↻/.exec(seen.row)?.[1];
    if (treeRestarts !== undefined && treeRestarts === /(\d+) restarts?/.exec(seen.lens)?.[1]) break;
    if (Date.now() > deadline) throw new Error(`tree and lens disagree: ${JSON.stringify(seen)}`);
    await page.waitForTimeout(250);
  }
  await page.mouse.move(0, 0);
  await shoot(page, 'tree');

  // Fold the Clusters view so the two others have the room.
  await clusters.locator('.pane-header').click();
  for (const title of ['Restarts', 'Findings']) {
    const header = pane(title).locator('.pane-header');
    if ((await header.getAttribute('aria-expanded')) === 'false') await header.click();
  }
  await pane('Restarts')
    .locator('.monaco-list-row', { hasText: 'report-worker' })
    .first()
    .waitFor({ timeout: DEMO_TIMEOUT_MS });
  await pane('Findings').locator('.monaco-list-row').first().waitFor();
  await shoot(page, 'restarts-findings');
}

/**
 * Drags the sash right of the side bar until the side bar is `width` pixels wide, so the tree's
 * descriptions show whole.
 * @param {import('playwright-core').Page} page
 */
async function setSidebarWidth(page, width) {
  const sidebar = page.locator('.part.sidebar');
  const box = await sidebar.boundingBox();
  if (!box) throw new Error('the side bar is not shown');
  const x = box.x + box.width + 1;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(box.x + width, y, { steps: 5 });
  await page.mouse.up();
}

/**
 * Drags the sash above the panel until the panel is `height` pixels tall.
 * @param {import('playwright-core').Page} page
 */
async function setPanelHeight(page, height) {
  const panel = page.locator('.part.panel');
  const box = await panel.boundingBox();
  if (!box) throw new Error('the panel is not shown');
  // The 4-pixel sash sits just above the panel's top edge.
  const x = box.x + box.width / 2;
  const y = box.y - 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x, y + box.height - height, { steps: 5 });
  await page.mouse.up();
  await page.waitForFunction(
    ([element, wanted]) => Math.abs((element?.getBoundingClientRect().height ?? 0) - wanted) <= 2,
    /** @type {[Element | null, number]} */ ([await panel.elementHandle(), height]),
  );
}

async function main() {
  mkdirSync(outDir, { recursive: true });
  await withWorkbench(
    {
      folder: demoWorkspace,
      viewport: { width: 1280, height: 900 },
      settings: { 'terminal.integrated.gpuAcceleration': 'off' },
    },
    demoSteps,
  );
  await withWorkbench(
    {
      folder: demoWorkspace,
      // Tall enough for the hover above the memory limit to show its evidence.
      viewport: { width: 1280, height: 1000 },
      settings: { 'podscope.context': 'podscope-demo', 'workbench.startupEditor': 'none' },
    },
    editorSteps,
  );
}

try {
  await main();
} catch (error) {
  process.stderr.write(`[screenshots] ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
process.exit(); // with process.exitCode; nothing left open may keep it alive
