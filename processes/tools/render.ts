/**
 * Opens each BPMN file in bpmn-js (headless Chromium), fails on import warnings, and saves a PNG
 * of the whole diagram, to check the generated layout by eye.
 *
 *   npx tsx processes/tools/render.ts [--out dir] [--tile px] processes/*.bpmn
 *
 * Needs a Chromium: CHROMIUM_PATH, else /usr/bin/chromium.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outDir = outIndex >= 0 ? args.splice(outIndex, 2)[1] : '/tmp/svcflow-render';
const tileIndex = args.indexOf('--tile');
const tile = tileIndex >= 0 ? Number(args.splice(tileIndex, 2)[1]) : 0;
mkdirSync(outDir, { recursive: true });

const viewer = require.resolve('bpmn-js/dist/bpmn-viewer.development.js');
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
let failed = false;
try {
  for (const file of args) {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    await page.setContent(
      '<html><body style="margin:0"><div id="canvas" style="width:100%;height:100%"></div></body></html>',
    );
    await page.addScriptTag({ path: viewer });
    const xml = readFileSync(file, 'utf8');
    const result = await page.evaluate(async (source) => {
      // biome-ignore lint/suspicious/noExplicitAny: the moddle descriptors and the page's BpmnJS global are untyped JSON/JS
      const BpmnJS = (window as unknown as { BpmnJS: new (o: object) => any }).BpmnJS;
      const modeler = new BpmnJS({ container: '#canvas' });
      const { warnings } = await modeler.importXML(source);
      const canvas = modeler.get('canvas');
      const box = canvas.getActiveLayer().getBBox();
      return {
        warnings: warnings.map((w: { message: string }) => w.message),
        box: { x: box.x, y: box.y, width: box.width, height: box.height },
      };
    }, xml);
    if (result.warnings.length > 0) {
      failed = true;
      console.error(`${file}: ${result.warnings.length} import warning(s)\n  ${result.warnings.join('\n  ')}`);
    }
    const width = Math.ceil(result.box.width + 40);
    const height = Math.ceil(result.box.height + 40);
    await page.setViewportSize({ width, height });
    await page.evaluate(({ box }) => {
      const el = document.getElementById('canvas')!;
      el.style.width = `${box.width + 40}px`;
      el.style.height = `${box.height + 40}px`;
    }, result);
    await page.evaluate(({ box }) => {
      const svg = document.querySelector('#canvas svg') as SVGSVGElement;
      svg.setAttribute('viewBox', `${box.x - 20} ${box.y - 20} ${box.width + 40} ${box.height + 40}`);
      (svg.querySelector('.viewport') as SVGGElement).setAttribute('transform', '');
    }, result);
    const png = join(outDir, `${basename(file, '.bpmn')}.png`);
    await page.screenshot({ path: png, fullPage: true });
    for (let x = 0, i = 1; tile > 0 && x < width; x += tile, i++) {
      await page.screenshot({
        path: png.replace(/\.png$/, `-${i}.png`),
        clip: { x, y: 0, width: Math.min(tile, width - x), height },
      });
    }
    console.log(
      `${file}: ${result.warnings.length === 0 ? 'imported cleanly' : 'imported with warnings'} → ${png} (${width}×${height})`,
    );
    await page.close();
  }
} finally {
  await browser.close();
}
process.exitCode = failed ? 1 : 0;
