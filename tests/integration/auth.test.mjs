// Identity over real HTTP: accounts of every role, sign-in with lockout and TOTP, sessions by
// cookie (with CSRF) and by bearer token, API keys, sign-out, and who may call which class of
// route (allowed succeeds, forbidden 403, unauthenticated 401).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { start, getJson, assertProblem, backend, defaultBin } from './harness.mjs';

const ADMIN_KEY = 'mck_auth_test_administrator_key_abcdefghij';
const PASSWORD = 'Mật khẩu đủ dài 2026';
const ROLES = ['citizen', 'reception_officer', 'processing_officer', 'unit_leader', 'monitoring', 'administrator', 'agent'];
const OFFICIALS = new Set(['reception_officer', 'processing_officer', 'unit_leader']);
let srv;
let unit;
const sessions = {}; // role -> { token, csrf, cookie }

const admin = { Authorization: `Bearer ${ADMIN_KEY}` };
const json = { 'Content-Type': 'application/json' };

function post(path, body, headers = {}) {
  return getJson(srv.url, path, { method: 'POST', headers: { ...json, ...headers }, body: body === undefined ? undefined : JSON.stringify(body) });
}

async function createAccount(login, role, extra = {}) {
  const r = await post('/api/v1/accounts', { login, display_name: `Người thử ${login}`, role, unit: OFFICIALS.has(role) ? unit : undefined, ...extra }, admin);
  assert.equal(r.status, 201, JSON.stringify(r.body));
  return r.body;
}

async function signIn(login, password, extra = {}) {
  return post('/api/v1/auth/sign-in', { login, password, want_token: true, ...extra });
}

// RFC 6238 TOTP (SHA-1, 30 s, 6 digits), as an authenticator app computes it.
function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, value = 0;
  const out = [];
  for (const c of s.replace(/=+$/, '')) {
    value = (value << 5) | alphabet.indexOf(c);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}
function totp(secretBase32, at = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = createHmac('sha1', base32Decode(secretBase32)).update(counter).digest();
  const o = mac[19] & 0x0f;
  const n = ((mac[o] & 0x7f) << 24) | (mac[o + 1] << 16) | (mac[o + 2] << 8) | mac[o + 3];
  return String(n % 1_000_000).padStart(6, '0');
}

