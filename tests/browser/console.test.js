// Browser tests of picket-console (issue 14): real picket-bus, picket-escalation, picket-scoring and
// picket-console processes in a fresh temp dir, Debian's chromium driven by playwright-core,
// the bus checked with picketctl; the site runs with keys ([security]). Run by tests/browser/run
// (ctest label "browser").
//
//   PICKET_BIN=build/bin PICKET_BROWSER_OUT=/tmp/out node --test tests/browser/console.test.js
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawn, execFileSync, execFile } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const BIN = path.resolve(process.env.PICKET_BIN || path.join(__dirname, '../../build/bin'));
const CHROMIUM = process.env.PICKET_CHROMIUM || '/usr/bin/chromium';
const OUT = process.env.PICKET_BROWSER_OUT ||
  fs.mkdtempSync(path.join(os.tmpdir(), 'picket-browser-out-'));
const README_SHOT = process.env.PICKET_README_SHOT || '';  // docs/images/console-incidents.png
const DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-browser-'));
const CONFIG = path.join(DIR, 'site.toml');
const LOGIN = 'otto';
const PASSWORD = 'correct horse battery staple';

fs.mkdirSync(OUT, { recursive: true });

// --- processes ------------------------------------------------------------------------------

const children = [];

function killAll() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      try { process.kill(-child.pid, 'SIGKILL'); } catch (e) { /* gone */ }
    }
  }
}
process.on('exit', killAll);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { killAll(); process.exit(1); });

function startService(name) {
  const log = fs.openSync(path.join(DIR, name + '.log'), 'a');
  // detached: its own process group, so killAll takes anything it started with it.
  const child = spawn(path.join(BIN, 'picket-' + name), ['--config', CONFIG, '--data-dir', path.join(DIR, 'data', name),
    '--log-level', 'info'],
    { cwd: DIR, detached: true, stdio: ['ignore', log, log] });
  children.push(child);
  return child;
}

async function waitFor(what, fn, deadlineMs = 15000, everyMs = 25) {
  const end = Date.now() + deadlineMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      if (e.fatal) throw e;
      last = e;
    }
    if (Date.now() > end) {
      throw new Error('timed out after ' + deadlineMs + ' ms waiting for ' + what + (last ? ': ' + last.message : ''));
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function readyFile(name) {
  return waitFor(name + "'s ready file", () => {
    for (const c of children) {
      if (c.exitCode !== null) {
        const e = new Error('a service exited (' + c.exitCode + '): see ' + DIR + '/*.log\n' +
          fs.readdirSync(DIR).filter((f) => f.endsWith('.log')).map((f) => f + ': ' +
            fs.readFileSync(path.join(DIR, f), 'utf8').slice(-2000)).join('\n'));
        e.fatal = true;
        throw e;
      }
    }
    const f = path.join(DIR, 'data', name, 'ready');
    return fs.existsSync(f) && fs.readFileSync(f, 'utf8').trim().length > 0 ? f : null;
  });
}

// picketctl with the site's admin key ([security] picketctl_key), or `as`'s key.
function picketctl(args, as = '') {
  const key = as ? ['--key', path.join(KEYS, as + '.key')] : [];
  return new Promise((resolve, reject) => {
    execFile(path.join(BIN, 'picketctl'), [...args, '--config', CONFIG, ...key], { cwd: DIR, timeout: 20000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error('picketctl ' + args.join(' ') + ': ' + err.message + '\n' + stderr));
        else resolve(stdout);
      });
  });
}

// As the post's terminal, with its key (the producer is the key's identity).
function publishIncident(note, kind = 'intrusion', post = 'gate-1') {
  return picketctl(['publish', '--type', 'terminal.incident_reported',
    '--actor', 'guard-7', '--body', JSON.stringify({ post, kind, note })], post + '-terminal');
}

// Every event on the bus (picketctl tail from seq 1 until the head), as lines.
async function busLog() {
  return picketctl(['tail', '--from', '1', '--no-follow', '--type', 'escalation.']);
}

