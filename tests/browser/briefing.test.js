// briefing.test.js — the night-shift briefing in a real browser.
// Launches Debian's /usr/bin/chromium headless (fresh profile, no network
// beyond the server under test), logs in, opens the briefing, checks that
// the map draws every area of the API's layer and that the list of places
// is the API's list in the API's order, switches to English, prints the
// briefing to PDF (1-2 A4 pages) and leaves screenshots under $OUT.
// Then, as an analyst: the map view (every area drawn, recoloured when the
// month slider moves, legend, risk per area and on a 500 m grid), the statistics charts (7 x 24 heat map cells
// = the API's weekday x hour counts) and the models view (status text = the
// API's gate decision), with screenshots of each.  Also checks that the
// French and English dictionaries have the same keys and cover every key
// the page and scripts use.
// Environment: VIGIE_URL, VIGIE_USER, VIGIE_PASSWORD, VIGIE_ANALYST,
// VIGIE_ANALYST_PASSWORD (analyst part skipped when unset), VIGIE_AUDITOR (an auditor with
// the analyst's password; skipped when unset), OUT (default build/browser).
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const URL_ = process.env.VIGIE_URL || 'http://127.0.0.1:8080/';
const OUT = process.env.OUT || path.resolve(__dirname, '../../build/browser');
const USER = process.env.VIGIE_USER || 'demo';
const PASSWORD = process.env.VIGIE_PASSWORD;
const ANALYST = process.env.VIGIE_ANALYST;
const ANALYST_PASSWORD = process.env.VIGIE_ANALYST_PASSWORD;
const AUDITOR = process.env.VIGIE_AUDITOR; // same password as the analyst
const WEB = path.resolve(__dirname, '../../web');
let failures = 0, passes = 0;

function check(cond, what) {
  if (cond) { passes++; console.log('ok   ' + what); } else { failures++; console.log('FAIL ' + what); }
}

// fr.json and en.json have the same keys, and every key used is in them
function checkDictionaries() {
  const fr = JSON.parse(fs.readFileSync(path.join(WEB, 'i18n/fr.json'), 'utf8'));
  const en = JSON.parse(fs.readFileSync(path.join(WEB, 'i18n/en.json'), 'utf8'));
  const onlyFr = Object.keys(fr).filter((k) => !(k in en));
  const onlyEn = Object.keys(en).filter((k) => !(k in fr));
  check(onlyFr.length === 0 && onlyEn.length === 0 && Object.keys(fr).length > 50,
    `fr.json and en.json have the same ${Object.keys(fr).length} keys` +
    (onlyFr.length + onlyEn.length ? ` (only fr: ${onlyFr.join(', ')}; only en: ${onlyEn.join(', ')})` : ''));
  const used = new Set();
  for (const f of fs.readdirSync(WEB).filter((n) => /\.(html|js)$/.test(n))) {
    const text = fs.readFileSync(path.join(WEB, f), 'utf8');
    for (const m of text.matchAll(/data-i18n="([^"]+)"|\bt\('([a-z_]+\.[a-z_.]+|[a-z]+)'\)/g)) used.add(m[1] || m[2]);
  }
  const missing = [...used].filter((k) => !(k in fr) || !(k in en));
  check(used.size > 50 && missing.length === 0, `the ${used.size} keys used by the page are in both dictionaries` +
    (missing.length ? ': missing ' + missing.join(', ') : ''));
}

async function login(page, user, password) {
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
}

