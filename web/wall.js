/* vigie camera wall — a grid of live views of the cameras this user may
 * view (GET /api/v1/cameras).  French first, English switchable (the same
 * localStorage key as the main page).  No inline script (CSP).
 *
 * One HTTP connection for the whole grid: GET /api/v1/wall?cameras=A,B,..
 * is a multipart/x-mixed-replace stream whose parts are JPEGs tagged
 * "X-Camera: NAME"; this file splits it (fetch + ReadableStream) and shows
 * each part in its cell through a blob: URL.  One <img src=MJPEG> per cell
 * would need one connection each, and browsers open at most 6 HTTP/1.1
 * connections per server: a 3x3 wall would stall.  Every picture is the
 * recorder's masked JPEG; the server logs each viewing (start and end). */
'use strict';

const W = {
  fr: {
    title: "Mur d'images", back: 'Briefing', layout: 'Disposition', logout: 'Déconnexion',
    foot: 'Images masquées (zones privées en noir) ; chaque visionnage est journalisé.',
    none: 'Aucune caméra autorisée pour ce compte.', login: 'Session absente ou expirée : ',
    loginLink: 'se connecter', stale: 'image figée', nopic: "pas d'image", denied: 'Accès refusé : ',
    retry: 'Flux interrompu, reconnexion…', page: 'page', cameras: 'caméras', prev: 'page précédente',
    next: 'page suivante'
  },
  en: {
    title: 'Camera wall', back: 'Briefing', layout: 'Layout', logout: 'Log out',
    foot: 'Masked pictures (private areas in black); every viewing is logged.',
    none: 'No camera is allowed for this account.', login: 'No session or session expired: ',
    loginLink: 'log in', stale: 'frozen picture', nopic: 'no picture', denied: 'Access refused: ',
    retry: 'Stream interrupted, reconnecting…', page: 'page', cameras: 'cameras', prev: 'previous page',
    next: 'next page'
  }
};
const FPS = { 2: 10, 3: 6, 4: 4 };
const BOUNDARY = 'vigieframe';
const S = { lang: 'fr', me: null, cams: [], n: 2, page: 0, ctrl: null, urls: {}, retry: null, poll: null };
const $ = (sel) => document.querySelector(sel);
const w = (k) => (W[S.lang] || W.fr)[k] || k;

function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
  }
  for (const c of kids) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

async function api(method, path) {
  const h = { Accept: 'application/json' };
  if (method !== 'GET' && S.me) h['X-CSRF-Token'] = S.me.csrf;
  const r = await fetch('/api/v1' + path, { method, headers: h, credentials: 'same-origin' });
  let data = null;
  try { data = await r.json(); } catch (e) { data = null; }
  if (!r.ok) {
    const err = new Error((data && data.message) || r.statusText);
    err.status = r.status;
    throw err;
  }
  return data;
}

function setLang(lang) {
  S.lang = W[lang] ? lang : 'fr';
  try { localStorage.setItem('vigie.lang', S.lang); } catch (e) { /* private mode */ }
  document.documentElement.lang = S.lang;
  document.querySelectorAll('[data-w]').forEach((e) => { e.textContent = w(e.dataset.w); });
  $('#lang').textContent = S.lang === 'fr' ? 'EN' : 'FR';
  $('#wall-prev').setAttribute('aria-label', w('prev'));
  $('#wall-next').setAttribute('aria-label', w('next'));
  document.title = 'vigie · ' + w('title');
  render();
}

function message(text, link) {
  const m = $('#wall-msg');
  m.replaceChildren(text);
  if (link) m.append(el('a', { href: '/' }, link));
}

function pageCams() {
  const per = S.n * S.n;
  const pages = Math.max(1, Math.ceil(S.cams.length / per));
  S.page = Math.min(S.page, pages - 1);
  $('#wall-page').textContent = w('page') + ' ' + (S.page + 1) + '/' + pages + ' · ' + S.cams.length + ' ' + w('cameras');
  $('#wall-prev').disabled = S.page === 0;
  $('#wall-next').disabled = S.page >= pages - 1;
  return S.cams.slice(S.page * per, (S.page + 1) * per);
}