async function incidentOnBus(id) {
  return JSON.parse(await picketctl(['incident', 'show', String(id), '--json']));
}

// --- the site -------------------------------------------------------------------------------

// The site runs with keys, as every site should: a CURVE key pair per identity (picketctl
// keys new) and the [security] section listing them; every endpoint admits only these.
const KEYS = path.join(DIR, 'keys');
const IDENTITIES = [
  ['bus', 'role = "service"'], ['escalation', 'role = "service"'], ['scoring', 'role = "service"'],
  ['console', 'role = "service"'],
  ['gate-1-terminal', 'role = "terminal", post = "gate-1"'],
  [LOGIN, 'role = "officer"'],  // otto puts himself on duty with his own key
  ['admin', 'role = "admin"'],  // picketctl's key for everything else
];

function securitySection() {
  let text = `[security]\nkeys = "keys"\npicketctl_key = "keys/admin.key"\n\n[security.identities]\n`;
  fs.mkdirSync(KEYS, { recursive: true });
  for (const [name, role] of IDENTITIES) {
    execFileSync(path.join(BIN, 'picketctl'), ['keys', 'new', '--name', name, '--dir', KEYS]);
    const pub = fs.readFileSync(path.join(KEYS, name + '.pub'), 'utf8').match(/^public = "(.*)"$/m)[1];
    text += `"${name}" = { ${role}, public = "${pub}" }\n`;
  }
  return text;
}

function writeConfig() {
  const account = execFileSync(path.join(BIN, 'picket-console'), ['hash-password', LOGIN, '--role', 'officer'],
    { input: PASSWORD + '\n' }).toString().trim();
  fs.writeFileSync(CONFIG, `[site]
id = "browser-test"
name = "Browser test site"
data_root = "${DIR}/data"
services = ["bus", "escalation", "scoring", "console"]

[bus]
ingest = "tcp://127.0.0.1:*"
events = "tcp://127.0.0.1:*"
replay = "tcp://127.0.0.1:*"
http = "127.0.0.1:0"
sync = true

[escalation]
commands = "tcp://127.0.0.1:*"
http = "127.0.0.1:0"

[escalation.roster]
leader_role = "squad_leader"
people = { chief = ["manager"] }

[escalation.policies.standard]
fallback = ["person:chief"]
fallback_wait = "1h"
[[escalation.policies.standard.levels]]
targets = ["role:duty_officer"]
wait = "1h"

[escalation.incident_types.intrusion]
severity = "high"
key = "{post}/{note}"
policy = "standard"
[[escalation.incident_types.intrusion.steps]]
id = "inspect"
text = "Go and look; keep your distance"
mandatory = true
phrase = "Security! Stop where you are, please."
[[escalation.incident_types.intrusion.steps]]
id = "photo"
text = "Take a photo for the report"

[[escalation.rules]]
event = "terminal.incident_reported"
match = { kind = "intrusion" }
incident = "intrusion"

# picket-scoring with its default rules: otto's fast acknowledgement earns him points.
[scoring]
commands = "tcp://127.0.0.1:*"
http = "127.0.0.1:0"
time_zone = "UTC0"
shifts = ["00:00", "08:00", "16:00"]
posts = ["hq", "gate-1"]

[console]
listen = "127.0.0.1:0"
http = "127.0.0.1:0"
login_attempts_per_client = 1000

[console.accounts]
${account}

${securitySection()}`);
}

let browser;
let context;
let page;
let base;

