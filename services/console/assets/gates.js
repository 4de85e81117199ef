// Picket console: the Gates page: decisions at the gates and the roll call. Plain JavaScript sharing the page's globals with app.js
// (loaded after it, before the page starts); nothing inline, text only through textContent.
'use strict';

// --- gates ------------------------------------------------------------------------------

function onGate(decision) {
  if (state.gates.some((d) => d.seq === decision.seq)) return;
  state.gates.unshift(decision);
  if (state.gates.length > 200) state.gates.length = 200;
  renderGates();
}

function timeText(micros) {
  return micros ? new Date(micros / 1000).toLocaleString(state.lang) : '';
}

function renderGates() {
  if (!state.session) return;
  $('gate-decisions-body').replaceChildren(...state.gates.map((d) => {
    const row = el('tr', null, { 'data-seq': String(d.seq), 'data-decision': d.type });
    row.appendChild(el('td', timeText(d.at)));
    row.appendChild(el('td', t('decision.' + d.type)));
    row.appendChild(el('td', d.post));
    row.appendChild(el('td', d.gate));
    row.appendChild(el('td', d.person));
    row.appendChild(el('td', d.direction ? t('direction.' + d.direction) : ''));
    row.appendChild(el('td', d.reason));
    row.appendChild(el('td', d.actor));
    return row;
  }));
  $('gate-decisions-none').hidden = state.gates.length > 0;
}

async function loadRollCall() {
  const r = await api('GET', '/api/gates/on-site');
  if (r.status === 401) { showLogin(); return; }
  $('roll-call-error').hidden = r.status === 200;
  if (r.status !== 200) return;
  const people = r.body.on_site;
  $('roll-call-count').textContent = t('gates.roll_call_count', { n: people.length });
  $('roll-call-body').replaceChildren(...people.map((p) => {
    const row = el('tr', null, { 'data-person': p.person, 'data-kind': p.kind });
    row.appendChild(el('td', p.name));
    row.appendChild(el('td', p.person));
    row.appendChild(el('td', t('kind.' + p.kind)));
    row.appendChild(el('td', p.gate));
    row.appendChild(el('td', timeText(p.since)));
    return row;
  }));
}
