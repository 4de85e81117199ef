// Picket console: the Incidents page and the live stream. Plain JavaScript sharing the page's globals with app.js
// (loaded after it, before the page starts); nothing inline, text only through textContent.
'use strict';

// --- incidents and the live stream ----------------------------------------------------

async function loadBoard() {
  const [r, g] = await Promise.all([api('GET', '/api/incidents'), api('GET', '/api/gates/decisions')]);
  if (r.status === 401 || g.status === 401) { showLogin(); return; }
  if (r.status !== 200 || g.status !== 200) { setTimeout(loadBoard, 3000); return; }
  state.incidents.clear();
  for (const inc of r.body.open.concat(r.body.closed)) state.incidents.set(inc.id, inc);
  state.gates = g.body.decisions;
  renderIncidents();
  renderGates();
  // Both lists reflect every event up to their seq; a repeat from the stream is harmless.
  connect(Math.min(r.body.seq, g.body.seq));
}

function connect(since) {
  if (state.source) state.source.close();
  const source = new EventSource('/api/stream?since=' + since);
  state.source = source;
  source.addEventListener('open', () => { $('banner-disconnected').hidden = true; });
  source.addEventListener('error', () => {
    $('banner-disconnected').hidden = false;
    if (source.readyState === EventSource.CLOSED) {  // refused (signed out?): start over
      source.close();
      setTimeout(async () => {
        const r = await api('GET', '/api/session');
        if (r.status === 401) showLogin(); else loadBoard();
      }, 3000);
    }
  });
  source.addEventListener('hello', () => { $('banner-disconnected').hidden = true; });
  source.addEventListener('incident', (e) => onIncident(JSON.parse(e.data)));
  source.addEventListener('gate', (e) => onGate(JSON.parse(e.data)));
  source.addEventListener('walkup', () => onWalkUpChange());  // gates.js
  source.addEventListener('reload', () => { source.close(); loadBoard(); });
  source.addEventListener('logout', () => { source.close(); showLogin(); });
}

function onIncident(message) {
  const inc = message.incident;
  state.incidents.set(inc.id, inc);
  renderIncidents();
  if (inc.id === state.selected) {
    if (!state.history.some((l) => l.seq === message.line.seq)) state.history.push(message.line);
    renderDetail();
  }
  if (message.alert) alertOfficer(inc);
}

function alertOfficer(inc) {
  const row = document.querySelector('tr[data-incident-id="' + inc.id + '"]');
  if (row) row.classList.add('flash');
  const sound = $('alert-sound');
  sound.currentTime = 0;
  const played = sound.play();
  if (played && played.catch) {
    played.catch(() => { state.soundBlocked = true; $('banner-sound').hidden = false; });
  }
  if ('Notification' in window && Notification.permission === 'granted') {
    const n = new Notification(t('notify.title'), {
      body: t('notify.body', { id: inc.id, type: inc.type, post: inc.post }),
      tag: 'picket-incident-' + inc.id,
    });
    n.onclick = () => { window.focus(); openDetail(inc.id); };
  }
}

function askForNotifications() {
  if (!('Notification' in window) || Notification.permission !== 'default') return;
  const ask = () => { Notification.requestPermission(); document.removeEventListener('click', ask); };
  document.addEventListener('click', ask);
}

function age(micros) {
  const s = Math.max(0, Math.floor((Date.now() - micros / 1000) / 1000));
  if (s < 60) return t('age.seconds', { n: s });
  if (s < 3600) return t('age.minutes', { n: Math.floor(s / 60) });
  if (s < 86400) return t('age.hours', { n: Math.floor(s / 3600) });
  return t('age.days', { n: Math.floor(s / 86400) });
}

function levelText(inc) {
  if (inc.on_fallback) return t('level.fallback');
  return inc.level > 0 ? String(inc.level) : '-';
}

function actionButton(action, inc) {
  const b = el('button', t('action.' + action), { type: 'button', 'data-action': action, 'data-incident-id': String(inc.id) });
  return b;
}

function incidentRow(inc, open) {
  const row = el('tr', null, { 'data-incident-id': String(inc.id), 'data-severity': String(inc.severity), 'data-state': inc.state });
  row.id = (open ? 'incident-' : 'closed-') + inc.id;
  row.appendChild(el('td', '#' + inc.id));
  row.appendChild(el('td', t('severity.' + inc.severity), { class: 'sev sev-' + inc.severity }));
  row.appendChild(el('td', inc.type));
  row.appendChild(el('td', inc.post));
  row.appendChild(el('td', t('state.' + inc.state), { 'data-field': 'state' }));
  if (open) {
    row.appendChild(el('td', age(inc.opened_at), { 'data-field': 'age', 'data-opened-at': String(inc.opened_at) }));
    row.appendChild(el('td', String(inc.count), { 'data-field': 'count' }));
    row.appendChild(el('td', levelText(inc), { 'data-field': 'level' }));
    row.appendChild(el('td', inc.alerted.join(', '), { 'data-field': 'alerted' }));
  }
  row.appendChild(el('td', inc.acknowledged_by || inc.resolved_by, { 'data-field': 'ack-by' }));
  const actions = el('td');
  if (open && document.body.dataset.canAct === 'yes' && (inc.state === 'open' || inc.state === 'pending')) {
    actions.appendChild(actionButton('acknowledge', inc));
  }
  actions.appendChild(actionButton('details', inc));
  row.appendChild(actions);
  return row;
}

