// wall.test.js — the camera wall in a real browser.
// Launches Debian's /usr/bin/chromium headless, logs in on the main page,
// follows the "Mur d'images" link, and checks: only the cameras of
// /api/v1/cameras are shown, each <img> receives pictures from the wall
// stream (naturalWidth > 0 and several frames), the layouts 2x2/3x3/4x4
// change the grid, English switch, a tablet-width layout; no CSP
// violation, no request outside the server.  Screenshots under $OUT.
// Environment: VIGIE_URL, VIGIE_USER, VIGIE_PASSWORD, OUT (default build/browser).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const URL_ = process.env.VIGIE_URL || 'http://127.0.0.1:8080/';
const OUT = process.env.OUT || path.resolve(__dirname, '../../build/browser');
const USER = process.env.VIGIE_USER || 'op';
const PASSWORD = process.env.VIGIE_PASSWORD;
let failures = 0, passes = 0;

function check(cond, what) {
  if (cond) { passes++; console.log('ok   ' + what); } else { failures++; console.log('FAIL ' + what); }
}

// page.waitForFunction evaluates a string inside the page, which the CSP
// (no 'unsafe-eval') refuses: poll with page.evaluate instead.
async function waitFor(page, fn, what, timeout) {
  const end = Date.now() + (timeout || 30000);
  for (;;) {
    if (await page.evaluate(fn)) return;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await page.waitForTimeout(200);
  }
}

async function imgState(page) {
  return page.$$eval('#wall-grid img', (imgs) => imgs.map((i) => ({
    camera: i.dataset.camera, w: i.naturalWidth, h: i.naturalHeight, frames: +(i.dataset.frames || 0),
    src: i.src.slice(0, 5)
  })));
}

async function main() {
  fs.mkdirSync(OUT, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: { width: 1280, height: 800 }, locale: 'fr-FR'
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith(URL_.replace(/\/$/, '')) && !r.url().startsWith('blob:')) problems.push('outside request ' + r.url()); });
  try {
    await page.goto(URL_);
    await page.waitForSelector('#login-form');
    await page.fill('#login-user', USER);
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#nav-wall:not([hidden])', { timeout: 30000 });
    check(await page.textContent('#nav-wall') === "Mur d'images", 'the main page links to the wall (FR)');
    await page.click('#nav-wall');
    await page.waitForSelector('body[data-wall="streaming"]', { timeout: 30000 });
    const api = await page.evaluate(async () => (await (await fetch('/api/v1/cameras')).json()).cameras.map((c) => c.name));
    const shown = await page.$$eval('#wall-grid figure.cell[data-camera]', (cs) => cs.map((c) => c.dataset.camera));
    check(JSON.stringify(shown) === JSON.stringify(api) && api.length > 0,
      `cells = the user's cameras (${shown.join(',')} / API ${api.join(',')})`);
    // A is recorded live (new pictures keep coming); C is a still picture
    await waitFor(page, () => Array.from(document.querySelectorAll('#wall-grid img'))
      .every((i) => i.naturalWidth > 0 && +(i.dataset.frames || 0) >= (i.dataset.camera === 'A' ? 5 : 1)),
      'pictures in every cell, several for the live camera');
    let st = await imgState(page);
    check(st.every((s) => s.w === 640 && s.h === 360 && s.src === 'blob:'),
      'every <img> shows a 640x360 picture from the wall stream: ' + JSON.stringify(st));
    const cap = await page.textContent('#wall-grid figure.cell figcaption');
    check(/centre/.test(cap), 'caption has camera name and area: ' + cap);
    await page.screenshot({ path: path.join(OUT, 'wall-fr.png') });

    await page.click('#wall-grid figure.cell[data-camera="A"]');
    const focused = await page.$eval('#wall-grid', (g) => ({
      focus: g.classList.contains('focus'),
      visible: Array.from(g.querySelectorAll('figure.cell')).filter((c) => c.offsetParent !== null).map((c) => c.dataset.camera)
    }));
    check(focused.focus && JSON.stringify(focused.visible) === '["A"]', 'a click enlarges one camera: ' + JSON.stringify(focused));
    await page.screenshot({ path: path.join(OUT, 'wall-focus.png') });
    await page.click('#wall-grid figure.cell[data-camera="A"]');
    check(!(await page.$eval('#wall-grid', (g) => g.classList.contains('focus'))), 'a second click goes back to the grid');

    await page.selectOption('#wall-layout', '3');
    await waitFor(page, () => document.querySelectorAll('#wall-grid.g3 figure.cell').length === 9, '3x3 grid');
    await page.waitForSelector('body[data-wall="streaming"]');
    await waitFor(page, () => Array.from(document.querySelectorAll('#wall-grid img'))
      .every((i) => i.naturalWidth > 0), 'pictures after the layout change');
    check(true, '3x3 layout: 9 cells, pictures again');
    await page.selectOption('#wall-layout', '4');
    await waitFor(page, () => document.querySelectorAll('#wall-grid.g4 figure.cell').length === 16, '4x4 grid');
    check(true, '4x4 layout: 16 cells');
    const cols = await page.$eval('#wall-grid', (g) => getComputedStyle(g).gridTemplateColumns.split(' ').length);
    check(cols === 4, `4x4 on a 1280 px screen has 4 columns (${cols})`);

    await page.click('#lang');
    await page.waitForSelector('html[lang="en"]');
    check(await page.textContent('.wall-title') === 'Camera wall', 'switched to English');
    await page.screenshot({ path: path.join(OUT, 'wall-en.png') });

    await page.setViewportSize({ width: 768, height: 1024 });
    await page.waitForTimeout(300);
    const tcols = await page.$eval('#wall-grid', (g) => getComputedStyle(g).gridTemplateColumns.split(' ').length);
    const cell = await page.$eval('#wall-grid figure.cell', (c) => c.getBoundingClientRect().width);
    check(tcols === 2 && cell > 300, `tablet width (768 px): 2 columns, cells ${Math.round(cell)} px wide`);
    await page.screenshot({ path: path.join(OUT, 'wall-tablet.png') });

    const csp = problems.filter((p) => /Content Security Policy|outside request/.test(p));
    check(csp.length === 0, 'no CSP violation and no request outside the server' + (csp.length ? ': ' + csp.join(' | ') : ''));
    const other = problems.filter((p) => !/status of 401/.test(p));
    check(other.length === 0, 'no console errors' + (other.length ? ': ' + other.join(' | ') : ''));
  } catch (e) {
    failures++;
    console.log('FAIL ' + e.message);
    await page.screenshot({ path: path.join(OUT, 'wall-failure.png'), fullPage: true }).catch(() => {});
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`browser: ${passes} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}

main();
