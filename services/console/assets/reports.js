// Picket console: the daily activity report of a post (shift or day), printable and as
// CSV. Plain JavaScript sharing the page's globals with app.js; text only via textContent.
'use strict';

function reportQuery() {
  return 'post=' + encodeURIComponent($('report-post').value.trim()) + '&period=' + $('report-period').value;
}

async function loadReport(event) {
  if (event) event.preventDefault();
  const r = await api('GET', '/api/reports/daily?' + reportQuery());
  if (r.status === 401) { showLogin(); return; }
  if (r.status !== 200) { say(errorText(r.body), true); return; }
  $('report-heading').textContent = t('report.heading', { post: r.body.post, label: r.body.period.label });
  $('report-incomplete').hidden = r.body.incomplete.length === 0;
  $('report-incomplete').textContent = t('report.incomplete', { sources: r.body.incomplete.join(', ') });
  $('report-none').hidden = r.body.lines.length > 0;
  $('report-body').replaceChildren(...r.body.lines.map((l) => {
    const row = el('tr', null, { 'data-kind': l.kind });
    row.appendChild(el('td', timeText(l.at)));
    row.appendChild(el('td', t('report.kind.' + l.kind)));
    row.appendChild(el('td', l.what));
    row.appendChild(el('td', l.who));
    row.appendChild(el('td', l.status));
    row.appendChild(el('td', l.kind === 'score' ? String(l.points) : ''));
    return row;
  }));
  $('report-csv').setAttribute('href', '/api/reports/daily?' + reportQuery() + '&format=csv');
  $('report-csv').hidden = false;
  $('report-print').hidden = false;
}