async function checkModels(page, who, shift) {
  await page.click('#nav button[data-view="models"]');
  await page.waitForSelector('body[data-models-state="ready"]', { timeout: 60000 });
  if (shift && shift !== await page.$eval('#mo-shift', (e) => e.value)) {
    await page.selectOption('#mo-shift', shift);
    await page.waitForSelector('body[data-models-state="ready"]', { timeout: 60000 });
  }
  shift = shift || 'night';
  const shown = await page.$$eval('#models-status tbody tr', (trs) => trs.map((tr) => ({
    category: tr.dataset.category, text: tr.querySelector('.model-status').textContent })));
  const api = await page.evaluate(async ([cats, sh]) => {
    const out = [];
    for (const c of cats) out.push(await (await fetch(`/api/v1/models/status?shift=${sh}&category=${c}`)).json());
    const m = await (await fetch('/api/v1/models')).json();
    return { status: out, models: m.models.map((x) => x.name) };
  }, [shown.map((s) => s.category), shift]);
  const agree = shown.length > 0 && shown.every((s, i) => {
    const a = api.status[i];
    if (a.category !== s.category) return false;
    if (a.published) return s.text.includes(a.published) && (!a.evidence || s.text.includes(a.evidence));
    return s.text.includes(a.baseline || 'average') && (!a.refusal || s.text.includes(a.refusal)) &&
      /Aucun modèle publié|No model published/.test(s.text);
  });
  check(agree, `${who}: models status text = API gate decision (${shift}) for ${shown.length} categories (${shown.map((s) => s.text).join(' | ')})`);
  // the integration script leaves a gate decision of each kind in the store
  if (process.env.VIGIE_GATE_FIXTURE) {
    const kinds = api.status.map((a) => (a.published ? 'published' : a.refusal ? 'refused' : 'none'));
    check(kinds.includes(shift === 'day' ? 'published' : 'refused'), `${who}: the fixture's ${shift} decision is shown (${kinds.join(', ')})`);
  }
  const cards = await page.$$eval('.model-card', (cs) => cs.map((c) => c.dataset.model));
  check(cards.length > 0 && JSON.stringify(cards) === JSON.stringify(api.models), `${who}: every model listed with its parameters (${cards.length})`);
  // summaries and parameter help in the page's language (fr.json / en.json), not the API's English
  const lang = await page.$eval('html', (h) => h.lang);
  const dict = await page.evaluate(async (l) => (await fetch(`/i18n/${l}.json`)).json(), lang);
  const texts = await page.$$eval('.model-card', (cs) => cs.map((c) => ({ model: c.dataset.model,
    summary: c.querySelector('p').textContent, help: [...c.querySelectorAll('table.params tbody tr')]
      .map((tr) => [tr.cells[0].textContent, tr.cells[4].textContent]) })));
  const untranslated = texts.filter((c) => c.summary !== dict['model.' + c.model] ||
    c.help.some(([p, h]) => h !== dict['param.' + c.model + '.' + p])).map((c) => c.model);
  check(untranslated.length === 0, `${who}: model summaries and parameter help in ${lang}` +
    (untranslated.length ? ` (not for ${untranslated.join(', ')})` : ` (${texts.length} models)`));
}

