// Picket console: the page's state, helpers, language, session and wiring; the pages are
// in incidents.js, gates.js, patrols.js and scores.js (loaded after this file). Plain
// JavaScript, no libraries, nothing inline (the CSP forbids inline script and style). Text
// reaches the page only through textContent. Stable ids and data- attributes are for
// people and for browser tests alike.
'use strict';

const state = {
  session: null,        // GET /api/session
  messages: {},         // GET /api/i18n
  lang: 'en',
  incidents: new Map(), // id -> incident (open and recently closed)
  selected: 0,          // incident shown in the detail panel
  history: [],          // its history lines
  source: null,         // the EventSource
  gates: [],            // recent gate decisions, newest first
  page: 'incidents',    // the page shown: incidents or gates
  soundBlocked: false,
};

const $ = (id) => document.getElementById(id);

function t(key, params) {
  let text = state.messages[key];
  if (text === undefined) text = key;
  if (params) {
    for (const [k, v] of Object.entries(params)) text = text.split('{' + k + '}').join(String(v));
  }
  return text;
}

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  if (attrs) for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

async function api(method, path, body) {
  const options = { method, headers: {}, credentials: 'same-origin' };
  if (method !== 'GET') {
    options.headers['Content-Type'] = 'application/json';
    if (state.session) options.headers['X-CSRF-Token'] = state.session.csrf;
    options.body = JSON.stringify(body || {});
  }
  let response;
  try {
    response = await fetch(path, options);
  } catch (e) {
    return { status: 0, body: { error: { code: 'unavailable', message: String(e) } } };
  }
  let json = {};
  try { json = await response.json(); } catch (e) { json = {}; }
  return { status: response.status, body: json };
}

function errorText(body) {
  const err = (body && body.error) || { code: 'unavailable', message: '' };
  const key = 'error.' + err.code;
  if (state.messages[key] !== undefined) return t(key, { seconds: err.retry_after || '', message: err.message });
  return t('error.refused', { message: err.message || err.code });
}

function say(text, isError) {
  const status = $('status');
  status.textContent = text;
  status.className = isError ? 'error' : '';
}

// --- language ---------------------------------------------------------------------

async function loadLanguage(lang) {
  const r = await api('GET', '/api/i18n?lang=' + encodeURIComponent(lang));
  if (r.status !== 200) return;
  state.lang = r.body.lang;
  state.messages = r.body.messages;
  document.documentElement.lang = state.lang;
  $('lang-select').value = state.lang;
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll('[data-i18n-placeholder]')) {
    node.setAttribute('placeholder', t(node.dataset.i18nPlaceholder));
  }
  document.title = t('app.title');
  renderUser();
  renderIncidents();
  renderGates();
  renderDetail();
}

async function changeLanguage() {
  const lang = $('lang-select').value;
  try { localStorage.setItem('picket.lang', lang); } catch (e) { /* private mode */ }
  if (state.session) {
    const r = await api('POST', '/api/session/lang', { lang });
    if (r.status === 200) state.session = r.body;
  }
  await loadLanguage(lang);
}

// --- session ----------------------------------------------------------------------

function renderUser() {
  if (!state.session) return;
  $('user-name').textContent = t('session.user', {
    login: state.session.name || state.session.login,
    role: t('role.' + state.session.role),
  });
}

function showLogin() {
  state.session = null;
  if (state.source) { state.source.close(); state.source = null; }
  $('banner-disconnected').hidden = true;
  $('login-page').hidden = false;
  $('incidents-page').hidden = true;
  $('gates-page').hidden = true;
  $('scores-page').hidden = true;
  $('patrols-page').hidden = true;
  $('reports-page').hidden = true;
  $('incident-detail').hidden = true;
  $('nav').hidden = true;
  $('user-box').hidden = true;
}

async function signedIn(session) {
  state.session = session;
  $('login-page').hidden = true;
  $('nav').hidden = false;
  $('user-box').hidden = false;
  const canAct = session.permissions.includes('act_on_incident');
  document.body.dataset.canAct = canAct ? 'yes' : 'no';
  if (session.lang !== state.lang) await loadLanguage(session.lang);
  renderUser();
  showPage();
  askForNotifications();
  await loadBoard();
}

async function login(event) {
  event.preventDefault();
  $('login-error').textContent = '';
  const r = await api('POST', '/api/login', { login: $('login-login').value, password: $('login-password').value });
  $('login-password').value = '';
  if (r.status !== 200) { $('login-error').textContent = errorText(r.body); return; }
  await signedIn(r.body);
}