before(async () => {
  writeConfig();
  startService('bus');
  await readyFile('bus');
  startService('escalation');
  startService('scoring');
  startService('console');
  await readyFile('escalation');
  await readyFile('scoring');
  await readyFile('console');
  // otto, the officer who signs in, goes on duty: the alerts of level 1 are his.
  await picketctl(['shift', 'start', LOGIN, '--post', 'hq', '--role', 'duty_officer'], LOGIN);
  await waitFor('otto on duty in picket-escalation', async () =>
    JSON.parse(await picketctl(['shift', 'list', '--json'])).onDuty.some((d) => d.person === LOGIN), 10000, 100);
  const consoleJson = path.join(DIR, 'data', 'console', 'console.json');
  base = (await waitFor('console.json', () => fs.existsSync(consoleJson) &&
    JSON.parse(fs.readFileSync(consoleJson, 'utf8')))).url.replace(/\/$/, '');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  await context.grantPermissions(['notifications'], { origin: base });
  // Record every notification and every play() of a media element (the alert sound); the
  // page's CSP forbids inline script, but an init script is the browser's, not the page's.
  await context.addInitScript(() => {
    window.__picket = { notifications: [], plays: 0 };
    const Real = window.Notification;
    if (Real) {
      const Fake = function (title, options) {
        window.__picket.notifications.push({ title, body: options && options.body });
        return new Real(title, options);
      };
      Fake.prototype = Real.prototype;
      Object.defineProperty(Fake, 'permission', { get: () => Real.permission });
      Fake.requestPermission = (...a) => Real.requestPermission(...a);
      window.Notification = Fake;
    }
    const play = HTMLMediaElement.prototype.play;
    HTMLMediaElement.prototype.play = function () {
      window.__picket.plays += 1;
      return play.call(this).catch(() => {});  // headless may refuse sound: it was still asked
    };
  });
  page = await context.newPage();
  page.setDefaultTimeout(10000);
});

after(async () => {
  try { if (browser) await browser.close(); } finally {
    killAll();
    await waitFor('the services to exit', () => children.every((c) => c.exitCode !== null || c.signalCode !== null), 5000);
    // The services' logs go with the screenshots; the temp dir goes (PICKET_KEEP_TMP=1 keeps it).
    const logs = path.join(OUT, 'logs');
    fs.mkdirSync(logs, { recursive: true });
    for (const f of fs.readdirSync(DIR).filter((n) => n.endsWith('.log') || n === 'site.toml')) {
      fs.copyFileSync(path.join(DIR, f), path.join(logs, f));
    }
    if (!process.env.PICKET_KEEP_TMP) fs.rmSync(DIR, { recursive: true, force: true });
    console.log('screenshots in ' + OUT);
    for (const f of fs.readdirSync(OUT).filter((n) => n.endsWith('.png')).sort()) {
      console.log('  ' + path.join(OUT, f));
    }
  }
});

async function shot(name) {
  await page.screenshot({ path: path.join(OUT, name + '.png') });
}

async function rowCount() {
  return page.locator('#incidents-body tr[data-incident-id]').count();
}

// --- the scenarios (in order: each builds on the one before) ----------------------------------

test('a wrong password is refused on the page and by the API', async () => {
  await page.goto(base + '/');
  await page.locator('#login-form').waitFor();
  await shot('01-login');
  await page.fill('#login-login', LOGIN);
  await page.fill('#login-password', 'not the password');
  await page.click('#login-submit');
  await waitFor('the login error', async () => (await page.textContent('#login-error')).trim().length > 0, 10000);
  assert.ok(await page.locator('#login-page').isVisible(), 'still on the login page');
  assert.ok(await page.locator('#nav').isHidden());
  const r = await page.request.post(base + '/api/login', { data: { login: LOGIN, password: 'nope' } });
  assert.equal(r.status(), 401);
  assert.equal((await r.json()).error.code, 'bad_credentials');
});

test('log in', async () => {
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.locator('#incidents-page').waitFor({ state: 'visible' });
  assert.ok(await page.locator('#nav').isVisible());
  assert.match(await page.textContent('#user-name'), new RegExp(LOGIN));
  await page.click('#top h1');  // the first click: the page asks for notifications (granted)
});