async function checkMap(page) {
  await page.click('#nav button[data-view="map"]');
  await page.waitForSelector('body[data-map-state="ready"]', { timeout: 60000 });
  const areas = await page.evaluate(async () => (await (await fetch('/api/v1/areas')).json()).features.length);
  const fills = () => page.$$eval('#areamap path.choro-shape', (ps) => ps.map((p) => p.getAttribute('fill')));
  const before = await fills();
  check(areas === 77 && before.length === areas, `map view draws the ${areas} areas (drew ${before.length})`);
  const legend = await page.$$eval('#m-legend ul.legend li', (li) => li.length);
  check(legend >= 3, `map legend present (${legend} classes)`);
  // the shown values are the API's counts for the slider's month
  const month = async () => page.$eval('#m-month-label', (o) => o.textContent);
  const agree = async () => page.evaluate(async () => {
    const sl = document.querySelector('#m-month');
    const r = await (await fetch('/api/v1/categories')).json();
    let [y, m] = r.first_month.split('-').map(Number);
    m += Number(sl.value);
    y += Math.floor((m - 1) / 12); m = ((m - 1) % 12) + 1;
    const ym = y + '-' + String(m).padStart(2, '0');
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const cat = document.querySelector('#m-category').value;
    const s = await (await fetch(`/api/v1/stats?by=area&from=${ym}-01&to=${ym}-${last}&category=${cat}`)).json();
    const want = {};
    s.rows.forEach((row) => { if (row.area_id) want[row.area_id] = row.count; });
    const got = Array.from(document.querySelectorAll('#areamap path.choro-shape')).map((p) => [p.dataset.area, Number(p.dataset.value)]);
    return got.length > 0 && got.every(([id, v]) => (want[id] || 0) === v);
  });
  check(await agree(), 'map values = API counts per area for ' + await month());
  await page.screenshot({ path: path.join(OUT, 'map-fr.png'), fullPage: true });
  const v0 = await page.evaluate(() => document.body.dataset.mapVersion);
  await page.$eval('#m-month', (sl) => { sl.value = String(Math.max(0, Number(sl.max) - 30)); sl.dispatchEvent(new Event('input')); sl.dispatchEvent(new Event('change')); });
  // the CSP forbids eval, so poll instead of page.waitForFunction
  for (let i = 0; i < 300; i++) {
    const st = await page.evaluate(() => [document.body.dataset.mapVersion, document.body.dataset.mapState]);
    if (st[0] !== v0 && st[1] === 'ready') break;
    await page.waitForTimeout(200);
  }
  const after = await fills();
  const changed = after.filter((f, i) => f !== before[i]).length;
  check(changed > 0, `moving the slider to ${await month()} recolours the areas (${changed} of ${after.length} changed)`);
  check(await agree(), 'map values = API counts per area after the slider moved');
  await page.screenshot({ path: path.join(OUT, 'map-slider-fr.png'), fullPage: true });
  // colour by risk: the values are the forecast's expected counts per area
  const v1 = await page.evaluate(() => document.body.dataset.mapVersion);
  await page.selectOption('#m-mode', 'risk');
  for (let i = 0; i < 300; i++) {
    const st = await page.evaluate(() => [document.body.dataset.mapVersion, document.body.dataset.mapState]);
    if (st[0] !== v1 && st[1] === 'ready') break;
    await page.waitForTimeout(200);
  }
  const risk = await page.evaluate(async () => {
    const date = (document.querySelector('#m-info').textContent.match(/\d{4}-\d{2}-\d{2}/) || [''])[0];
    const cat = document.querySelector('#m-category').value;
    const fc = await (await fetch(`/api/v1/forecast?category=${cat}&date=${date}&units=areas&shift=night`)).json();
    const want = {};
    fc.features.forEach((f) => { want[f.properties.area_id] = f.properties.expected; });
    const got = Array.from(document.querySelectorAll('#areamap path.choro-shape')).map((p) => [p.dataset.area, Number(p.dataset.value)]);
    return { date, n: got.length, bad: got.filter(([id, v]) => Math.abs((want[id] || 0) - v) > 1e-12).length };
  });
  check(risk.date && risk.n === 77 && risk.bad === 0, `risk layer = forecast expected counts per area for the night of ${risk.date} (${risk.bad} differ)`);
  await page.screenshot({ path: path.join(OUT, 'map-risk-fr.png'), fullPage: true });
  // the same risk on a 500 m grid: one shape per forecast cell
  const v2 = await page.evaluate(() => document.body.dataset.mapVersion);
  await page.selectOption('#m-units', 'grid:500');
  for (let i = 0; i < 300; i++) {
    const st = await page.evaluate(() => [document.body.dataset.mapVersion, document.body.dataset.mapState]);
    if (st[0] !== v2 && st[1] === 'ready') break;
    await page.waitForTimeout(200);
  }
  const grid = await page.evaluate(async (date) => {
    const cat = document.querySelector('#m-category').value;
    const fc = await (await fetch(`/api/v1/forecast?category=${cat}&date=${date}&units=grid:500&shift=night`)).json();
    return { api: fc.features.length, drawn: document.querySelectorAll('#areamap path.grid-shape').length };
  }, risk.date);
  check(grid.api > 100 && grid.drawn === grid.api, `risk on a 500 m grid draws the ${grid.api} cells of the forecast (drew ${grid.drawn})`);
  await page.screenshot({ path: path.join(OUT, 'map-grid-fr.png'), fullPage: true });
  await page.selectOption('#m-units', 'areas');
  await page.selectOption('#m-mode', 'count');
}

async function checkStats(page) {
  await page.click('#nav button[data-view="stats"]');
  await page.waitForSelector('body[data-charts-state="ready"]', { timeout: 60000 });
  const cells = await page.$$eval('#chart-heat rect.hm-cell', (rs) => rs.map((r) => [Number(r.dataset.row), Number(r.dataset.col), Number(r.dataset.value)]));
  const api = await page.evaluate(async () => {
    const f = document.querySelector('#stats-form');
    const q = new URLSearchParams({ by: 'weekday,hour', from: f.elements.from.value, to: f.elements.to.value });
    if (f.elements.category.value) q.set('category', f.elements.category.value);
    return (await (await fetch('/api/v1/stats?' + q)).json()).rows;
  });
  const want = {};
  api.forEach((r) => { want[(Number(r.weekday) - 1) + ':' + r.hour] = r.count; });
  const bad = cells.filter(([r, c, v]) => (want[r + ':' + c] || 0) !== v);
  const sum = cells.reduce((n, x) => n + x[2], 0);
  if (bad.length) console.log('     cells ' + JSON.stringify(cells.slice(0, 5)) + ' api ' + JSON.stringify(api.slice(0, 3)));
  check(cells.length === 7 * 24 && bad.length === 0 && sum > 0,
    `heat map has 7x24 cells = API weekday x hour counts (${cells.length} cells, ${bad.length} differ, total ${sum})`);
  const pts = await page.$$eval('#chart-trend circle.pt', (c) => c.length);
  const bars = await page.$$eval('#chart-areas rect.bar', (c) => c.length);
  check(pts >= 20 && bars > 0, `trend chart (${pts} points, this period and the year before) and area bars (${bars})`);
  await page.screenshot({ path: path.join(OUT, 'stats-fr.png'), fullPage: true });
}