async function logout(everywhere) {
  await api('POST', everywhere ? '/api/logout-everywhere' : '/api/logout', {});
  showLogin();
}

function showPage() {
  const pages = { '#gates': 'gates', '#patrols': 'patrols', '#scores': 'scores', '#reports': 'reports' };
  const page = pages[location.hash] || 'incidents';
  state.page = page;
  if (!state.session) return;
  $('incidents-page').hidden = page !== 'incidents';
  $('gates-page').hidden = page !== 'gates';
  $('scores-page').hidden = page !== 'scores';
  $('patrols-page').hidden = page !== 'patrols';
  $('reports-page').hidden = page !== 'reports';
  if (page !== 'incidents') $('incident-detail').hidden = true;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page === page) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (page === 'gates') loadRollCall();
  if (page === 'scores') loadScores();
  if (page === 'patrols') loadPatrols();
}

// --- wiring ---------------------------------------------------------------------------------

function onClick(event) {
  if (state.soundBlocked) { state.soundBlocked = false; $('banner-sound').hidden = true; }
  const button = event.target.closest('button[data-action]');
  if (!button) return;
  const action = button.dataset.action;
  const id = Number(button.dataset.incidentId || state.selected);
  if (action === 'acknowledge') act(id, '/acknowledge', {}, 'done.acknowledge');
  else if (action === 'details') openDetail(id);
  else if (action === 'void') voidEntry(Number(button.dataset.entry));
  else if (action === 'step') {
    act(id, '/steps/' + encodeURIComponent(button.dataset.step) + '/done', {}, 'done.step')
      .then((ok) => { if (ok) openDetail(id); });
  }
}

async function start() {
  document.addEventListener('click', onClick);
  $('banner-sound').addEventListener('click', () => { $('alert-sound').play().catch(() => {}); });
  $('login-form').addEventListener('submit', login);
  $('logout').addEventListener('click', () => logout(false));
  $('logout-everywhere').addEventListener('click', () => logout(true));
  $('lang-select').addEventListener('change', changeLanguage);
  $('detail-close').addEventListener('click', () => { state.selected = 0; $('incident-detail').hidden = true; });
  $('note-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const text = $('note-text').value.trim();
    if (text && await act(state.selected, '/note', { text }, 'done.note')) $('note-text').value = '';
  });
  $('resolve-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const reason = $('resolve-reason').value.trim();
    if (await act(state.selected, '/resolve', { override_reason: reason }, 'done.resolve')) {
      $('resolve-reason').value = '';
    }
  });
  $('roll-call-refresh').addEventListener('click', loadRollCall);
  $('roll-call-print').addEventListener('click', () => window.print());
  window.addEventListener('hashchange', showPage);
  $('score-refresh').addEventListener('click', loadScores);
  $('patrols-refresh').addEventListener('click', loadPatrols);
  $('report-form').addEventListener('submit', loadReport);
  $('report-print').addEventListener('click', () => window.print());
  setInterval(() => { if (state.session && state.page === 'patrols') loadPatrols(); }, 30000);
  $('score-subjects').addEventListener('change', loadScores);
  $('score-period').addEventListener('change', loadScores);
  $('explain-close').addEventListener('click', () => { state.explained = ''; $('explain').hidden = true; });
  $('commend-form').addEventListener('submit', (e) => submitScoreForm(e, '/api/scores/commendations', {
    post: $('commend-post').value.trim(), guard: $('commend-guard').value.trim(), reason: $('commend-reason').value.trim(),
  }, 'done.commend'));
  $('inspect-form').addEventListener('submit', (e) => submitScoreForm(e, '/api/scores/inspections', {
    post: $('inspect-post').value.trim(),
    guard: $('inspect-guard').value.trim(),
    findings: [{ category: $('inspect-category').value.trim(), passed: $('inspect-passed').checked, note: $('inspect-note').value.trim() }],
  }, 'done.inspect'));
  setInterval(refreshAges, 10000);
  let lang = 'en';
  try { lang = localStorage.getItem('picket.lang') || (navigator.language.startsWith('zh') ? 'zh-CN' : 'en'); } catch (e) { /* */ }
  await loadLanguage(lang);
  const r = await api('GET', '/api/session');
  if (r.status === 200) await signedIn(r.body); else showLogin();
}

document.addEventListener('DOMContentLoaded', start);
