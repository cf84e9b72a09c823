/* logbook.js — the "Main courante" entry form, the classification review
 * queue and the retention panel of the administration view.  Loaded after
 * app.js, whose globals it uses (S, api, t, el, $, $$, fmt, catLabel).
 * The form sends the free text once, to POST /api/v1/logbook, and shows
 * only what the server answers: the SCRUBBED text as stored.  The text
 * field is emptied as soon as the entry is stored.  Each view marks <body>
 * with data-*-state when drawn, for the browser test. */
'use strict';

const LB_ROLES = { logbook: ['operator', 'analyst', 'supervisor'], review: ['analyst', 'supervisor'] };

function lbCatOptions(sel, withEmpty) {
  const keep = sel.value;
  sel.replaceChildren();
  if (withEmpty) sel.append(el('option', { value: '' }, t('lb.auto')));
  S.cats.forEach((c) => sel.append(el('option', { value: c.code }, catLabel(c))));
  sel.value = keep;
}

function loadLogbook() {
  lbCatOptions($('#lb-category'), true);
  if (!S.places) {
    S.places = [];
    api('GET', '/places').then((r) => {
      S.places = r.places;
      $('#lb-places').replaceChildren(...r.places.map((n) => el('option', { value: n })));
    }).catch(() => { /* no gazetteer: lon/lat only */ });
  }
  document.body.dataset.logbookState = 'ready';
}

async function submitLogbook(ev) {
  ev.preventDefault();
  const f = ev.target;
  const body = {};
  ['occurred_from', 'occurred_to', 'source', 'origin', 'place', 'category', 'text'].forEach((k) => {
    const v = f.elements[k].value.trim();
    if (v) body[k] = v;
  });
  const lon = f.elements.lon.value.trim(), lat = f.elements.lat.value.trim();
  if (lon || lat) { body.lon = Number(lon.replace(',', '.')); body.lat = Number(lat.replace(',', '.')); }
  $('#lb-error').textContent = '';
  $('#lb-result').hidden = true;
  document.body.dataset.logbookState = 'sending';
  try {
    const r = await api('POST', '/logbook', body);
    f.elements.text.value = '';
    const cat = S.cats.find((c) => c.code === r.category);
    $('#lb-r-id').textContent = r.id + (r.incident_id ? ' (#' + r.incident_id + ')' : '');
    $('#lb-r-cat').textContent = cat ? catLabel(cat) : r.category;
    $('#lb-r-cat').dataset.code = r.category;
    $('#lb-r-conf').textContent = r.classified ? fmt(100 * r.confidence, 0) + ' %' : t('lb.author');
    $('#lb-r-text').textContent = r.text || t('lb.no_text');
    $('#lb-r-review').hidden = !r.review;
    $('#lb-result').hidden = false;
    document.body.dataset.logbookState = 'stored';
  } catch (e) {
    $('#lb-error').textContent = t('error') + ': ' + e.message;
    document.body.dataset.logbookState = 'error';
  }
}

async function loadReview() {
  const tb = $('#review-table tbody');
  document.body.dataset.reviewState = 'loading';
  try {
    const r = await api('GET', '/review?status=pending');
    $('#review-info').textContent = r.rows.length ? r.rows.length + ' ' + t('rv.pending') : t('rv.empty');
    tb.replaceChildren(...r.rows.map((row) => {
      const sel = el('select', { class: 'rv-cat', 'aria-label': t('col.category') });
      lbCatOptions(sel, false);
      sel.value = row.suggested;
      const b = el('button', { type: 'button', class: 'rv-decide' }, t('rv.confirm'));
      sel.addEventListener('change', () => { b.textContent = sel.value === row.suggested ? t('rv.confirm') : t('rv.correct'); });
      b.addEventListener('click', async () => {
        try {
          await api('POST', '/review/' + row.incident_id, { category: sel.value });
          loadReview();
        } catch (e) { $('#review-info').textContent = t('error') + ': ' + e.message; }
      });
      const when = localTime(row.t_start * 1000, { dateStyle: 'short', timeStyle: 'short' });
      const sug = S.cats.find((c) => c.code === row.suggested);
      return el('tr', { 'data-incident': String(row.incident_id) }, el('td', {}, when), el('td', {}, row.source || ''),
        el('td', { class: 'why' }, row.text || ''), el('td', {}, sug ? catLabel(sug) : row.suggested),
        el('td', { class: 'num' }, fmt(100 * row.confidence, 0) + ' %'), el('td', {}, sel), el('td', {}, b));
    }));
    document.body.dataset.reviewState = 'ready';
  } catch (e) {
    $('#review-info').textContent = t('error') + ': ' + e.message;
    document.body.dataset.reviewState = 'error';
  }
}

async function loadRetention() {
  try {
    const r = await api('GET', '/retention');
    const types = Object.keys(r.policy);
    $('#ret-table tbody').replaceChildren(...types.map((k) => el('tr', { 'data-type': k },
      el('td', {}, t('ret.t_' + k)), el('td', { class: 'num' }, r.policy[k] === null ? t('ret.forever') : String(r.policy[k])))));
    $('#ret-policy').value = types.map((k) => k + '=' + (r.policy[k] === null ? 'forever' : r.policy[k])).join(',');
    const day = (s) => (s ? new Date(s * 1000).toISOString().slice(0, 10) : '–');
    $('#ret-holds tbody').replaceChildren(...(r.holds.length ? r.holds.map((h) => el('tr', {},
      el('td', {}, h.procedure), el('td', {}, h.type), el('td', {}, h.area || t('f.all')),
      el('td', {}, day(h.from)), el('td', {}, day(h.to))))
      : [el('tr', {}, el('td', { colspan: '5' }, t('ret.noholds')))]));
    document.body.dataset.retentionState = 'ready';
  } catch (e) { $('#ret-info').textContent = t('error') + ': ' + e.message; }
}

function wireLogbook() {
  $('#logbook-form').addEventListener('submit', submitLogbook);
  $('#ret-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    $('#ret-info').textContent = '';
    try {
      await api('PUT', '/retention', { policy: $('#ret-policy').value.trim() });
      $('#ret-info').textContent = t('ret.saved');
      loadRetention();
    } catch (e) { $('#ret-info').textContent = t('error') + ': ' + e.message; }
  });
}
