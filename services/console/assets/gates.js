// Picket console: the Gates page: decisions at the gates, the walk-ups waiting for approval
// and the roll call. Plain JavaScript sharing the page's globals with app.js
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
  loadWalkUps();
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

// --- walk-ups waiting for approval ------------------------------------------------------
// The list is picket-access's (GET /api/gates/walkups); the stream's `walkup` message says it
// changed (requested, approved or denied anywhere), and the page asks for it again.

function mayDecideWalkUps() {
  return !!state.session && (state.session.permissions || []).includes('approve_walk_up');
}

async function loadWalkUps() {
  const r = await api('GET', '/api/gates/walkups');
  if (r.status === 401) { showLogin(); return; }
  $('walkups-error').hidden = r.status === 200;
  if (r.status !== 200) return;
  renderWalkUps(r.body.walkups);
}

function renderWalkUps(walkups) {
  const decide = mayDecideWalkUps();
  $('walkups-count').textContent = t('gates.walkups_count', { n: walkups.length });
  $('walkups-body').replaceChildren(...walkups.map((w) => {
    const row = el('tr', null, { 'data-walkup': w.person, 'data-person': w.person });
    row.appendChild(el('td', w.name));
    row.appendChild(el('td', w.company));
    row.appendChild(el('td', w.host));
    row.appendChild(el('td', w.gate || w.post));
    row.appendChild(el('td', timeText(w.requested_at)));
    const actions = el('td');
    if (decide) {
      actions.appendChild(el('button', t('action.approve'),
        { type: 'button', 'data-action': 'approve-walkup', 'data-person': w.person }));
      actions.appendChild(el('button', t('action.deny'),
        { type: 'button', 'data-action': 'deny-walkup', 'data-person': w.person }));
    }
    row.appendChild(actions);
    return row;
  }));
  $('walkups-none').hidden = walkups.length > 0;
  $('walkup-deny-form').hidden = !decide || walkups.length === 0;
}

// The stream said the queue changed.
function onWalkUpChange() {
  if (state.session && state.page === 'gates') loadWalkUps();
}

async function decideWalkUp(button) {
  const person = button.dataset.person;
  const approve = button.dataset.action === 'approve-walkup';
  const body = {};
  if (!approve) {
    const reason = $('walkup-reason').value.trim();
    if (!reason) { say(t('gates.walkup_reason_needed'), true); $('walkup-reason').focus(); return; }
    body.reason = reason;
  }
  button.disabled = true;
  const path = '/api/gates/walkups/' + encodeURIComponent(person) + (approve ? '/approve' : '/deny');
  const r = await api('POST', path, body);
  if (r.status === 401) { showLogin(); return; }
  if (r.status === 200) {
    say(approve ? t('done.approve_walkup') : t('done.deny_walkup'), false);
    if (!approve) $('walkup-reason').value = '';
  } else {
    say(errorText(r.body), true);
  }
  loadWalkUps();
}

document.addEventListener('click', (event) => {
  const button = event.target.closest('button[data-action="approve-walkup"], button[data-action="deny-walkup"]');
  if (button) decideWalkUp(button);
});
