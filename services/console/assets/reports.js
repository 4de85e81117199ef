// Picket console: the daily activity report of a post (shift or day), printable and as
// CSV. Plain JavaScript sharing the page's globals with app.js; text only via textContent.
'use strict';

function reportQuery() {
  return 'post=' + encodeURIComponent($('report-post').value.trim()) + '&period=' + $('report-period').value;
}

// A visit: the person (name and company, or key), the kind of pass and when they left;
// else the line's own text.
function whatText(l) {
  if (l.kind !== 'visit') return l.what;
  let text = l.what;
  if (l.person_kind) text += ' [' + t('kind.' + l.person_kind) + ']';
  if (l.until) text += ', ' + t('report.left_at', { time: timeText(l.until) });
  return text;
}

function statusText(l) {
  if (l.kind === 'visit') return t('report.status.' + l.status);
  if (l.kind === 'round') return t('round.' + l.status);
  return l.status;
}

function totalsText(totals) {
  const rounds = Object.entries(totals.rounds || {}).map(([status, n]) => t('round.' + status) + ' ' + n);
  return t('report.totals', {
    visits: totals.visits || 0,
    on_site: totals.visits_on_site || 0,
    incidents: totals.incidents || 0,
    active: totals.incidents_active || 0,
    rounds: rounds.length ? rounds.join(', ') : '0',
  });
}

async function loadReport(event) {
  if (event) event.preventDefault();
  const r = await api('GET', '/api/reports/daily?' + reportQuery());
  if (r.status === 401) { showLogin(); return; }
  if (r.status !== 200) { say(errorText(r.body), true); return; }
  $('report-heading').textContent = t('report.heading', { post: r.body.post, label: r.body.period.label });
  $('report-incomplete').hidden = r.body.incomplete.length === 0;
  $('report-incomplete').textContent = t('report.incomplete', { sources: r.body.incomplete.join(', ') });
  $('report-totals').textContent = totalsText(r.body.totals || {});
  $('report-none').hidden = r.body.lines.length > 0;
  $('report-body').replaceChildren(...r.body.lines.map((l) => {
    const row = el('tr', null, { 'data-kind': l.kind });
    row.appendChild(el('td', timeText(l.at)));
    row.appendChild(el('td', t('report.kind.' + l.kind)));
    row.appendChild(el('td', whatText(l)));
    row.appendChild(el('td', l.who));
    row.appendChild(el('td', statusText(l)));
    row.appendChild(el('td', l.kind === 'score' ? String(l.points) : ''));
    return row;
  }));
  $('report-csv').setAttribute('href', '/api/reports/daily?' + reportQuery() + '&format=csv');
  $('report-csv').hidden = false;
  $('report-print').hidden = false;
}
