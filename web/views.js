/* views.js — the analyst's views beyond the briefing: the thematic map
 * (areas coloured by counts or risk, a layer per category, a month slider),
 * the statistics charts and the models view.  Loaded after app.js, whose
 * globals it uses (S, api, t, el, $, $$, fmt, catLabel); charts come from
 * charts.js (VgCharts).  Each view marks <body> with data-*-state when its
 * data is drawn, for the browser test. */
'use strict';

/* ---- months of the data (from /api/v1/categories) ---- */
function monthList() {
  const r = S.range || {};
  if (!r.first_month || !r.last_month) return [];
  const out = [];
  let [y, m] = r.first_month.split('-').map(Number);
  const [y2, m2] = r.last_month.split('-').map(Number);
  while (y < y2 || (y === y2 && m <= m2)) {
    out.push(`${y}-${String(m).padStart(2, '0')}`);
    if (++m > 12) { m = 1; y++; }
  }
  return out;
}

function monthEnd(ym) {
  const [y, m] = ym.split('-').map(Number);
  const d = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${ym}-${String(d).padStart(2, '0')}`;
}

function addMonths(ym, k) {
  let [y, m] = ym.split('-').map(Number);
  m += k;
  while (m > 12) { m -= 12; y++; }
  while (m < 1) { m += 12; y--; }
  return `${y}-${String(m).padStart(2, '0')}`;
}

function monthName(ym) {
  const [y, m] = ym.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, 15)).toLocaleDateString(S.lang === 'en' ? 'en-GB' : 'fr-FR',
    { month: 'long', year: 'numeric', timeZone: 'UTC' });
}

/* ---- map view ---- */
const M = { map: null, layer: null, grid: null, byId: {}, version: 0, seq: 0 };

function mapCategories() {
  const sel = $('#m-category');
  const keep = sel.value;
  sel.replaceChildren(...S.cats.filter((c) => c.events > 0).map((c) => el('option', { value: c.code }, catLabel(c))));
  if (keep) sel.value = keep;
  else if (S.defaultCats && S.defaultCats.length) sel.value = S.defaultCats[0];
}

function initAreaMap() {
  if (M.map || typeof L === 'undefined') return Promise.resolve();
  M.map = L.map('areamap', { attributionControl: false, zoomSnap: 0.25 });
  townTiles(M.map);
  M.map.setView([0, 0], 2);
  return api('GET', '/areas').then((fc) => {
    M.layer = L.geoJSON(fc, {
      style: () => ({ className: 'choro-shape', color: '#55606e', weight: 1, fillColor: '#f2f2f2', fillOpacity: 0.8 }),
      onEachFeature: (f, layer) => {
        M.byId[f.properties.id] = layer;
        layer.bindTooltip(() => f.properties.name + ' : ' + (layer.vgValue === undefined ? '–' : fmt(layer.vgValue,
          $('#m-mode').value === 'risk' ? 2 : 0)), { sticky: true });
      }
    }).addTo(M.map);
    if (fc.features.length) M.map.fitBounds(M.layer.getBounds(), { padding: [8, 8] });
  });
}

function initSlider() {
  const months = monthList();
  const sl = $('#m-month');
  sl.min = '0';
  sl.max = String(Math.max(0, months.length - 1));
  if (!sl.dataset.ready) { sl.value = sl.max; sl.dataset.ready = '1'; }
  $('#m-month-label').textContent = months.length ? monthName(months[Number(sl.value)]) : '–';
  return months;
}

/* Values per area id for the chosen mode, category and month. */
async function mapValues(mode, cat, ym, units) {
  const out = {};
  if (mode === 'risk') {
    /* the forecast for the night of the first day after the month */
    const next = addMonths(ym, 1) + '-01';
    const date = S.range && next > S.range.last_day ? S.range.last_day : next;
    const fc = await api('GET', '/forecast?' + new URLSearchParams({ category: cat, date, units, shift: 'night' }));
    fc.features.forEach((f) => { out[units === 'areas' ? f.properties.area_id || f.properties.id : f.properties.id] = f.properties.expected; });
    return { values: out, grid: units === 'areas' ? null : fc,
      note: t('map.risk_note') + ' ' + date + ' · ' + fc.model + ' · ' + fc.units };
  }
  const q = new URLSearchParams({ by: 'area', from: ym + '-01', to: monthEnd(ym), category: cat, lang: S.lang });
  const r = await api('GET', '/stats?' + q.toString());
  (r.rows || []).forEach((row) => { if (row.area_id) out[row.area_id] = row.count; });
  return { values: out, note: t('map.count_note') + ' ' + monthName(ym) + ' : ' + r.total };
}

async function loadMap() {
  document.body.dataset.mapState = 'loading';
  mapCategories();
  await initAreaMap();
  const months = initSlider();
  const mode = $('#m-mode').value, cat = $('#m-category').value;
  if (!M.layer || !months.length || !cat) { $('#m-info').textContent = t('map.nodata'); return; }
  const ym = months[Number($('#m-month').value)];
  const seq = ++M.seq;
  const units = mode === 'risk' ? $('#m-units').value : 'areas';
  $('#m-units-label').hidden = mode !== 'risk';
  try {
    const res = await mapValues(mode, cat, ym, units);
    if (seq !== M.seq) return; /* a newer request is under way */
    const vals = Object.values(res.values);
    const max = Math.max(0, ...vals);
    const integer = mode !== 'risk';
    const br = VgCharts.breaks(max || 1, VgCharts.PALETTE.length, integer);
    if (M.grid) { M.grid.remove(); M.grid = null; }
    Object.entries(M.byId).forEach(([id, layer]) => {
      const v = res.grid ? undefined : res.values[id] || 0;
      layer.vgValue = v;
      layer.setStyle(res.grid ? { fillOpacity: 0 } : { fillColor: VgCharts.colour(v, br), fillOpacity: 0.8 });
      const p = layer.getElement && layer.getElement();
      if (p) { p.dataset.area = id; p.dataset.value = v === undefined ? '' : String(v); }
    });
    if (res.grid) {
      M.grid = L.geoJSON(res.grid, {
        style: (f) => ({ className: 'grid-shape', stroke: false, fillColor: VgCharts.colour(f.properties.expected, br), fillOpacity: 0.75 }),
        onEachFeature: (f, layer) => layer.bindTooltip(f.properties.id + ' : ' + fmt(f.properties.expected, 3), { sticky: true })
      }).addTo(M.map);
      M.grid.bringToBack();
    }
    document.body.dataset.gridCells = res.grid ? String(res.grid.features.length) : '0';
    const title = el('p', { class: 'legend-title' }, (mode === 'risk' ? t('map.legend_risk') : t('map.legend_count')));
    $('#m-legend').replaceChildren(title, VgCharts.legend(br, (x) => fmt(x, integer ? 0 : 2), true));
    $('#m-info').textContent = res.note;
    M.version++;
    document.body.dataset.mapVersion = String(M.version);
    document.body.dataset.mapState = 'ready';
  } catch (e) {
    $('#m-info').textContent = t('error') + ': ' + e.message;
    document.body.dataset.mapState = 'error';
  }
}

/* ---- statistics charts ---- */
function statsDefaults() {
  const f = $('#stats-form');
  if (f.dataset.ready || !S.range || !S.range.last_month) return;
  f.elements.from.value = addMonths(S.range.last_month, -11) + '-01';
  f.elements.to.value = S.range.last_day;
  f.dataset.ready = '1';
}

async function statsQuery(by) {
  const q = formParams($('#stats-form'));
  q.set('by', by);
  q.set('lang', S.lang);
  return api('GET', '/stats?' + q.toString());
}

const WD = { fr: ['lun', 'mar', 'mer', 'jeu', 'ven', 'sam', 'dim'], en: ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] };

async function drawCharts() {
  document.body.dataset.chartsState = 'loading';
  const n0 = (x) => fmt(x, 0);
  try {
    const [hm, mo, ar] = await Promise.all([statsQuery('weekday,hour'), statsQuery('month'), statsQuery('area')]);
    const grid = {};
    (hm.rows || []).forEach((r) => { grid[r.weekday + ':' + r.hour] = r.count; });
    VgCharts.heatmap($('#chart-heat'), 7, 24, (r, c) => grid[(r + 1) + ':' + c] || 0, {
      label: t('stats.heat'), rowLabels: WD[S.lang] || WD.fr,
      colLabels: Array.from({ length: 24 }, (_, h) => String(h)), fmt: n0 });
    const rows = (mo.rows || []).slice().sort((a, b) => (a.month < b.month ? -1 : 1));
    VgCharts.lines($('#chart-trend'), rows.map((r) => r.month), [
      { name: t('stats.this_period'), values: rows.map((r) => r.count), cls: 's-now' },
      { name: t('stats.year_before'), values: rows.map((r) => r.year_before), cls: 's-before' }
    ], { label: t('stats.trend'), fmt: n0 });
    const items = (ar.rows || []).filter((r) => r.area_id).map((r) => ({ label: r.area_name || r.area_id, value: r.count }))
      .sort((a, b) => b.value - a.value).slice(0, 25);
    VgCharts.bars($('#chart-areas'), items, { label: t('stats.areas'), fmt: n0 });
    document.body.dataset.chartsState = 'ready';
  } catch (e) {
    $('#stats-info').textContent = t('error') + ': ' + e.message;
    document.body.dataset.chartsState = 'error';
  }
}

/* ---- models view ---- */
function statusText(s) {
  if (s.published) return t('models.published') + ' : ' + s.published + (s.evidence ? ' — ' + s.evidence : '');
  let txt = t('models.unpublished') + ' ' + (s.baseline || 'average');
  txt += s.refusal ? '. ' + t('models.refusal') + ' : ' + s.refusal : '. ' + t('models.nogate');
  return txt;
}

async function loadModels() {
  document.body.dataset.modelsState = 'loading';
  const shift = $('#mo-shift').value;
  try {
    const cats = S.cats.filter((c) => c.events > 0);
    const st = await Promise.all(cats.map((c) =>
      api('GET', '/models/status?' + new URLSearchParams({ category: c.code, shift }))));
    $('#models-status tbody').replaceChildren(...st.map((s, i) => el('tr', { 'data-category': s.category },
      el('td', {}, catLabel(cats[i])), el('td', {}, t('shift.' + shift)),
      el('td', { class: 'model-status ' + (s.published ? 'ok' : 'warn') }, statusText(s),
        s.published || s.refusal ? el('a', { class: 'gate-report', target: '_blank', rel: 'noopener',
          href: '/api/v1/models/report?' + new URLSearchParams({ category: s.category, shift }) }, ' ' + t('models.report')) : ''))));
    const m = await api('GET', '/models');
    $('#models-list').replaceChildren(...m.models.map((mo) => {
      const sec = el('section', { class: 'model-card', 'data-model': mo.name });
      /* the server's English text when the dictionary has no translation */
      const tr = (k, fallback) => S.dict[k] || fallback;
      sec.append(el('h3', {}, mo.name), el('p', {}, tr('model.' + mo.name, mo.summary)));
      if (mo.citation) sec.append(el('p', { class: 'note' }, mo.citation));
      if (mo.params.length) {
        const head = el('tr', {}, ...['models.param', 'models.default', 'models.min', 'models.max', 'models.help']
          .map((k) => el('th', {}, t(k))));
        sec.append(el('table', { class: 'data params' }, el('thead', {}, head), el('tbody', {}, ...mo.params.map((p) =>
          el('tr', {}, el('td', {}, p.name), el('td', { class: 'num' }, String(p.default)),
            el('td', { class: 'num' }, String(p.min)), el('td', { class: 'num' }, String(p.max)),
            el('td', {}, tr('param.' + mo.name + '.' + p.name, p.help)))))));
      } else {
        sec.append(el('p', { class: 'note' }, t('models.noparams')));
      }
      return sec;
    }));
    document.body.dataset.modelsState = 'ready';
  } catch (e) {
    $('#models-info').textContent = t('error') + ': ' + e.message;
    document.body.dataset.modelsState = 'error';
  }
}

function wireViews() {
  $('#map-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadMap(); });
  $('#m-mode').addEventListener('change', loadMap);
  $('#m-category').addEventListener('change', loadMap);
  $('#m-units').addEventListener('change', loadMap);
  $('#m-month').addEventListener('input', () => {
    const months = monthList();
    $('#m-month-label').textContent = months.length ? monthName(months[Number($('#m-month').value)]) : '–';
  });
  $('#m-month').addEventListener('change', loadMap);
  $('#mo-shift').addEventListener('change', loadModels);
}