async function analystViews(page) {
  await page.click('#logout');
  await page.waitForSelector('#login-form');
  await login(page, ANALYST, ANALYST_PASSWORD);
  await page.waitForSelector('body[data-briefing="ready"]', { timeout: 120000 });
  await checkMap(page);
  await checkStats(page);
  await checkModels(page, 'analyst', 'day');
  await page.screenshot({ path: path.join(OUT, 'models-day-fr.png'), fullPage: true });
  await checkModels(page, 'analyst', 'night');
  await page.screenshot({ path: path.join(OUT, 'models-fr.png'), fullPage: true });
  await page.click('#lang');
  await page.waitForSelector('html[lang="en"]');
  await page.waitForSelector('body[data-models-state="ready"]', { timeout: 60000 });
  check(await page.textContent('#nav button[data-view="map"]') === 'Map' &&
        await page.textContent('#view-models h3') === 'Publication per category', 'models view in English');
  await page.screenshot({ path: path.join(OUT, 'models-en.png'), fullPage: true });
  await page.click('#nav button[data-view="map"]');
  await page.waitForSelector('body[data-map-state="ready"]', { timeout: 60000 });
  await page.screenshot({ path: path.join(OUT, 'map-en.png'), fullPage: true });
  await page.click('#nav button[data-view="stats"]');
  await page.waitForSelector('body[data-charts-state="ready"]', { timeout: 60000 });
  check(await page.textContent('#view-stats figcaption') === 'Incidents by weekday and hour', 'stats charts in English');
  await page.screenshot({ path: path.join(OUT, 'stats-en.png'), fullPage: true });
}

// the auditor: the Models page, and the audit page opens with the trail's own proof
async function auditorViews(page) {
  await page.click('#logout');
  await page.waitForSelector('#login-form');
  await login(page, AUDITOR, ANALYST_PASSWORD);
  await page.waitForSelector('#nav button[data-view="audit"]');
  await checkModels(page, 'auditor');
  await page.click('#nav button[data-view="audit"]');
  await page.waitForSelector('#audit-verify[data-intact]', { timeout: 60000 });
  const lang = await page.$eval('html', (h) => h.lang);
  const dict = await page.evaluate(async (l) => (await fetch(`/i18n/${l}.json`)).json(), lang);
  const txt = await page.textContent('#audit-verify');
  const api = await page.evaluate(async () => (await fetch('/api/v1/audit/verify')).json());
  check(api.intact === true && (await page.$eval('#audit-verify', (e) => e.dataset.intact)) === 'true' &&
        txt.startsWith(dict['audit.intact']) && txt.includes(String(api.signed_through)),
        `auditor: audit page shows the trail verified (${txt})`);
  // audit times in the town's zone (the API's UTC instants, converted like the page does)
  const api2 = await page.evaluate(async () => {
    const me = await (await fetch('/api/v1/me')).json();
    const a = await (await fetch('/api/v1/audit?limit=1000')).json();
    return { tz: me.tz, times: a.entries.map((x) => x.time) };
  });
  const cells = await page.$$eval('#audit-table tbody tr td:first-child', (tds) => tds.map((td) => td.textContent));
  const local = new Set(api2.times.map((x) => new Date(x).toLocaleString(lang === 'en' ? 'en-GB' : 'fr-FR', { timeZone: api2.tz })));
  check(api2.tz === 'America/Chicago' && cells.length > 0 && cells.every((c) => local.has(c)),
    `auditor: the ${cells.length} audit times shown in ${api2.tz} (${cells[0]})`);
  await page.screenshot({ path: path.join(OUT, 'audit-' + lang + '.png'), fullPage: true });
}

