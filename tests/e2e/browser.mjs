// Headless Chromium (Debian's) through playwright-core from web/node_modules, plus an axe-core check.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const webRequire = createRequire(path.resolve(here, '../../web/package.json'));
const { chromium } = webRequire('playwright-core');
export const axePath = webRequire.resolve('axe-core/axe.min.js');
export const screenshotDir = path.join(here, 'screenshots');

export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-quic',
      '--disable-sync',
    ],
  });
}

/** Runs axe on the page; returns serious/critical violations (and prints them). */
export async function axeCheck(page, label) {
  await page.addScriptTag({ path: axePath });
  const result = await page.evaluate(async () => {
    // @ts-ignore axe is injected above
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target.join(' '), summary: n.failureSummary })),
    }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const minor = result.filter((v) => !bad.includes(v));
  if (minor.length) console.log(`axe [${label}] minor/moderate: ${minor.map((v) => v.id).join(', ')}`);
  if (bad.length) console.log(`axe [${label}] serious/critical violations:\n${JSON.stringify(bad, null, 2)}`);
  return bad;
}

/** Saves the visible viewport as NAME.png and the whole page as NAME-full.png. */
export async function screenshot(page, name) {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
  await page.screenshot({ path: path.join(screenshotDir, `${name}-full.png`), fullPage: true });
}