test('a POST without the CSRF token is refused', async () => {
  const noToken = await page.evaluate(async () => {
    const r = await fetch('/api/session/lang', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ lang: 'zh-CN' }) });
    return { status: r.status, body: await r.json() };
  });
  assert.equal(noToken.status, 403);
  assert.equal(noToken.body.error.code, 'csrf');
  const viaRequest = await page.request.post(base + '/api/incidents/1/acknowledge', { data: {} });
  assert.equal(viaRequest.status(), 403);
  assert.equal((await viaRequest.json()).error.code, 'csrf');
  const session = await page.evaluate(async () => (await fetch('/api/session')).json());
  assert.equal(session.lang, 'en', 'the refused change did not happen');
});

let firstId = 0;

test('a reported incident appears within 2 s with sound and notification', async () => {
  assert.equal(await rowCount(), 0);
  await publishIncident('fence cut near gate 1');
  const published = Date.now();
  const row = page.locator('#incidents-body tr[data-incident-id]').first();
  await row.waitFor({ state: 'visible', timeout: 5000 });
  const latency = Date.now() - published;
  console.log('incident on the page ' + latency + ' ms after the publish returned');
  assert.ok(latency < 2000, 'the incident appeared after ' + latency + ' ms (must be < 2000)');
  firstId = Number(await row.getAttribute('data-incident-id'));
  assert.ok(firstId > 0);
  assert.equal(await row.getAttribute('data-severity'), '3');
  await waitFor('the alert sound and notification', () => page.evaluate(
    () => window.__picket.plays > 0 && window.__picket.notifications.length > 0), 5000);
  const rec = await page.evaluate(() => window.__picket);
  assert.ok(rec.notifications[0].title.length > 0);
  await shot('02-incidents');
});

test('acknowledge in the page: the state changes on the bus', async () => {
  const row = page.locator(`#incident-${firstId}`);
  await row.locator('button[data-action="acknowledge"]').click();
  await page.locator(`#incident-${firstId}[data-state="acknowledged"]`).waitFor();
  await waitFor('escalation.incident_acknowledged on the bus', async () =>
    /escalation\.incident_acknowledged/.test(await busLog()), 10000, 200);
  const shown = (await incidentOnBus(firstId)).summary;
  assert.equal(shown.state.toLowerCase(), 'acknowledged');
  assert.equal(shown.acknowledgedBy, LOGIN);
});

test('tick the procedure steps and resolve', async () => {
  await page.locator(`#incident-${firstId} button[data-action="details"]`).click();
  const detail = page.locator('#incident-detail');
  await detail.waitFor({ state: 'visible' });
  await page.locator('#detail-procedure li[data-step="inspect"]').waitFor();
  assert.match(await page.textContent('#detail-procedure'), /Security! Stop where you are, please\./);
  await shot('03-incident-detail');
  if (README_SHOT) {  // the README's: the list and the open incident's procedure, from the top
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: README_SHOT });
  }
  for (const step of ['inspect', 'photo']) {
    await page.locator(`#detail-procedure li[data-step="${step}"] button[data-action="step"]`).click();
    // done, and the page has read the procedure back from picket-escalation (who did it)
    await page.locator(`#detail-procedure li[data-step="${step}"][data-done="yes"]`, { hasText: LOGIN }).waitFor();
  }
  await page.click('#resolve-submit');
  try {
    await page.locator(`#incident-detail[data-state="resolved"]`).waitFor();
  } catch (e) {
    e.message += '\npage status: ' + await page.textContent('#status');
    throw e;
  }
  await page.locator(`#closed-${firstId}[data-state="resolved"]`).waitFor();
  await waitFor('escalation.incident_resolved on the bus', async () => {
    const log = await busLog();
    return /escalation\.step_done/.test(log) && /escalation\.incident_resolved/.test(log);
  }, 10000, 200);
  const shown = await incidentOnBus(firstId);
  assert.equal(shown.summary.state.toLowerCase(), 'resolved');
  assert.deepEqual(shown.procedure.map((p) => [p.step, p.done, p.doneBy]), [['inspect', true, LOGIN], ['photo', true, LOGIN]]);
  await shot('04-incident-resolved');
  await page.click('#detail-close');
});