function badgeOf(c) {
  if (c.picture_age_ms === null) return w('nopic');
  return c.stale ? w('stale') : '';
}

/* Build the grid for the current page (cells keep their camera name in
 * data-camera so parts find them) and restart the stream. */
function render() {
  if (!S.me) return;
  const grid = $('#wall-grid');
  grid.className = 'wall-grid g' + S.n;
  const cams = pageCams();
  grid.replaceChildren(...cams.map((c) => el('figure', { class: 'cell', 'data-camera': c.name },
    el('div', { class: 'frame' }, el('img', { alt: c.name, 'data-camera': c.name })),
    el('span', { class: 'badge', hidden: '' }),
    el('figcaption', {}, el('strong', {}, c.name), el('span', { class: 'area' }, c.area || '')))));
  for (let i = cams.length; cams.length && i < S.n * S.n; i++) {
    grid.append(el('figure', { class: 'cell empty' }, el('div', { class: 'frame' }, '—')));
  }
  grid.querySelectorAll('figure.cell[data-camera]').forEach((cell) => cell.addEventListener('click', () => {
    /* tap or click: this camera alone, full width; again: back to the grid */
    const on = !cell.classList.contains('focused');
    grid.querySelectorAll('.focused').forEach((c) => c.classList.remove('focused'));
    cell.classList.toggle('focused', on);
    grid.classList.toggle('focus', on);
  }));
  updateBadges();
  stream(cams.map((c) => c.name));
}

function updateBadges() {
  S.cams.forEach((c) => {
    const cell = document.querySelector('figure.cell[data-camera="' + CSS.escape(c.name) + '"]');
    if (!cell) return;
    const b = cell.querySelector('.badge');
    const text = badgeOf(c);
    b.textContent = text;
    b.hidden = !text;
  });
}

/* ---- the multipart stream ---- */

function indexOfCrlf2(buf, from, limit) {
  for (let i = from; i + 3 < buf.length && i < limit; i++) {
    if (buf[i] === 13 && buf[i + 1] === 10 && buf[i + 2] === 13 && buf[i + 3] === 10) return i;
  }
  return -1;
}

/* Splits the body into parts; calls onPart(camera, Uint8Array). */
function partReader(onPart) {
  let buf = new Uint8Array(0);
  const dec = new TextDecoder();
  return (chunk) => {
    const b = new Uint8Array(buf.length + chunk.length);
    b.set(buf); b.set(chunk, buf.length);
    buf = b;
    for (;;) {
      const h = indexOfCrlf2(buf, 0, 1024);
      if (h < 0) {
        if (buf.length > 1024) throw new Error('bad multipart header');
        return;
      }
      const lines = dec.decode(buf.subarray(0, h)).split('\r\n');
      if (lines[0] !== '--' + BOUNDARY) throw new Error('bad multipart boundary');
      let len = -1, cam = '';
      lines.slice(1).forEach((l) => {
        const i = l.indexOf(':');
        const k = l.slice(0, i).trim().toLowerCase(), v = l.slice(i + 1).trim();
        if (k === 'content-length') len = parseInt(v, 10);
        if (k === 'x-camera') cam = v;
      });
      if (!(len >= 0)) throw new Error('part without length');
      const end = h + 4 + len + 2;
      if (buf.length < end) return;
      onPart(cam, buf.slice(h + 4, h + 4 + len));
      buf = buf.slice(end);
    }
  };
}

function show(cam, jpeg) {
  const img = document.querySelector('img[data-camera="' + CSS.escape(cam) + '"]');
  if (!img) return;
  const url = URL.createObjectURL(new Blob([jpeg], { type: 'image/jpeg' }));
  const old = S.urls[cam];
  S.urls[cam] = url;
  img.onload = () => { if (old) URL.revokeObjectURL(old); img.dataset.frames = String((+img.dataset.frames || 0) + 1); };
  img.src = url;
}