async function main() {
  checkDictionaries();
  fs.mkdirSync(OUT, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'vigie-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
           '--disable-sync', '--no-first-run', '--disable-quic'],
    viewport: { width: 1280, height: 900 }, locale: 'fr-FR'
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('request', (r) => { if (!r.url().startsWith(URL_.replace(/\/$/, ''))) problems.push('outside request ' + r.url()); });
  try {
    await page.goto(URL_);
    await page.waitForSelector('#login-form');
    check(await page.textContent('#login-submit') === 'Se connecter', 'login page in French first');
    await page.fill('#login-user', USER);
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('body[data-briefing="ready"]', { timeout: 120000 });
    await page.waitForSelector('body[data-areas]', { timeout: 30000 });
    const api = await page.evaluate(async () => {
      const a = await (await fetch('/api/v1/areas')).json();
      const date = document.querySelector('#b-date').value;
      const b = await (await fetch('/api/v1/briefing?date=' + date + '&shift=night')).json();
      return { areas: a.features.length, briefing: b };
    });
    const drawn = await page.$$eval('path.area-shape', (ps) => ps.length);
    check(api.areas > 0 && drawn === api.areas, `map draws the ${api.areas} areas of the API (drew ${drawn})`);
    const places = await page.$$eval('path.place-shape', (ps) => ps.length);
    const apiPlaces = api.briefing.sections.reduce((n, s) => n + (s.forecast ? s.forecast.features.length : 0), 0);
    check(apiPlaces > 0 && places === apiPlaces, `map draws the ${apiPlaces} forecast places (drew ${places})`);
    const listed = await page.$$eval('.brief-section', (secs) => secs.map((s) => ({
      category: s.dataset.category,
      units: Array.from(s.querySelectorAll('tbody tr')).map((tr) => tr.dataset.unit),
      areas: Array.from(s.querySelectorAll('tbody tr td:nth-child(3)')).map((td) => td.textContent)
    })));
    const expected = api.briefing.sections.map((s) => ({
      category: s.category,
      units: s.forecast ? s.forecast.features.map((f) => f.properties.id) : [],
      areas: s.forecast ? s.forecast.features.map((f) => f.properties.area_name || f.properties.area_id || '–') : []
    }));
    check(JSON.stringify(listed) === JSON.stringify(expected), 'briefing list = API list, same order, same area names');
    const evidence = await page.textContent('.brief-section .evidence');
    const unpublished = api.briefing.sections.some((s) => !s.published);
    // without a published model the list is the naive baseline's, and says so
    const baseline = api.briefing.sections.some((s) => s.baseline_shown);
    check(!unpublished || /Non publié|Aucun modèle n'a passé/.test(evidence), 'unpublished model says so (FR): ' + evidence);
    check(!baseline || /référence naïve \(/.test(evidence), 'baseline list names the baseline (FR)');
    await page.screenshot({ path: path.join(OUT, 'briefing-fr.png'), fullPage: true });

    await page.click('#lang');
    await page.waitForSelector('html[lang="en"]');
    check(await page.textContent('#nav button[data-view="briefing"]') === 'Briefing' &&
          await page.textContent('.brief-section thead th:nth-child(1)') === 'Rank', 'switched to English');
    check(/Not published|No model has passed/.test(await page.textContent('.brief-section .evidence')) || !unpublished, 'evidence line in English');
    await page.screenshot({ path: path.join(OUT, 'briefing-en.png'), fullPage: true });

    await page.click('#lang');
    await page.waitForSelector('html[lang="fr"]');
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: path.join(OUT, 'briefing-print.png'), fullPage: true });
    const pdfPath = path.join(OUT, 'briefing.pdf');
    await page.pdf({ path: pdfPath, format: 'A4', printBackground: true });
    const pdf = fs.readFileSync(pdfPath, 'latin1');
    const pages = (pdf.match(/\/Type\s*\/Page[^s]/g) || []).length;
    check(pages >= 1 && pages <= 2, `briefing prints on 1-2 A4 pages (${pages})`);
    await page.emulateMedia({ media: 'screen' });
    await checkModels(page, 'operator');
    if (ANALYST && ANALYST_PASSWORD) await analystViews(page);
    else console.log('skip analyst views (VIGIE_ANALYST unset)');
    if (AUDITOR && ANALYST_PASSWORD) await auditorViews(page);
    else console.log('skip auditor views (VIGIE_AUDITOR unset)');
    const csp = problems.filter((p) => /Content Security Policy|outside request/.test(p));
    check(csp.length === 0, 'no CSP violation and no request outside the server' + (csp.length ? ': ' + csp.join(' | ') : ''));
    // the one expected failure: GET /api/v1/me before logging in answers 401
    const other = problems.filter((p) => !/status of 401/.test(p));
    check(other.length === 0, 'no console errors' + (other.length ? ': ' + other.join(' | ') : ''));
  } catch (e) {
    failures++;
    console.log('FAIL ' + e.message);
    await page.screenshot({ path: path.join(OUT, 'failure.png'), fullPage: true }).catch(() => {});
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`browser: ${passes} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}

main();
