// logbook.test.js — the "Main courante" form, the review queue and the
// retention panel in a real browser (Debian's /usr/bin/chromium headless).
// As the operator: fill the form with a text holding a planted name after
// "M." and a phone number, check the page shows [NOM]/[TEL] and neither
// original.  As the analyst: the entry is in the review queue when it was
// sent there; choose another category and press the button; the API then
// gives the new category.  As the admin: set the retention policy in the
// administration view; GET /api/v1/retention returns it; the analyst's PUT
// gets 403.  Writes $OUT/result.json ({incident_id, review}) for the shell
// script, which greps the store and the audit trail for the planted strings.
// Environment: VIGIE_URL, VIGIE_PASSWORD (all users), VIGIE_OPERATOR,
// VIGIE_ANALYST, VIGIE_ADMIN, PLANTED_NAME, PLANTED_PHONE, LON, LAT, OUT.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const URL_ = process.env.VIGIE_URL || 'http://127.0.0.1:8080/';
const OUT = process.env.OUT || path.resolve(__dirname, '../../build/browser');
const PW = process.env.VIGIE_PASSWORD;
const NAME = process.env.PLANTED_NAME || 'Zwemmerbachsky';
const PHONE = process.env.PLANTED_PHONE || '06 47 58 69 21';
let failures = 0, passes = 0;

function check(cond, what) {
  if (cond) { passes++; console.log('ok   ' + what); } else { failures++; console.log('FAIL ' + what); }
}

async function login(page, user) {
  await page.goto(URL_);
  await page.waitForSelector('#login-form');
  await page.fill('#login-user', user);
  await page.fill('#login-password', PW);
  await page.click('#login-submit');
  await page.waitForSelector('#nav:not([hidden])');
}

async function logout(page) {
  await page.click('#logout');
  await page.waitForSelector('#login-form');
}

async function fetchJson(page, method, p, body) {
  return page.evaluate(async ([m, u, b]) => {
    const me = await (await fetch('/api/v1/me')).json();
    const r = await fetch('/api/v1' + u, { method: m, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf },
      body: b === null ? undefined : JSON.stringify(b) });
    let data = null;
    try { data = await r.json(); } catch (e) { data = null; }
    return { status: r.status, data };
  }, [method, p, body === undefined ? null : body]);
}

async function operatorEntry(page) {
  await login(page, process.env.VIGIE_OPERATOR);
  await page.click('#nav button[data-view="logbook"]');
  await page.waitForSelector('body[data-logbook-state="ready"]');
  await page.fill('#lb-from', '2026-11-20T22:15');
  await page.selectOption('#lb-source', 'logbook');
  await page.selectOption('#lb-origin', 'reported');
  await page.fill('#lb-lon', process.env.LON || '-87.6298');
  await page.fill('#lb-lat', process.env.LAT || '41.8781');
  await page.fill('#lb-text', `Appel de M. ${NAME} au ${PHONE} pour un probleme pas clair`);
  await page.click('#lb-submit');
  await page.waitForSelector('body[data-logbook-state="stored"], body[data-logbook-state="error"]', { timeout: 30000 });
  const shown = await page.textContent('#lb-r-text');
  const err = await page.textContent('#lb-error');
  check(/\[NOM\]/.test(shown) && /\[TEL\]/.test(shown), `the page shows the scrubbed text: ${shown}${err ? ' / ' + err : ''}`);
  const html = await page.content();
  check(!html.includes(NAME) && !html.includes(PHONE), 'neither the planted name nor the phone number is on the page');
  check(await page.inputValue('#lb-text') === '', 'the text field is emptied once stored');
  const review = !(await page.$eval('#lb-r-review', (e) => e.hidden));
  const idText = await page.textContent('#lb-r-id');
  const m = /#(\d+)/.exec(idText);
  await page.screenshot({ path: path.join(OUT, 'logbook-form.png'), fullPage: true });
  // a refused entry: the DST gap of 29 March 2026 in Paris
  await page.fill('#lb-from', '2026-03-29T02:30');
  await page.fill('#lb-text', 'essai');
  await page.click('#lb-submit');
  await page.waitForSelector('body[data-logbook-state="error"]', { timeout: 30000 });
  check(/occurred_from|does not exist/.test(await page.textContent('#lb-error')), 'a time in the DST gap is refused with its field');
  // English, then back to French
  await page.click('#lang');
  for (let i = 0; i < 50 && await page.textContent('#lb-submit') !== 'Save'; i++) await page.waitForTimeout(100);
  check(await page.textContent('#lb-submit') === 'Save' && await page.textContent('#nav button[data-view="logbook"]') === 'Logbook',
    'the form switches to English');
  await page.click('#lang');
  for (let i = 0; i < 50 && await page.textContent('#lb-submit') !== 'Enregistrer'; i++) await page.waitForTimeout(100);
  await logout(page);
  return { incident: m ? Number(m[1]) : 0, review };
}