function stop() {
  if (S.ctrl) S.ctrl.abort();
  S.ctrl = null;
  clearTimeout(S.retry);
  Object.values(S.urls).forEach((u) => URL.revokeObjectURL(u));
  S.urls = {};
}

async function stream(names) {
  stop();
  if (!names.length) { document.body.dataset.wall = 'empty'; return; }
  const ctrl = new AbortController();
  S.ctrl = ctrl;
  const q = new URLSearchParams({ cameras: names.join(','), fps: String(FPS[S.n] || 5) });
  try {
    const r = await fetch('/api/v1/wall?' + q.toString(), { credentials: 'same-origin', signal: ctrl.signal });
    if (r.status === 401) { message(w('login'), w('loginLink')); document.body.dataset.wall = 'login'; return; }
    if (!r.ok) {
      let m = r.statusText;
      try { m = (await r.json()).message; } catch (e) { /* not JSON */ }
      message(w('denied') + m);
      document.body.dataset.wall = 'denied';
      return;
    }
    message('');
    document.body.dataset.wall = 'streaming';
    const push = partReader(show);
    const reader = r.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      push(value);
    }
  } catch (e) {
    if (ctrl.signal.aborted) return;
  }
  if (S.ctrl !== ctrl) return;
  /* the server ended the stream (session re-checked, right withdrawn,
   * pictures gone) or the network dropped: look again in a moment */
  message(w('retry'));
  document.body.dataset.wall = 'retry';
  S.retry = setTimeout(() => refresh(true), 3000);
}

async function refresh(restart) {
  try {
    const r = await api('GET', '/cameras');
    const before = S.cams.map((c) => c.name).join(',');
    S.cams = r.cameras;
    if (!S.cams.length) message(w('none'));
    if (restart || before !== S.cams.map((c) => c.name).join(',')) render(); else updateBadges();
  } catch (e) {
    if (e.status === 401) { stop(); message(w('login'), w('loginLink')); document.body.dataset.wall = 'login'; }
    else if (e.status === 403) { stop(); message(w('denied') + e.message); document.body.dataset.wall = 'denied'; }
  }
}

function wire() {
  $('#lang').addEventListener('click', () => setLang(S.lang === 'fr' ? 'en' : 'fr'));
  $('#wall-layout').addEventListener('change', (ev) => {
    S.n = parseInt(ev.target.value, 10) || 2;
    S.page = 0;
    try { localStorage.setItem('vigie.wall.layout', String(S.n)); } catch (e) { /* ignore */ }
    render();
  });
  $('#wall-prev').addEventListener('click', () => { S.page = Math.max(0, S.page - 1); render(); });
  $('#wall-next').addEventListener('click', () => { S.page += 1; render(); });
  $('#wall-controls').addEventListener('submit', (ev) => ev.preventDefault());
  $('#logout').addEventListener('click', async () => {
    stop();
    try { await api('POST', '/logout'); } finally { location.href = '/'; }
  });
  window.addEventListener('pagehide', stop);
}

async function start() {
  wire();
  let lang = 'fr', n = 2;
  try {
    lang = localStorage.getItem('vigie.lang') || 'fr';
    n = parseInt(localStorage.getItem('vigie.wall.layout') || '2', 10);
  } catch (e) { /* ignore */ }
  S.n = [2, 3, 4].includes(n) ? n : 2;
  $('#wall-layout').value = String(S.n);
  setLang(lang);
  try {
    S.me = await api('GET', '/me');
  } catch (e) {
    message(w('login'), w('loginLink'));
    document.body.dataset.wall = 'login';
    return;
  }
  $('#who').textContent = S.me.user + ' · ' + S.me.role;
  $('#logout').hidden = false;
  await refresh(true);
  S.poll = setInterval(() => refresh(false), 10000);
}

document.addEventListener('DOMContentLoaded', start);
