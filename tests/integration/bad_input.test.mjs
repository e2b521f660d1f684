// Bad input from a person or a network: always a clear 4xx in Vietnamese and English, never a
// crash, and nothing changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, getJson, rawExchange, assertProblem, backend } from './harness.mjs';

const TOKEN = 'mck_test_admin_token_123_xxxxxxxxxxxx';
let srv;

async function catalogueFingerprint() {
  const a = await getJson(srv.url, '/api/v1/procedures?limit=100');
  const b = await getJson(srv.url, '/api/v1/procedures?limit=100&offset=100');
  const detail = await getJson(srv.url, '/api/v1/procedures/1.004194');
  return JSON.stringify([a.body.total, a.body.items, b.body.items, detail.body]);
}

before(async () => {
  srv = await start({ adminKey: TOKEN, args: ['--config', '/dev/null'] });
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

test(`[${backend}] bad query parameters are 400 problems naming the parameter`, async () => {
  const cases = [
    ['/api/v1/procedures?limit=abc', 'limit'],
    ['/api/v1/procedures?limit=0', 'limit'],
    ['/api/v1/procedures?limit=1000', 'limit'],
    ['/api/v1/procedures?limit=', 'limit'],
    ['/api/v1/procedures?offset=-1', 'offset'],
    ['/api/v1/procedures?offset=1e3', 'offset'],
    ['/api/v1/procedures?level=province', 'level'],
    ['/api/v1/procedures?online=yes', 'online'],
    ['/api/v1/procedures?q=' + 'a'.repeat(201), 'q'],
    ['/api/v1/procedures?levle=city', 'levle'],
    ['/api/v1/procedures/1.004194?on=2025-13-01', 'on'],
    ['/api/v1/procedures/1.004194?on=2025-02-30', 'on'],
    ['/api/v1/procedures/1.004194?on=tomorrow', 'on'],
    ['/api/v1/service-points?kind=shop', 'kind'],
    ['/api/v1/fields?x=1', 'x'],
  ];
  for (const [path, field] of cases) {
    const r = await getJson(srv.url, path);
    assertProblem(assert, r, 400, field);
    assert.notEqual(r.body.detail, r.body.detail_vi, `${path}: two languages`);
  }
});

test(`[${backend}] broken escapes and invalid UTF-8 in the URL are 400`, async () => {
  for (const path of ['/api/v1/procedures?q=%FF%FE', '/api/v1/procedures?q=%E1%BA', '/api/v1/procedures?q=%G1',
                      '/api/v1/procedures?q=abc%', '/api/v1/procedures/%C0%AF', '/api/v1/procedures?q=%ED%A0%80']) {
    const r = await getJson(srv.url, path);
    assertProblem(assert, r, 400);
  }
});

test(`[${backend}] unknown paths 404, wrong methods 405 with Allow`, async () => {
  assertProblem(assert, await getJson(srv.url, '/api/v1/nothing'), 404);
  const del = await getJson(srv.url, '/api/v1/procedures', { method: 'DELETE' });
  assertProblem(assert, del, 405);
  assert.match(del.headers.get('allow'), /GET/);
  const post = await getJson(srv.url, '/healthz', { method: 'POST', body: '{}' });
  assertProblem(assert, post, 405);
});

test(`[${backend}] path traversal does not leave the web directory`, async () => {
  const raw = await rawExchange(srv.port, ['GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
  assert.match(raw, /^HTTP\/1\.1 400/);
  const encoded = await rawExchange(srv.port, ['GET /assets/%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n']);
  assert.match(encoded, /^HTTP\/1\.1 400/);
  assert.doesNotMatch(encoded, /root:/);
});

test(`[${backend}] malformed HTTP, huge headers, huge bodies`, async () => {
  const garbage = await rawExchange(srv.port, ['THIS IS NOT HTTP\r\n\r\n']);
  assert.match(garbage, /^HTTP\/1\.1 400/);
  assert.match(garbage, /application\/problem\+json/);
  const huge = await rawExchange(srv.port, [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40000)}\r\n\r\n`]);
  assert.match(huge, /^HTTP\/1\.1 431/);
  const bigBody = await rawExchange(srv.port, [
    `POST /api/v1/procedures/import HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer ${TOKEN}\r\nContent-Length: ${5 << 20}\r\n\r\n`,
  ]);
  assert.match(bigBody, /^HTTP\/1\.1 413/);
  const badLength = await rawExchange(srv.port, ['POST /api/v1/procedures/import HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\n\r\n']);
  assert.match(badLength, /^HTTP\/1\.1 400/);
  // The server is still fine.
  assert.equal((await getJson(srv.url, '/healthz')).status, 200);
});

test(`[${backend}] keep-alive and pipelined requests are answered in order`, async () => {
  const req = (p) => `GET ${p} HTTP/1.1\r\nHost: x\r\n\r\n`;
  const raw = await rawExchange(srv.port, [
    req('/healthz') + req('/api/v1/procedures/1.004194') + req('/nope-api/x.js') +
      'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
  ]);
  const statuses = [...raw.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]);
  assert.deepEqual(statuses, ['200', '200', '404', '200']);
  assert.ok(raw.indexOf('Đăng ký tạm trú') > 0 || raw.includes('\xc4\x90'), 'second answer is the procedure');
});

test(`[${backend}] import: refused without the right token, type or body; catalogue unchanged`, async () => {
  const before = await catalogueFingerprint();
  const url = '/api/v1/procedures/import';
  const json = { 'Content-Type': 'application/json' };
  const auth = { Authorization: `Bearer ${TOKEN}` };
  const ok = [{ code: '9.000001', name_vi: 'Thủ tục thử', name_en: 'Test procedure', field: 'Cư trú', level: 'commune',
                processing_days: 3, fee_vnd: 0, online: 'full', documents: [], keywords: [], agency: 'UBND' }];

  assertProblem(assert, await getJson(srv.url, url, { method: 'POST', headers: json, body: JSON.stringify(ok) }), 401);
  assertProblem(assert, await getJson(srv.url, url, { method: 'POST', headers: { ...json, Authorization: 'Bearer wrong' }, body: JSON.stringify(ok) }), 401);
  assertProblem(assert, await getJson(srv.url, url, { method: 'POST', headers: { ...auth, 'Content-Type': 'text/plain' }, body: JSON.stringify(ok) }), 415);
  assertProblem(assert, await getJson(srv.url, url, { method: 'POST', headers: { ...auth, ...json }, body: '[{"code": ' }), 400);
  assertProblem(assert, await getJson(srv.url, url, { method: 'POST', headers: { ...auth, ...json }, body: '{"not":"an array"}' }), 400);
  assertProblem(assert, await getJson(srv.url, url, { method: 'POST', headers: { ...auth, ...json }, body: Buffer.from([0x5b, 0x22, 0xff, 0x22, 0x5d]) }), 400);
  assertProblem(assert, await getJson(srv.url, url + '?effective_from=2025-99-01', { method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify(ok) }), 400, 'effective_from');

  // A batch whose third record is wrong: the error names it and its field; nothing is stored.
  const batch = [ok[0], { ...ok[0], code: '9.000002' }, { ...ok[0], code: '9.000003', fee_vnd: -5 }];
  const r = await getJson(srv.url, url, { method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify(batch) });
  assertProblem(assert, r, 400, '/2/fee_vnd');
  assert.match(r.body.detail, /Record #3/);
  assert.match(r.body.detail_vi, /Bản ghi #3/);
  const missingName = [{ ...ok[0], name_vi: undefined }];
  assertProblem(assert, await getJson(srv.url, url, { method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify(missingName) }), 400, '/0/name_vi');
  const dup = [ok[0], ok[0]];
  assertProblem(assert, await getJson(srv.url, url, { method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify(dup) }), 400);
  const badLevel = [{ ...ok[0], level: 'galaxy' }];
  assertProblem(assert, await getJson(srv.url, url, { method: 'POST', headers: { ...auth, ...json }, body: JSON.stringify(badLevel) }), 400, '/0/level');

  assert.equal(await catalogueFingerprint(), before, 'nothing changed');
  assertProblem(assert, await getJson(srv.url, '/api/v1/procedures/9.000001'), 404);
});

test(`[${backend}] import: a new fee gets an effective date; older dates keep the old fee`, async () => {
  const current = (await getJson(srv.url, '/api/v1/procedures/1.004194')).body;
  const record = {
    code: current.code, name_vi: current.name_vi, name_en: current.name_en, field: current.field,
    level: current.level, processing_days: current.processing_days, fee_vnd: 17000, online: current.online,
    documents: current.documents, keywords: current.keywords, agency: current.agency,
    source: current.source, notes: current.notes,
  };
  const r = await getJson(srv.url, '/api/v1/procedures/import?effective_from=2026-01-01', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify([record]),
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.new_rules, 1);
  const after = (await getJson(srv.url, '/api/v1/procedures/1.004194?on=2026-03-01')).body;
  assert.equal(after.fee_vnd, 17000);
  assert.equal(after.rule_history.length, 2);
  const old = (await getJson(srv.url, '/api/v1/procedures/1.004194?on=2025-12-31')).body;
  assert.equal(old.fee_vnd, 15000);
  const again = await getJson(srv.url, '/api/v1/procedures/import?effective_from=2026-01-01', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
    body: JSON.stringify([record]),
  });
  assert.equal(again.body.unchanged, 1);
  assert.equal(again.body.new_rules, 0);
});
