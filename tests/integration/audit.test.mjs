// The audit trail through the API: every state-changing request appends a record in its own unit
// of work; verification is for the administrator. (Tampering in the database itself is covered by
// the storage contract tests on both databases.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { start, getJson, assertProblem, backend, defaultBin } from './harness.mjs';

const TOKEN = 'mck_audit_admin_token_xxxxxxxxxxxxxxx';
let srv;

before(async () => {
  srv = await start({ adminKey: TOKEN, env: { MOTCUA_AUDIT_SIGN_SECONDS: '1' } });
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

const auth = { Authorization: `Bearer ${TOKEN}` };

test(`[${backend}] audit: each published notice adds a record; the trail verifies; heads get signed`, async () => {
  const before = await getJson(srv.url, '/api/v1/audit/verify', { headers: auth });
  assert.equal(before.status, 200);
  assert.equal(before.body.ok, true, JSON.stringify(before.body));
  for (let i = 0; i < 3; i++) {
    const r = await getJson(srv.url, '/api/v1/notices', {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ text_vi: `Thông báo kiểm toán ${i}` }),
    });
    assert.equal(r.status, 201);
  }
  // A refused request changes nothing, so it adds no record.
  const refused = await getJson(srv.url, '/api/v1/notices', {
    method: 'POST', headers: { ...auth, 'Content-Type': 'application/json' }, body: '{"text_vi": ""}',
  });
  assert.equal(refused.status, 400);
  await new Promise((r) => setTimeout(r, 1500)); // one signing period
  const after = await getJson(srv.url, '/api/v1/audit/verify', { headers: auth });
  assert.equal(after.body.ok, true, JSON.stringify(after.body));
  assert.equal(after.body.records, before.body.records + 3);
  assert.ok(after.body.signed_heads >= 1, 'the newest record was signed');
  assert.equal(after.headers.get('cache-control'), 'no-store');
});

test(`[${backend}] audit: verification needs an administrator's credential`, async () => {
  assertProblem(assert, await getJson(srv.url, '/api/v1/audit/verify'), 401);
  assertProblem(assert, await getJson(srv.url, '/api/v1/audit/verify', { headers: { Authorization: 'Bearer wrong' } }), 401);
  assertProblem(assert, await getJson(srv.url, '/api/v1/audit/verify?x=1', { headers: auth }), 400, 'x');
});

test(`[${backend}] audit: motcua audit verify on the same database`, { skip: backend !== 'sqlite' && 'the CLI test uses the SQLite data directory' }, async () => {
  const out = execFileSync(defaultBin, ['audit', 'verify', '--data', srv.dataDir], { encoding: 'utf8', env: { ...process.env, MOTCUA_LOG_LEVEL: 'warn' } });
  assert.match(out, /^audit trail ok: \d+ records, \d+ signed heads/);
});
