// Picket console: the Scores page: leaderboards, explanations, awards, supervisors' forms. Plain JavaScript sharing the page's globals with app.js
// (loaded after it, before the page starts); nothing inline, text only through textContent.
'use strict';

// --- scores -------------------------------------------------------------------------------

async function loadScores() {
  const subjects = $('score-subjects').value;
  const period = $('score-period').value;
  const [board, awards] = await Promise.all([
    api('GET', '/api/scores/leaderboard?subjects=' + subjects + '&period=' + period + '&limit=50'),
    api('GET', '/api/scores/awards?period=' + period + '&limit=1'),
  ]);
  if (board.status === 401) { showLogin(); return; }
  $('scores-error').hidden = board.status === 200;
  if (board.status !== 200) return;
  $('score-period-label').textContent = t('scores.period', { label: board.body.period ? board.body.period.label : '' });
  const top = awards.status === 200 ? awards.body.awards[0] : null;
  $('award-line').textContent = top
    ? t('scores.best_post', { post: top.post, points: top.points, label: top.period.label })
    : t('scores.no_award');
  const standings = board.body.standings;
  const best = Math.max(1, ...standings.map((s) => Math.abs(s.points)));
  $('leaderboard-body').replaceChildren(...standings.map((s) => {
    const row = el('tr', null, { 'data-subject': s.subject, 'data-points': String(s.points) });
    row.appendChild(el('td', String(s.rank)));
    row.appendChild(el('td', s.subject));
    row.appendChild(el('td', String(s.points)));
    const bar = el('td');
    bar.appendChild(el('meter', null, { min: '0', max: String(best), value: String(Math.max(0, s.points)) }));
    row.appendChild(bar);
    row.appendChild(el('td', String(s.rewards)));
    row.appendChild(el('td', String(s.penalties)));
    row.appendChild(el('td', String(s.entries)));
    row.addEventListener('click', () => explain(s.subject));
    return row;
  }));
  const mayRecord = state.session.permissions.includes('record_score');
  $('score-forms').hidden = !mayRecord;
  const history = await api('GET', '/api/scores/history?subjects=' + subjects + '&period=' + period +
    '&count=' + CHART_PERIODS + '&top=' + CHART_TOP);
  $('score-chart-box').hidden = history.status !== 200 || history.body.series.length === 0;
  if (history.status === 200) drawScoreChart(history.body);
}

// --- the chart: points per period of the leaderboard's best, as lines (inline SVG) ---------

const CHART_PERIODS = 8;
const CHART_TOP = 5;
const CHART_COLOURS = ['#1f6feb', '#d1242f', '#1a7f37', '#9a6700', '#8250df'];
const SVG_NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function drawScoreChart(history) {
  const W = 720, H = 240, left = 44, right = 12, top = 12, bottom = 34;
  const periods = history.periods;
  const values = history.series.flatMap((s) => s.points).concat([0]);
  const low = Math.min(...values), high = Math.max(...values, low + 1);
  const x = (i) => left + (periods.length > 1 ? i * (W - left - right) / (periods.length - 1) : (W - left - right) / 2);
  const y = (v) => top + (high - v) * (H - top - bottom) / (high - low);
  const chart = $('score-chart');
  chart.replaceChildren();
  $('score-chart-title').textContent = t('scores.chart', { count: periods.length, top: history.series.length });
  for (const v of new Set([low, 0, high])) {
    chart.appendChild(svg('line', { x1: left, x2: W - right, y1: y(v), y2: y(v), stroke: v === 0 ? '#8a94a3' : '#dde1e6' }));
    chart.appendChild(svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end', fill: '#4b5563' }, String(v)));
  }
  periods.forEach((p, i) => {
    const anchor = periods.length > 1 && i === 0 ? 'start' : i === periods.length - 1 && i > 0 ? 'end' : 'middle';
    chart.appendChild(svg('text', { x: x(i), y: H - 12, 'text-anchor': anchor, fill: '#4b5563' }, p.label || ''));
  });
  const legend = [];
  history.series.forEach((s, k) => {
    const colour = CHART_COLOURS[k % CHART_COLOURS.length];
    const line = svg('polyline', {
      points: s.points.map((v, i) => x(i) + ',' + y(v)).join(' '),
      fill: 'none', stroke: colour, 'stroke-width': 2,
      'data-subject': s.subject, 'data-points': s.points.join(','),
    });
    chart.appendChild(line);
    s.points.forEach((v, i) => {
      const dot = svg('circle', { cx: x(i), cy: y(v), r: 3.5, fill: colour });
      dot.appendChild(svg('title', {}, s.subject + ': ' + v + ' (' + (periods[i].label || '') + ')'));
      chart.appendChild(dot);
    });
    const item = el('li', null, { 'data-subject': s.subject });
    const swatch = svg('svg', { viewBox: '0 0 10 10' });
    swatch.appendChild(svg('rect', { width: 10, height: 10, fill: colour }));
    item.append(swatch, s.subject);
    legend.push(item);
  });
  $('score-chart-legend').replaceChildren(...legend);
}

async function explain(subject) {
  state.explained = subject;
  const kind = $('score-subjects').value;
  const r = await api('GET', '/api/scores/explain?subject_kind=' + kind + '&subject=' +
    encodeURIComponent(subject) + '&period=' + $('score-period').value);
  if (r.status !== 200) { say(errorText(r.body), true); return; }
  $('explain').hidden = false;
  $('explain-title').textContent = t('scores.explain', { subject, points: r.body.totals ? r.body.totals.points : 0 });
  const mayVoid = state.session.permissions.includes('record_score');
  $('void-reason').hidden = !mayVoid;
  $('explain-body').replaceChildren(...r.body.entries.map((e) => {
    const row = el('tr', null, { 'data-entry': String(e.entry), 'data-voided': e.voided ? 'yes' : 'no' });
    row.appendChild(el('td', timeText(e.at)));
    row.appendChild(el('td', e.label + (e.voided ? ' (' + t('scores.voided', { by: e.voided_by, reason: e.void_reason }) + ')' : '')));
    row.appendChild(el('td', String(e.points)));
    row.appendChild(el('td', e.post));
    const actions = el('td');
    if (mayVoid && !e.voided) {
      actions.appendChild(el('button', t('action.void'), { type: 'button', 'data-action': 'void', 'data-entry': String(e.entry) }));
    }
    row.appendChild(actions);
    return row;
  }));
}

async function voidEntry(entry) {
  const reason = $('void-reason').value.trim();
  if (!reason) { $('void-reason').focus(); say(t('scores.void_reason'), true); return; }
  const r = await api('POST', '/api/scores/entries/' + entry + '/void', { reason });
  if (r.status !== 200) { say(errorText(r.body), true); return; }
  say(t('done.void'), false);
  $('void-reason').value = '';
  await loadScores();
  if (state.explained) await explain(state.explained);
}

async function submitScoreForm(event, path, body, doneKey) {
  event.preventDefault();
  const r = await api('POST', path, body);
  if (r.status !== 200) { say(errorText(r.body), true); return; }
  say(t(doneKey), false);
  event.target.reset();
  loadScores();
}