before(async () => {
  srv = await start({ adminKey: ADMIN_KEY, env: { MOTCUA_SIGN_IN_BURST: '30' } });
  unit = (await getJson(srv.url, '/api/v1/units')).body.items[0].code;
  for (const role of ROLES) {
    await createAccount(`u.${role}`, role, { password: PASSWORD });
    const r = await signIn(`u.${role}`, PASSWORD);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.equal(r.body.account.role, role);
    const cookie = r.headers.get('set-cookie').split(';')[0];
    sessions[role] = { token: r.body.token, csrf: r.body.csrf_token, cookie };
  }
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

const bearer = (role) => ({ Authorization: `Bearer ${sessions[role].token}` });

// One representative route per class of access. `ok` is the status an allowed caller gets.
const CLASSES = [
  { name: 'public catalogue', method: 'GET', path: '/api/v1/procedures?q=cu+tru', allowed: 'anyone', ok: 200 },
  { name: 'public notices', method: 'GET', path: '/api/v1/notices', allowed: 'anyone', ok: 200 },
  { name: 'own identity', method: 'GET', path: '/api/v1/auth/me', allowed: ROLES, ok: 200 },
  { name: 'account management', method: 'GET', path: '/api/v1/accounts', allowed: ['administrator'], ok: 200 },
  { name: 'API key management', method: 'GET', path: '/api/v1/api-keys', allowed: ['administrator'], ok: 200 },
  { name: 'catalogue import', method: 'POST', path: '/api/v1/procedures/import', body: [], allowed: ['administrator'], ok: 200 },
  { name: 'audit verification', method: 'GET', path: '/api/v1/audit/verify', allowed: ['administrator', 'monitoring'], ok: 200 },
  { name: 'metrics', method: 'GET', path: '/metrics', allowed: ['administrator', 'monitoring'], ok: 200 },
  { name: 'publishing notices', method: 'POST', path: '/api/v1/notices', body: { text_vi: 'Thông báo thử quyền' }, allowed: ['administrator', 'unit_leader'], ok: 201 },
];

test(`[${backend}] every role × every route class: allowed succeeds, others 403, no credential 401`, async () => {
  for (const c of CLASSES) {
    const init = (headers) => ({ method: c.method, headers: { ...json, ...headers }, body: c.body === undefined ? undefined : JSON.stringify(c.body) });
    const anon = await getJson(srv.url, c.path, init({}));
    if (c.allowed === 'anyone') assert.equal(anon.status, c.ok, `${c.name}: anonymous`);
    else assertProblem(assert, anon, 401);
    for (const role of ROLES) {
      const r = await getJson(srv.url, c.path, init(bearer(role)));
      const allowed = c.allowed === 'anyone' || c.allowed.includes(role);
      if (allowed) assert.equal(r.status, c.ok, `${c.name} as ${role}: ${JSON.stringify(r.body).slice(0, 200)}`);
      else {
        assertProblem(assert, r, 403);
        assert.match(r.body.detail, new RegExp(role));
      }
    }
  }
});

test(`[${backend}] a cookie session needs the CSRF token for writes, not for reads`, async () => {
  const s = sessions.unit_leader;
  const me = await getJson(srv.url, '/api/v1/auth/me', { headers: { Cookie: s.cookie } });
  assert.equal(me.status, 200);
  assert.equal(me.body.csrf_token, s.csrf);
  assert.equal(me.headers.get('cache-control'), 'no-store');
  const body = { text_vi: 'Thông báo qua cookie' };
  assertProblem(assert, await post('/api/v1/notices', body, { Cookie: s.cookie }), 403);
  assertProblem(assert, await post('/api/v1/notices', body, { Cookie: s.cookie, 'X-CSRF-Token': 'wrong' }), 403);
  const ok = await post('/api/v1/notices', body, { Cookie: s.cookie, 'X-CSRF-Token': s.csrf });
  assert.equal(ok.status, 201, JSON.stringify(ok.body));
});

test(`[${backend}] the session cookie is HttpOnly and SameSite; the token is in the body only when asked`, async () => {
  await createAccount('u.cookie', 'citizen', { password: PASSWORD });
  const r = await post('/api/v1/auth/sign-in', { login: 'u.cookie', password: PASSWORD });
  assert.equal(r.status, 200);
  assert.equal(r.body.token, undefined);
  const cookie = r.headers.get('set-cookie');
  assert.match(cookie, /^motcua_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
});

test(`[${backend}] wrong passwords lock the account with back-off; the same answer for unknown logins`, async () => {
  await createAccount('u.lockme', 'reception_officer', { password: PASSWORD });
  const unknown = await signIn('u.nobody', PASSWORD);
  assertProblem(assert, unknown, 401);
  for (let i = 1; i <= 4; i++) {
    const r = await signIn('u.lockme', 'sai mật khẩu ' + i);
    assertProblem(assert, r, 401);
    assert.equal(r.body.detail, unknown.body.detail, 'a wrong password reads like an unknown login');
  }
  const fifth = await signIn('u.lockme', 'sai mật khẩu 5');
  assertProblem(assert, fifth, 401);
  // Locked now: even the right password is refused, with how long to wait.
  const locked = await signIn('u.lockme', PASSWORD);
  assertProblem(assert, locked, 429);
  const wait = Number(locked.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
  assert.match(locked.body.detail_vi, /tạm khóa/);
  // An administrator's reset unlocks it, with a generated password that must be changed first.
  const reset = await post('/api/v1/accounts/u.lockme/reset-password', undefined, admin);
  assert.equal(reset.status, 200, JSON.stringify(reset.body));
  const initial = reset.body.initial_password;
  const first = await signIn('u.lockme', initial);
  assert.equal(first.status, 200);
  assert.equal(first.body.account.must_change_password, true);
  const auth = { Authorization: `Bearer ${first.body.token}` };
  assertProblem(assert, await post('/api/v1/auth/totp', undefined, auth), 403);
});

test(`[${backend}] an initial password must be changed before anything else`, async () => {
  const created = await createAccount('u.newbie', 'processing_officer');
  assert.match(created.initial_password, /^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
  assert.equal(created.account.must_change_password, true);
  const r = await signIn('u.newbie', created.initial_password);
  assert.equal(r.status, 200);
  const auth = { Authorization: `Bearer ${r.body.token}` };
  // Only sign-out, "me" and the password change are open.
  assertProblem(assert, await post('/api/v1/auth/totp', undefined, auth), 403);
  assert.equal((await getJson(srv.url, '/api/v1/auth/me', { headers: auth })).status, 200);
  assertProblem(assert, await post('/api/v1/auth/password', { current_password: 'wrong one!!', new_password: 'Một mật khẩu mới 1' }, auth), 403, 'current_password');
  assertProblem(assert, await post('/api/v1/auth/password', { current_password: created.initial_password, new_password: 'short' }, auth), 400, 'new_password');
  assertProblem(assert, await post('/api/v1/auth/password', { current_password: created.initial_password, new_password: '1234567890' }, auth), 400, 'new_password');
  const changed = await post('/api/v1/auth/password', { current_password: created.initial_password, new_password: 'Một mật khẩu mới 1' }, auth);
  assert.equal(changed.status, 204);
  // The change ended every session, this one too.
  assertProblem(assert, await getJson(srv.url, '/api/v1/auth/me', { headers: auth }), 401);
  const again = await signIn('u.newbie', 'Một mật khẩu mới 1');
  assert.equal(again.status, 200);
  assert.equal(again.body.account.must_change_password, false);
  assertProblem(assert, await signIn('u.newbie', created.initial_password), 401);
});

test(`[${backend}] TOTP: enrol with an authenticator code, then sign-in needs it; a code is accepted once`, async () => {
  await createAccount('u.totp', 'unit_leader', { password: PASSWORD });
  const s = await signIn('u.totp', PASSWORD);
  const auth = { Authorization: `Bearer ${s.body.token}` };
  const begin = await post('/api/v1/auth/totp', undefined, auth);
  assert.equal(begin.status, 201);
  assert.match(begin.body.secret, /^[A-Z2-7]{32}$/);
  assert.match(begin.body.uri, /^otpauth:\/\/totp\/motcua:u\.totp\?secret=[A-Z2-7]{32}&issuer=motcua/);
  assertProblem(assert, await post('/api/v1/auth/totp/confirm', { code: '000000' === totp(begin.body.secret) ? '111111' : '000000' }, auth), 400, 'code');
  const code = totp(begin.body.secret);
  assert.equal((await post('/api/v1/auth/totp/confirm', { code }, auth)).status, 204);

  const noCode = await signIn('u.totp', PASSWORD);
  assertProblem(assert, noCode, 401, 'totp_code');
  // The code used at enrolment is spent; the next step's code is not valid yet either way, so
  // a sign-in must wait for a fresh code: use the code of the next 30-second step (accepted as
  // clock skew) which is newer than the one spent.
  const replay = await signIn('u.totp', PASSWORD, { totp_code: code });
  assertProblem(assert, replay, 401);
  const next = totp(begin.body.secret, Date.now() + 30_000);
  const ok = await signIn('u.totp', PASSWORD, { totp_code: next });
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assertProblem(assert, await signIn('u.totp', PASSWORD, { totp_code: next }), 401);
});

test(`[${backend}] sign-out ends the session; disabling an account ends all of its sessions`, async () => {
  await createAccount('u.bye', 'monitoring', { password: PASSWORD });
  const one = await signIn('u.bye', PASSWORD);
  const two = await signIn('u.bye', PASSWORD);
  const a1 = { Authorization: `Bearer ${one.body.token}` };
  const a2 = { Authorization: `Bearer ${two.body.token}` };
  const out = await post('/api/v1/auth/sign-out', undefined, a1);
  assert.equal(out.status, 204);
  assert.match(out.headers.get('set-cookie'), /^motcua_session=; .*Max-Age=0/);
  assertProblem(assert, await getJson(srv.url, '/api/v1/auth/me', { headers: a1 }), 401);
  assert.equal((await getJson(srv.url, '/api/v1/auth/me', { headers: a2 })).status, 200);
  const disabled = await post('/api/v1/accounts/u.bye/disable', undefined, admin);
  assert.equal(disabled.status, 200);
  assert.equal(disabled.body.disabled, true);
  assertProblem(assert, await getJson(srv.url, '/api/v1/auth/me', { headers: a2 }), 401);
  assertProblem(assert, await signIn('u.bye', PASSWORD), 401);
  assert.equal((await post('/api/v1/accounts/u.bye/enable', undefined, admin)).status, 200);
  assert.equal((await signIn('u.bye', PASSWORD)).status, 200);
});

test(`[${backend}] API keys: created once with their secret, scoped by role, revocable`, async () => {
  const made = await post('/api/v1/api-keys', { name: 'Bưu điện Hà Nội', role: 'agent' }, admin);
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.match(made.body.secret, /^mck_[A-Za-z0-9_-]{43}$/);
  const key = { Authorization: `Bearer ${made.body.secret}` };
  const me = await getJson(srv.url, '/api/v1/auth/me', { headers: key });
  assert.equal(me.status, 200);
  assert.equal(me.body.account.role, 'agent');
  assert.equal(me.body.account.via, 'api_key');
  assertProblem(assert, await getJson(srv.url, '/api/v1/accounts', { headers: key }), 403);
  const list = await getJson(srv.url, '/api/v1/api-keys', { headers: admin });
  assert.ok(list.body.items.some((k) => k.id === made.body.key.id && k.revoked_at === ''));
  assert.ok(!JSON.stringify(list.body).includes(made.body.secret.slice(4)), 'secrets are never listed');
  assert.equal((await getJson(srv.url, `/api/v1/api-keys/${made.body.key.id}`, { method: 'DELETE', headers: admin })).status, 204);
  assertProblem(assert, await getJson(srv.url, '/api/v1/auth/me', { headers: key }), 401);
  assertProblem(assert, await getJson(srv.url, '/api/v1/api-keys/999999', { method: 'DELETE', headers: admin }), 404);
  assertProblem(assert, await post('/api/v1/api-keys', { name: 'x', role: 'citizen' }, admin), 400, 'role');
  assertProblem(assert, await post('/api/v1/api-keys', { name: 'x', role: 'reception_officer' }, admin), 400, 'unit');
});

test(`[${backend}] a citizen registers with the ID number, signs in with it, and the ID number is stored nowhere in clear`, async () => {
  const ID = '001099012345';
  const reg = await post('/api/v1/auth/register', { id_number: ID, full_name: 'Trần Thị Hoa', password: PASSWORD });
  assert.equal(reg.status, 201, JSON.stringify(reg.body));
  assert.equal(reg.body.account.role, 'citizen');
  assert.match(reg.body.account.login, /^cd\.[0-9a-f]{32}$/);
  const s = await signIn(ID, PASSWORD);
  assert.equal(s.status, 200, JSON.stringify(s.body));
  assert.equal(s.body.account.id, reg.body.account.id);
  assertProblem(assert, await post('/api/v1/auth/register', { id_number: ID, full_name: 'Ai đó', password: PASSWORD }), 409, 'id_number');
  assertProblem(assert, await post('/api/v1/auth/register', { id_number: '12345', full_name: 'Ai đó', password: PASSWORD }), 400, 'id_number');
  assertProblem(assert, await post('/api/v1/auth/register', { id_number: '079088000111', full_name: 'Ai đó', password: 'x079088000111y' }), 400, 'password');
  if (backend === 'sqlite') {
    const { readFileSync, existsSync } = await import('node:fs');
    for (const f of ['motcua.db', 'motcua.db-wal']) {
      const file = `${srv.dataDir}/${f}`;
      if (existsSync(file)) assert.ok(!readFileSync(file).includes(ID), `${f} does not hold the ID number`);
    }
  }
});

test(`[${backend}] bad account requests get clear errors and change nothing`, async () => {
  const before = (await getJson(srv.url, '/api/v1/accounts', { headers: admin })).body.items.length;
  const cases = [
    [{ login: 'Ab', display_name: 'x', role: 'citizen', password: PASSWORD }, 'login'],
    [{ login: 'có dấu', display_name: 'x', role: 'citizen', password: PASSWORD }, 'login'],
    [{ login: 'u.someone', display_name: 'x', role: 'king', password: PASSWORD }, 'role'],
    [{ login: 'u.someone', display_name: 'x', role: 'reception_officer', password: PASSWORD }, 'unit'],
    [{ login: 'u.someone', display_name: 'x', role: 'reception_officer', unit: 'KHONG-CO', password: PASSWORD }, 'unit'],
    [{ login: 'u.someone', display_name: 'x', role: 'citizen', password: 'ngắn' }, 'password'],
    [{ login: 'u.someone', display_name: 'x', role: 'citizen', password: 'u.someone-and-more' }, 'password'],
    [{ login: 'u.someone', display_name: 'x', role: 'citizen', colour: 'blue' }, 'colour'],
    [{ login: 'u.citizen', display_name: 'x', role: 'citizen', password: PASSWORD }, 'login', 409],
  ];
  for (const [body, field, status = 400] of cases) {
    assertProblem(assert, await post('/api/v1/accounts', body, admin), status, field);
  }
  assertProblem(assert, await getJson(srv.url, '/api/v1/accounts', { method: 'POST', headers: { ...admin, 'Content-Type': 'text/plain' }, body: '{}' }), 415);
  assertProblem(assert, await post('/api/v1/auth/sign-in', { login: 'x' }), 400, 'password');
  // Nested half a million deep, just under the body limit: refused, and the server stays up.
  const deep = await getJson(srv.url, '/api/v1/accounts', { method: 'POST', headers: { ...admin, ...json }, body: '['.repeat(500_000) + ']'.repeat(500_000) });
  assertProblem(assert, deep, 400);
  assert.equal((await getJson(srv.url, '/healthz')).status, 200);
  assert.equal((await getJson(srv.url, '/api/v1/accounts', { headers: admin })).body.items.length, before);
});

test(`[${backend}] sign-in attempts from one address are rate-limited with 429 and Retry-After`, async () => {
  let limited;
  for (let i = 0; i < 40 && !limited; i++) {
    const r = await signIn('u.nobody', 'whatever-password');
    if (r.status === 429) limited = r;
  }
  assert.ok(limited, 'a burst of sign-ins is cut off');
  assertProblem(assert, limited, 429);
  assert.ok(Number(limited.headers.get('retry-after')) >= 1);
});

test(`[${backend}] the audit trail can be searched: city-wide by oversight, by unit leaders within their unit`, async () => {
  const failures = await getJson(srv.url, '/api/v1/audit?action=auth.sign_in_failed&limit=5', { headers: admin });
  assert.equal(failures.status, 200, JSON.stringify(failures.body));
  assert.ok(failures.body.items.length >= 1 && failures.body.items.length <= 5);
  for (const e of failures.body.items) {
    assert.equal(e.action, 'auth.sign_in_failed');
    assert.equal(typeof e.details.reason, 'string');
  }
  const seqs = failures.body.items.map((e) => e.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => b - a), 'newest first');
  const older = await getJson(srv.url, `/api/v1/audit?action=auth.sign_in_failed&before=${seqs.at(-1)}`, { headers: admin });
  assert.ok(older.body.items.every((e) => e.seq < seqs.at(-1)), 'paging with before');
  const accounts = await getJson(srv.url, '/api/v1/audit?action=account.', { headers: bearer('monitoring') });
  assert.ok(accounts.body.items.length >= ROLES.length);
  assert.ok(accounts.body.items.every((e) => e.action.startsWith('account.')));
  // A unit leader: their own unit's records only.
  const mine = await getJson(srv.url, '/api/v1/audit', { headers: bearer('unit_leader') });
  assert.equal(mine.status, 200);
  assert.ok(mine.body.items.length >= 1, 'the leader signed in and published: their own records');
  assert.ok(mine.body.items.every((e) => e.unit === unit), 'nothing from outside the unit');
  assertProblem(assert, await getJson(srv.url, '/api/v1/audit?unit=KHAC', { headers: bearer('unit_leader') }), 403, 'unit');
  assertProblem(assert, await getJson(srv.url, '/api/v1/audit', { headers: bearer('processing_officer') }), 403);
  assertProblem(assert, await getJson(srv.url, '/api/v1/audit?from=yesterday', { headers: admin }), 400, 'from');
  assertProblem(assert, await getJson(srv.url, '/api/v1/audit?limit=501', { headers: admin }), 400, 'limit');
});

test(`[${backend}] every sign-in, failure and account change is in the audit trail`, { skip: backend !== 'sqlite' && 'reads the SQLite file' }, async () => {
  const out = execFileSync('sqlite3', [`${srv.dataDir}/motcua.db`, "SELECT action, count(*) FROM audit_log WHERE action LIKE 'auth.%' OR action LIKE 'account.%' OR action LIKE 'api_key.%' GROUP BY action ORDER BY action"], { encoding: 'utf8' });
  for (const action of ['account.create', 'account.disable', 'account.reset_password', 'account.change_password', 'account.totp_enable', 'api_key.create', 'api_key.revoke', 'auth.sign_in', 'auth.sign_in_failed', 'auth.sign_out']) {
    assert.match(out, new RegExp(`^${action.replace('.', '\\.')}\\|[1-9]`, 'm'), `${action} recorded:\n${out}`);
  }
  const verify = execFileSync(defaultBin, ['audit', 'verify', '--data', srv.dataDir], { encoding: 'utf8', env: { ...process.env, MOTCUA_LOG_LEVEL: 'warn' } });
  assert.match(verify, /^audit trail ok/);
});
