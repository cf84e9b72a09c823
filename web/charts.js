/* charts.js — the few charts of the statistics view, drawn as inline SVG
 * with DOM APIs (no library, no inline script, no style attributes: colours
 * are SVG presentation attributes, which the CSP allows).  Every chart
 * replaces the children of the container it is given and labels its marks
 * with data-* attributes so the browser test can read the values back.
 * Exposes `VgCharts` on window. */
'use strict';

(function () {
  const NS = 'http://www.w3.org/2000/svg';
  /* sequential palette (light → dark), colour-blind safe (ColorBrewer YlOrRd 6) */
  const PALETTE = ['#ffffb2', '#fed976', '#feb24c', '#fd8d3c', '#f03b20', '#bd0026'];

  function s(tag, attrs, ...kids) {
    const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'text') e.textContent = v; else e.setAttribute(k, String(v));
    }
    kids.forEach((c) => e.append(c));
    return e;
  }

  function title(text) { return s('title', { text }); }

  /* Class breaks for `values` (max > 0): n equal steps from 0 to max,
   * rounded up to integers when the values are counts. */
  function breaks(max, n, integer) {
    const out = [];
    for (let i = 1; i <= n; i++) out.push(integer ? Math.ceil((max * i) / n) : (max * i) / n);
    return out;
  }

  /* Colour of `v` on the scale `br` (upper bounds), or the zero colour. */
  function colour(v, br) {
    if (!(v > 0)) return '#f2f2f2';
    for (let i = 0; i < br.length; i++) if (v <= br[i]) return PALETTE[Math.min(i, PALETTE.length - 1)];
    return PALETTE[PALETTE.length - 1];
  }

  function svgRoot(w, h, label) {
    return s('svg', { viewBox: `0 0 ${w} ${h}`, width: '100%', role: 'img', 'aria-label': label,
      preserveAspectRatio: 'xMinYMin meet', class: 'chart' });
  }

  /* Heat map: rows × cols grid; value(r, c) a number.  opts: rowLabels,
   * colLabels, label, fmt. Cells are rect.hm-cell[data-row][data-col][data-value]. */
  function heatmap(box, nrows, ncols, value, opts) {
    const cw = 26, ch = 22, left = 46, top = 22;
    const w = left + ncols * cw + 8, h = top + nrows * ch + 8;
    const svg = svgRoot(w, h, opts.label);
    let max = 0;
    for (let r = 0; r < nrows; r++) for (let c = 0; c < ncols; c++) max = Math.max(max, value(r, c));
    const br = breaks(max || 1, PALETTE.length, true);
    for (let c = 0; c < ncols; c++) {
      svg.append(s('text', { x: left + c * cw + cw / 2, y: top - 6, 'text-anchor': 'middle', class: 'tick',
        text: opts.colLabels[c] }));
    }
    for (let r = 0; r < nrows; r++) {
      svg.append(s('text', { x: left - 6, y: top + r * ch + ch / 2 + 4, 'text-anchor': 'end', class: 'tick',
        text: opts.rowLabels[r] }));
      for (let c = 0; c < ncols; c++) {
        const v = value(r, c);
        svg.append(s('rect', { x: left + c * cw, y: top + r * ch, width: cw - 1, height: ch - 1,
          fill: colour(v, br), class: 'hm-cell', 'data-row': r, 'data-col': c, 'data-value': v },
        title(opts.rowLabels[r] + ' ' + opts.colLabels[c] + ' : ' + opts.fmt(v))));
      }
    }
    box.replaceChildren(svg, legend(br, opts.fmt, true));
    return svg;
  }

  /* Legend: one swatch per class with its range. */
  function legend(br, fmt, zero) {
    const ul = document.createElement('ul');
    ul.className = 'legend';
    const item = (fill, text) => {
      const li = document.createElement('li');
      const sw = s('svg', { width: 14, height: 14, class: 'swatch' }, s('rect', { width: 14, height: 14, fill }));
      li.append(sw, document.createTextNode(' ' + text));
      ul.append(li);
    };
    if (zero) item('#f2f2f2', '0');
    let lo = 0;
    br.forEach((b, i) => {
      item(PALETTE[Math.min(i, PALETTE.length - 1)], (lo === 0 && zero ? '> 0' : fmt(lo)) + ' – ' + fmt(b));
      lo = b;
    });
    return ul;
  }

  /* Line chart of several series over the same x labels.  series: [{name,
   * values, cls}]; points are circle.pt[data-series][data-x][data-value]. */
  function lines(box, xLabels, series, opts) {
    const w = 760, h = 260, left = 48, right = 12, top = 12, bottom = 40;
    const svg = svgRoot(w, h, opts.label);
    let max = 0;
    series.forEach((se) => se.values.forEach((v) => { if (v > max) max = v; }));
    max = max || 1;
    const n = xLabels.length;
    const x = (i) => left + (n <= 1 ? 0 : (i * (w - left - right)) / (n - 1));
    const y = (v) => top + (h - top - bottom) * (1 - v / max);
    for (let k = 0; k <= 4; k++) {
      const v = (max * k) / 4;
      svg.append(s('line', { x1: left, x2: w - right, y1: y(v), y2: y(v), class: 'grid' }));
      svg.append(s('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick', text: opts.fmt(v) }));
    }
    const step = Math.ceil(n / 12); /* at most 12 labels */
    xLabels.forEach((l, i) => { if (i % step === 0) svg.append(s('text', { x: x(i), y: h - bottom + 16,
      'text-anchor': 'middle', class: 'tick', text: l })); });
    series.forEach((se, si) => {
      const pts = se.values.map((v, i) => (v === null ? null : [x(i), y(v)]));
      const d = pts.filter(Boolean).map((p, i) => (i ? 'L' : 'M') + p[0].toFixed(1) + ' ' + p[1].toFixed(1)).join(' ');
      svg.append(s('path', { d, class: 'series ' + se.cls, fill: 'none' }));
      se.values.forEach((v, i) => {
        if (v === null) return;
        svg.append(s('circle', { cx: x(i), cy: y(v), r: 3, class: 'pt ' + se.cls, 'data-series': si,
          'data-x': xLabels[i], 'data-value': v }, title(se.name + ' ' + xLabels[i] + ' : ' + opts.fmt(v))));
      });
    });
    const key = document.createElement('ul');
    key.className = 'legend';
    series.forEach((se) => {
      const li = document.createElement('li');
      li.append(s('svg', { width: 18, height: 10, class: 'swatch' }, s('line', { x1: 0, x2: 18, y1: 5, y2: 5,
        class: 'series ' + se.cls })), document.createTextNode(' ' + se.name));
      key.append(li);
    });
    box.replaceChildren(svg, key);
    return svg;
  }

  /* Horizontal bars, one per item {label, value}, largest first. */
  function bars(box, items, opts) {
    const bh = 16, gap = 3, left = 190, right = 60, top = 4, w = 760;
    const h = top + items.length * (bh + gap) + 4;
    const svg = svgRoot(w, h, opts.label);
    const max = Math.max(1, ...items.map((i) => i.value));
    items.forEach((it, i) => {
      const y = top + i * (bh + gap);
      const len = ((w - left - right) * it.value) / max;
      svg.append(s('text', { x: left - 6, y: y + bh - 4, 'text-anchor': 'end', class: 'tick', text: it.label }));
      svg.append(s('rect', { x: left, y, width: Math.max(len, 0.5), height: bh, class: 'bar',
        'data-label': it.label, 'data-value': it.value }, title(it.label + ' : ' + opts.fmt(it.value))));
      svg.append(s('text', { x: left + len + 4, y: y + bh - 4, class: 'tick', text: opts.fmt(it.value) }));
    });
    box.replaceChildren(svg);
    return svg;
  }

  window.VgCharts = { heatmap, lines, bars, legend, breaks, colour, PALETTE };
}());