function renderIncidents() {
  if (!state.session) return;
  const all = Array.from(state.incidents.values());
  const open = all.filter((i) => i.state !== 'resolved' && i.state !== 'cancelled');
  open.sort((a, b) => (b.severity - a.severity) || (a.opened_at - b.opened_at));
  const closed = all.filter((i) => i.state === 'resolved' || i.state === 'cancelled');
  closed.sort((a, b) => b.changed_seq - a.changed_seq);
  const body = $('incidents-body');
  body.replaceChildren(...open.map((i) => incidentRow(i, true)));
  $('incidents-none').hidden = open.length > 0;
  $('closed-body').replaceChildren(...closed.slice(0, 50).map((i) => incidentRow(i, false)));
}

function refreshAges() {
  for (const cell of document.querySelectorAll('td[data-field="age"]')) {
    cell.textContent = age(Number(cell.dataset.openedAt));
  }
}

// --- the detail panel -------------------------------------------------------------------

async function openDetail(id) {
  state.selected = id;
  state.history = [];
  state.detail = null;
  $('incident-detail').hidden = false;
  renderDetail();
  const r = await api('GET', '/api/incidents/' + id);
  if (r.status !== 200) { say(errorText(r.body), true); return; }
  if (state.selected !== id) return;
  state.incidents.set(id, r.body.incident);
  state.history = r.body.history;
  state.detail = r.body.detail;
  renderDetail();
  $('incident-detail').scrollIntoView({ block: 'nearest' });
}

function historyText(line) {
  const params = Object.assign({}, line.params);
  if (line.type === 'escalation.incident_resolved' && params.override_reason) {
    params.override_reason = '(' + params.override_reason + ')';
  }
  let text = t('history.' + line.type, params);
  if (line.actor) text += ' (' + line.actor + ')';
  return text;
}

function renderDetail() {
  const inc = state.incidents.get(state.selected);
  const panel = $('incident-detail');
  if (!inc || panel.hidden) return;
  panel.dataset.incidentId = String(inc.id);
  panel.dataset.state = inc.state;
  $('detail-title').textContent = t('detail.title', { id: inc.id }) + ': ' + inc.type + ' / ' + inc.post;
  $('detail-summary').textContent = [t('severity.' + inc.severity), t('state.' + inc.state),
    t('col.count') + ' ' + inc.count, t('col.level') + ' ' + levelText(inc),
    t('col.alerted') + ': ' + inc.alerted.join(', ')].join(' · ');
  $('detail-note-box').hidden = !inc.note;
  $('detail-note').textContent = inc.note;
  const canAct = document.body.dataset.canAct === 'yes';
  const closed = inc.state === 'resolved' || inc.state === 'cancelled';
  $('detail-ack').hidden = !canAct || !(inc.state === 'open' || inc.state === 'pending');
  $('detail-ack').dataset.incidentId = String(inc.id);
  $('note-form').hidden = !canAct;
  $('resolve-form').hidden = !canAct || closed;
  const procedure = $('detail-procedure');
  procedure.replaceChildren();
  $('detail-procedure-error').hidden = state.detail !== null && state.detail !== undefined;
  if (state.detail) {
    for (const step of state.detail.procedure) {
      const done = step.done || inc.steps_done.includes(step.step);
      const li = el('li', null, { 'data-step': step.step, 'data-done': done ? 'yes' : 'no' });
      if (done) li.className = 'done';
      li.appendChild(el('span', step.text));
      if (step.mandatory) li.appendChild(el('span', t('detail.mandatory'), { class: 'mandatory' }));
      if (step.phrase) li.appendChild(el('span', t('detail.phrase', { phrase: step.phrase }), { class: 'phrase' }));
      if (done && step.done_by) li.appendChild(el('span', ' ' + t('detail.done_by', { person: step.done_by })));
      if (!done && canAct && !closed) {
        li.appendChild(el('button', t('action.step_done'), { type: 'button', 'data-action': 'step', 'data-step': step.step }));
      }
      procedure.appendChild(li);
    }
  }
  const history = $('detail-history');
  history.replaceChildren(...state.history.map((line) => {
    const li = el('li', null, { 'data-seq': String(line.seq), 'data-type': line.type });
    li.appendChild(el('time', new Date(line.at / 1000).toLocaleString(state.lang)));
    li.appendChild(el('span', historyText(line)));
    return li;
  }));
}

async function act(id, path, body, doneKey) {
  const r = await api('POST', '/api/incidents/' + id + path, body);
  if (r.status === 200) {
    say(r.body.unpublished ? t('done.unpublished') : t(doneKey), false);
    return true;
  }
  if (r.status === 401) { showLogin(); return false; }
  say(errorText(r.body), true);
  return false;
}
