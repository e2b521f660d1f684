// The catalogue, organisation and operations endpoints, over real HTTP against the real binary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, getJson, backend } from './harness.mjs';

const ADMIN_KEY = 'mck_api_test_administrator_key_0123456789';
let srv;
before(async () => {
  srv = await start({ adminKey: ADMIN_KEY });
});
after(async () => {
  assert.equal(await srv.stop(), 0, 'server exits cleanly on SIGTERM');
});

test(`[${backend}] health, readiness, request ids`, async () => {
  const h = await getJson(srv.url, '/healthz');
  assert.equal(h.status, 200);
  assert.deepEqual(h.body, { status: 'ok' });
  assert.match(h.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
  const r = await getJson(srv.url, '/readyz', { headers: { 'X-Request-Id': 'abc-123.x' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.database, 'ok');
  assert.equal(r.headers.get('x-request-id'), 'abc-123.x', 'a well-formed request id is echoed');
  const bad = await getJson(srv.url, '/healthz', { headers: { 'X-Request-Id': 'bad id with spaces' } });
  assert.notEqual(bad.headers.get('x-request-id'), 'bad id with spaces');
});

test(`[${backend}] search without diacritics finds the procedure first`, async () => {
  const r = await getJson(srv.url, '/api/v1/procedures?q=' + encodeURIComponent('dang ky tam tru'));
  assert.equal(r.status, 200);
  assert.equal(r.body.items[0].name_vi, 'Đăng ký tạm trú');
  assert.equal(r.body.confident, true);
  const item = r.body.items[0];
  assert.ok(item.score > 0);
  assert.equal(item.highlight.name_vi.map((s) => s.text).join(''), item.name_vi, 'segments rebuild the name');
  assert.ok(item.highlight.name_vi.some((s) => s.match), 'something is highlighted');
  assert.equal(item.processing_days, 3);
  assert.equal(item.fee_vnd, 15000);
});

test(`[${backend}] NFD input, đ as d, colloquial names, abbreviations, English`, async () => {
  const cases = [
    ['đăng ký tạm trú'.normalize('NFD'), 'Đăng ký tạm trú'],
    ['lam so do', null],
    ['nhập hộ khẩu', 'Đăng ký thường trú'],
    ['temporary residence', 'Đăng ký tạm trú'],
  ];
  for (const [q, expected] of cases) {
    const r = await getJson(srv.url, '/api/v1/procedures?q=' + encodeURIComponent(q));
    assert.equal(r.status, 200, q);
    assert.ok(r.body.items.length > 0, `results for ${q}`);
    if (expected) {
      const top3 = r.body.items.slice(0, 3).map((i) => i.name_vi);
      assert.ok(top3.includes(expected), `${q} -> ${top3.join(' | ')}`);
    }
  }
});

test(`[${backend}] out-of-scope questions are not confident`, async () => {
  const r = await getJson(srv.url, '/api/v1/procedures?q=' + encodeURIComponent('giá vàng hôm nay'));
  assert.equal(r.status, 200);
  assert.equal(r.body.confident, false);
});

test(`[${backend}] filters and paging`, async () => {
  const all = await getJson(srv.url, '/api/v1/procedures?limit=100');
  assert.equal(all.body.total, 130);
  assert.equal(all.body.items.length, 100);
  const page2 = await getJson(srv.url, '/api/v1/procedures?limit=100&offset=100');
  assert.equal(page2.body.items.length, 30);
  const codes = new Set([...all.body.items, ...page2.body.items].map((i) => i.code));
  assert.equal(codes.size, 130, 'pages do not overlap');

  const city = await getJson(srv.url, '/api/v1/procedures?level=city&limit=100');
  assert.ok(city.body.total > 0 && city.body.total < 130);
  assert.ok(city.body.items.every((i) => i.level === 'city'));
  const full = await getJson(srv.url, '/api/v1/procedures?online=full&limit=100');
  assert.ok(full.body.items.every((i) => i.online === 'full'));
  const field = await getJson(srv.url, '/api/v1/procedures?field=' + encodeURIComponent('Cư trú') + '&limit=100');
  assert.ok(field.body.total > 0);
  assert.ok(field.body.items.every((i) => i.field === 'Cư trú'));
  const fields = await getJson(srv.url, '/api/v1/fields');
  const cuTru = fields.body.items.find((f) => f.name_vi === 'Cư trú');
  assert.equal(cuTru.count, field.body.total);
  assert.equal(fields.body.items.reduce((n, f) => n + f.count, 0), 130);
});

test(`[${backend}] one procedure, with rules by date; unknown code is 404`, async () => {
  const r = await getJson(srv.url, '/api/v1/procedures/1.004194');
  assert.equal(r.status, 200);
  assert.equal(r.body.name_vi, 'Đăng ký tạm trú');
  assert.ok(Array.isArray(r.body.documents) && r.body.documents.length > 0);
  assert.equal(r.body.rule_history.length, 1);
  assert.equal(r.body.rules_effective_from, '2025-07-01');
  const before = await getJson(srv.url, '/api/v1/procedures/1.004194?on=2024-01-01');
  assert.equal(before.status, 200);
  const missing = await getJson(srv.url, '/api/v1/procedures/9.999999');
  assert.equal(missing.status, 404);
  assert.equal(missing.body.field, 'code');
  const head = await fetch(srv.url + '/api/v1/procedures/1.004194', { method: 'HEAD' });
  assert.equal(head.status, 200);
  assert.ok(Number(head.headers.get('content-length')) > 100);
  assert.equal((await head.text()).length, 0);
});

test(`[${backend}] procedures without a national code get a stable local code`, async () => {
  const all = await getJson(srv.url, '/api/v1/procedures?limit=100');
  const page2 = await getJson(srv.url, '/api/v1/procedures?limit=100&offset=100');
  const local = [...all.body.items, ...page2.body.items].filter((i) => !i.has_national_code);
  assert.equal(local.length, 2);
  for (const p of local) {
    assert.match(p.code, /^local-[0-9a-f]{8}$/);
    const one = await getJson(srv.url, '/api/v1/procedures/' + p.code);
    assert.equal(one.status, 200);
  }
});

test(`[${backend}] organisation: units and service points of the seed`, async () => {
  const units = await getJson(srv.url, '/api/v1/units');
  assert.equal(units.status, 200);
  assert.ok(units.body.items.some((u) => u.kind === 'province' && u.name === 'Thành phố Hà Nội'));
  assert.ok(units.body.items.filter((u) => u.kind === 'ward').length >= 30);
  const branches = await getJson(srv.url, '/api/v1/service-points?kind=centre_branch');
  assert.equal(branches.body.items.length, 12);
  const b = branches.body.items[0];
  assert.ok(b.hours.length >= 5 && b.counters > 0);
  assert.deepEqual(b.hours[0].morning.length, 2);
});

test(`[${backend}] metrics, openapi`, async () => {
  await fetch(srv.url + '/api/v1/units');
  // Metrics are for monitoring and administrators, not the public.
  assert.equal((await fetch(srv.url + '/metrics')).status, 401);
  const m = await fetch(srv.url + '/metrics', { headers: { Authorization: `Bearer ${ADMIN_KEY}` } });
  assert.equal(m.status, 200);
  const text = await m.text();
  assert.match(text, /motcua_http_requests_total\{method="GET",route="\/api\/v1\/procedures",status="2xx"\} \d+/);
  assert.match(text, /motcua_http_request_duration_seconds_bucket\{method="GET",route="\/healthz",le="\+Inf"\} \d+/);
  assert.match(text, /motcua_build_info\{version="[^"]+",database="(sqlite|postgresql)"\} 1/);
  assert.match(text, /motcua_db_operation_duration_seconds_count\{operation="ping"\} [1-9]/);
  assert.match(text, /motcua_db_operation_duration_seconds_count\{operation="units.load"\} [1-9]/);
  assert.match(text, /motcua_db_operation_duration_seconds_count\{operation="procedures.load_all"\} [1-9]/);
  const o = await getJson(srv.url, '/api/openapi.json');
  assert.equal(o.body.openapi, '3.1.0');
  assert.ok(o.body.paths['/api/v1/procedures/{code}'].get);
});

test(`[${backend}] gzip where it pays, none where it does not`, async () => {
  const res = await fetch(srv.url + '/api/v1/procedures?limit=100', { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(res.headers.get('content-encoding'), 'gzip');
  const body = await res.json(); // fetch decodes
  assert.equal(body.items.length, 100);
  const small = await fetch(srv.url + '/healthz', { headers: { 'Accept-Encoding': 'gzip' } });
  assert.equal(small.headers.get('content-encoding'), null);
  const refused = await fetch(srv.url + '/api/v1/procedures?limit=100', { headers: { 'Accept-Encoding': 'gzip;q=0' } });
  assert.equal(refused.headers.get('content-encoding'), null);
});

test(`[${backend}] static front end: index revalidated, assets immutable, client routes`, async () => {
  const index = await fetch(srv.url + '/');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /text\/html/);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const etag = index.headers.get('etag');
  assert.ok(etag);
  const again = await fetch(srv.url + '/', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  const html = await index.text();
  const asset = /(\/assets\/[^"]+\.js)/.exec(html)[1];
  const js = await fetch(srv.url + asset);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('cache-control'), /immutable/);
  const route = await fetch(srv.url + '/thu-tuc/1.004194');
  assert.equal(route.status, 200);
  assert.match(await route.text(), /<div id="app"|<html/);
  const missingAsset = await fetch(srv.url + '/assets/nope.js');
  assert.equal(missingAsset.status, 404);
});

test(`[${backend}] the import endpoint needs an administrator's credential`, async () => {
  const r = await getJson(srv.url, '/api/v1/procedures/import', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer x' }, body: '[]',
  });
  assert.equal(r.status, 401);
  assert.equal(r.body.type, '/problems/unauthenticated');
  assert.match(r.headers.get('www-authenticate'), /^Bearer/);
});
