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
