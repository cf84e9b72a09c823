/* vigie web UI — French first, English switchable.  No inline script:
 * this file is loaded with `defer` and wires every handler itself.
 * State lives in `S`; the session cookie is HttpOnly, so the CSRF token
 * returned by /api/v1/login and /api/v1/me is the only secret kept here. */
'use strict';

const S = { me: null, lang: 'fr', dict: {}, cats: [], map: null, areaLayer: null,
            placeLayer: null, incOffset: 0, briefing: null };
const ROLE_VIEWS = {
  operator: ['briefing', 'models', 'logbook'], analyst: ['briefing', 'map', 'incidents', 'stats', 'models', 'logbook', 'review'],
  supervisor: ['briefing', 'map', 'incidents', 'stats', 'models', 'logbook', 'review'], auditor: ['audit', 'incidents', 'models'], admin: ['users']
};
const $ = (sel, root) => (root || document).querySelector(sel);
const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
const t = (k) => S.dict[k] || k;

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of kids) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

async function api(method, path, body, extraHeaders) {
  const h = Object.assign({ 'Accept': 'application/json' }, extraHeaders || {});
  if (method !== 'GET' && S.me) h['X-CSRF-Token'] = S.me.csrf;
  if (body !== undefined) h['Content-Type'] = 'application/json';
  const r = await fetch('/api/v1' + path, { method, headers: h, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) {
    const err = new Error((data && data.message) || r.statusText);
    err.status = r.status;
    throw err;
  }
  return data;
}

async function setLang(lang) {
  const r = await fetch('/i18n/' + lang + '.json');
  S.dict = await r.json();
  S.lang = lang;
  try { localStorage.setItem('vigie.lang', lang); } catch (e) { /* private mode */ }
  document.documentElement.lang = lang;
  $$('[data-i18n]').forEach((e) => { e.textContent = t(e.dataset.i18n); });
  $('#lang').textContent = lang === 'fr' ? 'EN' : 'FR';
  fillCategories();
  if (S.briefing) renderBriefing(S.briefing);
  const cur = $$('.view').find((v) => !v.hidden);
  if (cur && ['view-map', 'view-stats', 'view-models'].includes(cur.id)) show(cur.id.slice(5));
}

function show(view) {
  $$('.view').forEach((v) => { v.hidden = v.id !== 'view-' + view; });
  $$('#nav button').forEach((b) => b.classList.toggle('active', b.dataset.view === view));
  if (view === 'briefing') { initMap(); loadBriefing(); }
  if (view === 'incidents') loadIncidents();
  if (view === 'stats') { statsDefaults(); loadStats(); drawCharts(); }
  if (view === 'map') loadMap();
  if (view === 'models') loadModels();
  if (view === 'users') { loadUsers(); loadRetention(); }
  if (view === 'logbook') loadLogbook();
  if (view === 'review') loadReview();
  if (view === 'audit') loadAudit();
}

function catLabel(c) { return S.lang === 'en' ? c.label_en : c.label_fr; }

function fillCategories() {
  $$('#b-category, .cat-select').forEach((sel) => {
    const keep = sel.value;
    sel.replaceChildren();
    if (sel.id === 'b-category') {
      sel.append(el('option', { value: '' }, t('f.all') + ' (' + (S.defaultCats || []).join(', ') + ')'));
    } else {
      sel.append(el('option', { value: '' }, t('f.all')));
    }
    S.cats.filter((c) => c.events > 0).forEach((c) => sel.append(el('option', { value: c.code }, catLabel(c))));
    sel.value = keep;
  });
}

async function afterLogin(me) {
  S.me = me;
  $('#who').textContent = me.user + ' · ' + me.role;
  $('#logout').hidden = false;
  $('#nav').hidden = false;
  const views = ROLE_VIEWS[me.role] || [];
  $$('#nav button').forEach((b) => { b.hidden = !views.includes(b.dataset.view); });
  $('#nav-wall').hidden = !(me.role === 'operator' || me.role === 'supervisor');
  $$('.purpose').forEach((p) => { p.hidden = !(me.role === 'supervisor' || me.role === 'auditor'); });
  if (views.includes('briefing') || views.includes('incidents') || views.includes('models') || views.includes('logbook')) {
    try {
      const c = await api('GET', '/categories');
      S.cats = c.categories; S.defaultCats = c.default;
      S.range = { first_day: c.first_day, last_day: c.last_day, first_month: c.first_month, last_month: c.last_month };
      fillCategories();
    } catch (e) { /* role without categories */ }
  }
  show(views[0] || 'login');
}

/* ---- map: the town's own areas, no tile server ---- */
// The town's own tiles when the server has a folder of them (--tiles); never
// a tile server on the internet.
function townTiles(map) {
  if (S.me && S.me.tiles) L.tileLayer('/tiles/{z}/{x}/{y}.png', { maxZoom: 19, className: 'town-tiles' }).addTo(map);
}

function initMap() {
  if (S.map || typeof L === 'undefined') return;
  S.map = L.map('map', { zoomControl: true, attributionControl: false, preferCanvas: false });
  S.map.setView([0, 0], 2);
  townTiles(S.map);
  api('GET', '/areas').then((fc) => {
    S.areaLayer = L.geoJSON(fc, {
      style: () => ({ className: 'area-shape', color: '#55606e', weight: 1, fillColor: '#e8ecf1', fillOpacity: 0.6 }),
      onEachFeature: (f, layer) => layer.bindTooltip(f.properties.name, { sticky: true })
    }).addTo(S.map);
    if (fc.features.length) S.map.fitBounds(S.areaLayer.getBounds(), { padding: [8, 8] });
    document.body.dataset.areas = String(fc.features.length);
  }).catch(() => { document.body.dataset.areas = 'error'; });
}

function drawPlaces(sections) {
  if (!S.map) return;
  if (S.placeLayer) S.placeLayer.remove();
  S.placeLayer = L.layerGroup().addTo(S.map);
  sections.forEach((s, si) => {
    if (!s.forecast) return;
    L.geoJSON(s.forecast, {
      style: () => ({ className: 'place-shape cat-' + si, color: '#b00020', weight: 2, fillOpacity: 0.5 }),
      onEachFeature: (f, layer) => {
        const p = f.properties;
        layer.bindTooltip(String(p.rank), { permanent: true, direction: 'center', className: 'rank-label' });
      }
    }).addTo(S.placeLayer);
  });
}

function fmt(x, d) {
  return x === null || x === undefined ? '–' : Number(x).toLocaleString(S.lang === 'en' ? 'en-GB' : 'fr-FR',
    { maximumFractionDigits: d, minimumFractionDigits: d });
}

function renderBriefing(b) {
  const root = $('#briefing-sections');
  root.replaceChildren();
  $('#b-when').textContent = b.date + ' · ' + t('shift.' + b.shift) + ' · ' + b.tz;
  b.sections.forEach((s) => {
    const cat = S.cats.find((c) => c.code === s.category);
    const sec = el('section', { class: 'brief-section', 'data-category': s.category });
    sec.append(el('h3', {}, cat ? catLabel(cat) : s.category));
    if (s.error || !s.forecast) {
      sec.append(el('p', { class: 'note' }, t('briefing.empty') + ' ' + (s.error || '')));
      root.append(sec);
      return;
    }
    const f = s.forecast;
    const lead = s.published ? t('briefing.published')
      : s.baseline_shown ? t('briefing.baseline') + ' (' + s.model + ')' : t('briefing.unpublished');
    sec.append(el('p', { class: s.published ? 'evidence ok' : 'evidence warn' }, lead + ' — ' + s.evidence));
    sec.append(el('p', { class: 'meta' }, t('briefing.window') + ' ' + f.window.start.slice(0, 16).replace('T', ' ') +
      ' → ' + f.window.end.slice(0, 16).replace('T', ' ') + ' · ' + f.model + ' · ' + f.units + ' · ' +
      f.events_used + ' ' + t('briefing.events') + (s.audit_seq ? ' · ' + t('briefing.audit') + ' ' + s.audit_seq : '')));
    const tb = el('tbody');
    f.features.forEach((ft) => {
      const p = ft.properties;
      const why = (p.explain || []).slice(0, 2).map((x) => x.what).join(' ; ');
      tb.append(el('tr', { 'data-unit': p.id }, el('td', {}, p.rank), el('td', {}, p.id),
        el('td', {}, p.area_name || p.area_id || '–'), el('td', { class: 'num' }, fmt(p.expected, 3)),
        el('td', { class: 'num' }, fmt(100 * p.p_any, 1) + ' %'), el('td', { class: 'why' }, why)));
    });
    const head = el('tr', {}, ...['col.rank', 'col.place', 'col.area', 'col.expected', 'col.pany', 'col.why']
      .map((k) => el('th', {}, t(k))));
    sec.append(el('table', { class: 'data places' }, el('thead', {}, head), tb));
    root.append(sec);
  });
  drawPlaces(b.sections);
  document.body.dataset.briefing = 'ready';
}

async function loadBriefing() {
  const q = new URLSearchParams();
  const date = $('#b-date').value, cat = $('#b-category').value;
  if (date) q.set('date', date);
  q.set('shift', $('#b-shift').value);
  if (cat) q.set('category', cat);
  document.body.dataset.briefing = 'loading';
  $('#briefing-sections').replaceChildren(el('p', { class: 'note' }, t('briefing.loading')));
  try {
    S.briefing = await api('GET', '/briefing?' + q.toString());
    if (!date) $('#b-date').value = S.briefing.date;
    renderBriefing(S.briefing);
  } catch (e) {
    $('#briefing-sections').replaceChildren(el('p', { class: 'error' }, t('error') + ': ' + e.message));
    document.body.dataset.briefing = 'error';
  }
}

function formParams(form) {
  const q = new URLSearchParams();
  new FormData(form).forEach((v, k) => { if (v && k !== 'purpose') q.set(k, v); });
  return q;
}

async function loadIncidents() {
  const form = $('#incidents-form');
  const q = formParams(form);
  q.set('limit', '50');
  q.set('offset', String(S.incOffset));
  const purpose = form.elements.purpose.value;
  const tb = $('#incidents-table tbody');
  tb.replaceChildren();
  // supervisors and auditors read incidents for a stated purpose: ask before asking the server
  if (!purpose && S.me && (S.me.role === 'supervisor' || S.me.role === 'auditor')) {
    $('#incidents-info').textContent = t('purpose.needed');
    return;
  }
  try {
    const r = await api('GET', '/incidents?' + q.toString(), undefined, purpose ? { 'X-Purpose': purpose } : {});
    $('#incidents-info').textContent = r.total + ' ' + t('incidents.total') + ' (' + (r.offset + 1) + '–' +
      (r.offset + r.items.length) + ')';
    r.items.forEach((i) => tb.append(el('tr', {}, el('td', {}, i.start.slice(0, 16).replace('T', ' ')),
      el('td', {}, i.category), el('td', {}, i.area_name || '–'), el('td', {}, i.source), el('td', {}, i.text || i.label || ''))));
  } catch (e) {
    $('#incidents-info').textContent = e.status === 403 && /purpose/.test(e.message) ? t('purpose.needed') : t('error') + ': ' + e.message;
  }
}

async function loadStats() {
  const q = formParams($('#stats-form'));
  q.set('lang', S.lang);
  try {
    const r = await api('GET', '/stats?' + q.toString());
    const rows = r.rows || [];
    const cols = rows.length ? Object.keys(rows[0]) : [];
    $('#stats-table thead').replaceChildren(el('tr', {}, ...cols.map((c) => el('th', {}, c))));
    $('#stats-table tbody').replaceChildren(...rows.map((row) => el('tr', {}, ...cols.map((c) =>
      el('td', { class: typeof row[c] === 'number' ? 'num' : '' }, row[c] === null ? '–' : row[c])))));
    $('#stats-info').textContent = t('col.count') + ': ' + r.total + ' · ' + t('col.prev') + ': ' +
      r.previous_period + ' · ' + t('col.year') + ': ' + r.year_before;
  } catch (e) { $('#stats-info').textContent = t('error') + ': ' + e.message; }
}

async function loadUsers() {
  const tb = $('#users-table tbody');
  try {
    const r = await api('GET', '/users');
    tb.replaceChildren(...r.users.map((u) => {
      const b = el('button', { type: 'button' }, u.disabled ? t('users.enable') : t('users.disable'));
      b.addEventListener('click', async () => {
        try { await api('PATCH', '/users/' + encodeURIComponent(u.name), { disabled: !u.disabled }); loadUsers(); }
        catch (e) { $('#users-info').textContent = e.message; }
      });
      return el('tr', {}, el('td', {}, u.name), el('td', {}, u.role),
        el('td', {}, u.disabled ? t('users.disabled') : t('users.active')), el('td', {}, b));
    }));
  } catch (e) { $('#users-info').textContent = t('error') + ': ' + e.message; }
}

/* An instant (ISO text or ms) in the town's zone (/me gives it), e.g. 29/11/2026 10:15:02;
 * `opts` as toLocaleString's (dateStyle, timeStyle). */
function localTime(when, opts) {
  const tz = (S.me && S.me.tz) || 'UTC';
  return new Date(when).toLocaleString(S.lang === 'en' ? 'en-GB' : 'fr-FR', { timeZone: tz, ...opts });
}

/* The trail's own proof, first: intact (and what retention removed) or where it breaks. */
async function loadAuditVerify() {
  const box = $('#audit-verify');
  try {
    const v = await api('GET', '/audit/verify');
    let txt = v.intact ? t('audit.intact') + ' : ' + v.records + ' ' + t('audit.matching') + ', ' +
      t('audit.signed') + ' ' + v.signed_through : t('audit.broken') + ' ' + v.broken_at + ' (' + v.fault + ') — ' + v.message;
    if (v.pruned_through) txt += ' · ' + t('audit.pruned') + ' ' + v.pruned_through + ', ' + t('audit.pruned_at') + ' ' + v.pruned_at.slice(0, 10);
    box.textContent = txt;
    box.className = 'note ' + (v.intact ? 'ok' : 'warn');
    box.dataset.intact = String(v.intact);
  } catch (e) { box.textContent = t('error') + ': ' + e.message; }
}

async function loadAudit() {
  loadAuditVerify();
  try {
    const r = await api('GET', '/audit?limit=200');
    $('#audit-info').textContent = r.matching + ' ' + t('audit.matching') + ' · ' + ((S.me && S.me.tz) || 'UTC');
    $('#audit-table tbody').replaceChildren(...r.entries.reverse().map((a) => el('tr', {},
      el('td', {}, localTime(a.time)), el('td', {}, a.user + ' (' + a.role + ')'),
      el('td', {}, a.action), el('td', {}, a.object), el('td', {}, a.purpose || ''),
      el('td', {}, a.details && a.details.status !== undefined ? String(a.details.status) : ''))));
  } catch (e) { $('#audit-info').textContent = t('error') + ': ' + e.message; }
}

function wire() {
  $('#login-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('#login-error').textContent = '';
    try {
      const me = await api('POST', '/login', { user: $('#login-user').value, password: $('#login-password').value });
      $('#login-password').value = '';
      afterLogin(me);
    } catch (e) {
      $('#login-error').textContent = e.status === 429 ? t('login.limited') : t('login.failed');
    }
  });
  $('#logout').addEventListener('click', async () => {
    try { await api('POST', '/logout'); } finally { location.reload(); }
  });
  $('#lang').addEventListener('click', () => setLang(S.lang === 'fr' ? 'en' : 'fr'));
  $$('#nav button').forEach((b) => b.addEventListener('click', () => show(b.dataset.view)));
  $('#briefing-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadBriefing(); });
  $('#print').addEventListener('click', () => window.print());
  $('#incidents-form').addEventListener('submit', (ev) => { ev.preventDefault(); S.incOffset = 0; loadIncidents(); });
  $('#inc-prev').addEventListener('click', () => { S.incOffset = Math.max(0, S.incOffset - 50); loadIncidents(); });
  $('#inc-next').addEventListener('click', () => { S.incOffset += 50; loadIncidents(); });
  $('#stats-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadStats(); drawCharts(); });
  wireViews();
  wireLogbook();
  $('#user-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const f = ev.target;
    try {
      await api('POST', '/users', { name: f.elements.name.value, role: f.elements.role.value, password: f.elements.password.value });
      f.reset();
      loadUsers();
    } catch (e) { $('#users-info').textContent = e.message; }
  });
  const refit = () => {
    if (!S.map) return;
    S.map.invalidateSize();
    if (S.areaLayer) S.map.fitBounds(S.areaLayer.getBounds(), { padding: [4, 4] });
  };
  window.addEventListener('beforeprint', refit);
  window.matchMedia('print').addEventListener('change', refit);
}

async function start() {
  wire();
  let lang = 'fr';
  try { lang = localStorage.getItem('vigie.lang') || 'fr'; } catch (e) { /* ignore */ }
  await setLang(lang);
  try { afterLogin(await api('GET', '/me')); } catch (e) { show('login'); }
}

document.addEventListener('DOMContentLoaded', start);
