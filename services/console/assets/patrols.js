// Picket console: the Patrols page: rounds in progress and today's rounds. Plain JavaScript sharing the page's globals with app.js
// (loaded after it, before the page starts); nothing inline, text only through textContent.
'use strict';

// --- patrols ------------------------------------------------------------------------------

function progress(round) {
  const done = round.checkpoints.filter((c) => c.state === 'on_time' || c.state === 'late').length;
  return { done, total: round.checkpoints.length };
}

async function loadPatrols() {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  const from = start.getTime() * 1000;
  const to = from + 86400 * 1000 * 1000;
  const [today, current] = await Promise.all([
    api('GET', '/api/patrols/rounds?from=' + from + '&to=' + to),
    api('GET', '/api/patrols/current'),
  ]);
  if (today.status === 401 || current.status === 401) { showLogin(); return; }
  $('patrols-error').hidden = today.status === 200 && current.status === 200;
  if (today.status === 200) {
    const rounds = today.body.rounds.slice().sort((a, b) => a.route.localeCompare(b.route) || a.due - b.due);
    $('rounds-body').replaceChildren(...rounds.map((r) => {
      const row = el('tr', null, { 'data-round': String(r.round), 'data-status': r.status, 'data-route': r.route });
      const p = progress(r);
      row.appendChild(el('td', r.route));
      row.appendChild(el('td', r.post));
      row.appendChild(el('td', timeText(r.due)));
      row.appendChild(el('td', t('round.' + r.status)));
      row.appendChild(el('td', r.guard || r.assigned));
      row.appendChild(el('td', timeText(r.started_at)));
      row.appendChild(el('td', t('patrols.progress', p)));
      return row;
    }));
    $('rounds-none').hidden = rounds.length > 0;
  }
  if (current.status === 200) {
    $('current-rounds').replaceChildren(...current.body.rounds.map((r) => {
      const card = el('div', null, { class: 'round-card', 'data-round': String(r.round) });
      const p = progress(r);
      card.appendChild(el('strong', r.route + ' / ' + r.post + ' / ' + r.guard + ' '));
      card.appendChild(el('meter', null, { min: '0', max: String(Math.max(1, p.total)), value: String(p.done) }));
      card.appendChild(el('span', ' ' + t('patrols.progress', p)));
      const list = el('ol');
      for (const c of r.checkpoints) {
        list.appendChild(el('li', c.tag + ': ' + t('checkpoint.' + c.state), { 'data-tag': c.tag, 'data-state': c.state }));
      }
      card.appendChild(list);
      return card;
    }));
  }
}