async function analystReview(page, entry) {
  await login(page, process.env.VIGIE_ANALYST);
  await page.click('#nav button[data-view="review"]');
  await page.waitForSelector('body[data-review-state="ready"]');
  const row = `#review-table tr[data-incident="${entry.incident}"]`;
  const inQueue = (await page.$(row)) !== null;
  check(inQueue === entry.review, `the entry is in the review queue exactly when it was sent there (review=${entry.review})`);
  if (inQueue) {
    const cur = await page.$eval(row + ' select', (s) => s.value);
    const target = cur === 'troubles_tranquillite' ? 'autre' : 'troubles_tranquillite';
    await page.selectOption(row + ' select', target);
    check(/Corriger/.test(await page.textContent(row + ' button')), 'the button says "Corriger" for another category');
    await page.screenshot({ path: path.join(OUT, 'logbook-review.png'), fullPage: true });
    await page.click(row + ' button');
    await page.waitForSelector(row, { state: 'detached', timeout: 10000 });
    const r = await fetchJson(page, 'GET', '/review?id=' + entry.incident);
    check(r.status === 200 && r.data.rows[0].category === target && r.data.rows[0].status === 'corrected' &&
      r.data.rows[0].analyst === process.env.VIGIE_ANALYST, `the API gives the corrected category ${target}`);
  }
  const put = await fetchJson(page, 'PUT', '/retention', { policy: 'logbook=1' });
  check(put.status === 403, `an analyst's PUT /retention is refused (${put.status})`);
  await logout(page);
}

async function adminRetention(page) {
  await login(page, process.env.VIGIE_ADMIN);
  await page.waitForSelector('body[data-retention-state="ready"]');
  await page.fill('#ret-policy', 'incident=forever,logbook=365,partner=180');
  await page.click('#ret-submit');
  for (let i = 0; i < 50 && !(await page.textContent('#ret-info')); i++) await page.waitForTimeout(100);
  const r = await fetchJson(page, 'GET', '/retention');
  check(r.status === 200 && r.data.policy.logbook === 365 && r.data.policy.partner === 180 && r.data.policy.incident === null,
    'the admin sets the policy in the page and GET /retention returns it');
  const shown = await page.textContent('#ret-table tr[data-type="logbook"] td.num');
  check(shown === '365', `the table shows 365 days for logbook (${shown})`);
  await page.screenshot({ path: path.join(OUT, 'retention.png'), fullPage: true });
  await logout(page);
}

async function main() {
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
  page.on('pageerror', (e) => problems.push(String(e)));
  try {
    const entry = await operatorEntry(page);
    fs.writeFileSync(path.join(OUT, 'logbook-result.json'), JSON.stringify(entry));
    await analystReview(page, entry);
    await adminRetention(page);
    check(problems.length === 0, 'no script errors' + (problems.length ? ': ' + problems.join(' | ') : ''));
  } catch (e) {
    failures++;
    console.log('FAIL ' + (e && e.stack || e));
  } finally {
    await ctx.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  console.log(`${passes} passed, ${failures} failed`);
  process.exit(failures ? 1 : 0);
}

main();