test('reload mid-stream and miss no event', async () => {
  const notes = [];
  for (let i = 0; i < 3; i++) { notes.push('before reload ' + i); await publishIncident(notes[i]); }
  let firstDone;
  const firstPublished = new Promise((r) => { firstDone = r; });
  const publishing = (async () => {
    for (let i = 0; i < 6; i++) {
      const note = 'during reload ' + i;
      notes.push(note);
      await publishIncident(note);
      if (i === 0) firstDone();
    }
  })();
  await firstPublished;
  await page.reload();  // while the other five are being published
  await publishing;
  for (let i = 0; i < 2; i++) { const note = 'after reload ' + i; notes.push(note); await publishIncident(note); }
  // The bus's truth: every incident escalation opened (picketctl incident list --json).
  const list = JSON.parse(await picketctl(['incident', 'list', '--json']));
  const openIds = list.incidents.filter((i) => !/resolved|cancelled/i.test(i.state)).map((i) => Number(i.incident));
  assert.equal(openIds.length, notes.length, 'escalation opened one incident per report');
  await waitFor('every open incident on the page', async () => {
    const ids = await page.locator('#incidents-body tr[data-incident-id]').evaluateAll(
      (rows) => rows.map((r) => Number(r.dataset.incidentId)));
    return ids.length === openIds.length && openIds.every((id) => ids.includes(id));
  }, 10000, 100);
  // The stream, not only the reload's list: one more after everything.
  const before = await rowCount();
  await publishIncident('after everything');
  await waitFor('the last incident', async () => (await rowCount()) === before + 1, 5000);
});

test('scores: the fast acknowledgement on the leaderboard and in the chart', async () => {
  await page.goto(base + '/#scores');
  await page.locator('#scores-page').waitFor({ state: 'visible' });
  // picket-scoring gives otto +3 for acknowledging within 60 s (its default rules); the
  // page shows it once the points are recorded, so refresh until then.
  await waitFor('otto on the leaderboard', async () => {
    await page.click('#score-refresh');
    await page.waitForLoadState('networkidle');
    return page.locator('#leaderboard-body tr[data-subject="otto"][data-points="3"]').count();
  }, 15000, 300);
  const line = page.locator('#score-chart polyline[data-subject="otto"]');
  await line.waitFor({ state: 'attached' });
  const points = (await line.getAttribute('data-points')).split(',').map(Number);
  assert.equal(points.length, 8, 'eight periods on the chart');
  assert.equal(points[points.length - 1], 3, "the newest period holds today's points");
  assert.equal(await page.locator('#score-chart-legend li[data-subject="otto"]').count(), 1);
});

test('the other pages', async () => {
  for (const [name, hash, sel] of [['05-gates', '#gates', '#gates-page'], ['06-patrols', '#patrols', '#patrols-page'],
    ['07-scores', '#scores', '#scores-page'], ['08-reports', '#reports', '#reports-page']]) {
    await page.goto(base + '/' + hash);
    await page.locator(sel).waitFor({ state: 'visible' });
    await page.waitForLoadState('networkidle');
    await shot(name);
  }
  await page.goto(base + '/#incidents');
  await page.locator('#incidents-page').waitFor({ state: 'visible' });
});

test('switch the language to zh-CN', async () => {
  await page.selectOption('#lang-select', 'zh-CN');
  await waitFor('the page in Chinese', async () => /事件|警/.test(await page.textContent('#nav-incidents')), 5000);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'zh-CN');
  assert.match(await page.textContent('#incidents-page h2'), /[\u4e00-\u9fff]/);
  const session = await page.evaluate(async () => (await fetch('/api/session')).json());
  assert.equal(session.lang, 'zh-CN');
  await shot('09-incidents-zh-CN');
});
