// The process as an operator sees it: start-up errors, graceful shutdown, durability after a
// hard kill, and the import command.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { start, getJson, rawExchange, defaultBin, repoRoot, storageArgs, backend } from './harness.mjs';

const TOKEN = 'mck_lifecycle_token_xxxxxxxxxxxxxxxxx';

function motcua(args, env = {}) {
  return spawnSync(defaultBin, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 60_000 });
}

test('help lists the subcommands', () => {
  const r = motcua(['--help']);
  assert.equal(r.status, 0);
  for (const sub of ['serve', 'migrate', 'import-procedures', 'import-organisation']) assert.match(r.stdout, new RegExp(sub));
  const serve = motcua(['serve', '--help']);
  assert.match(serve.stdout, /--listen/);
  assert.match(serve.stdout, /--data/);
});

test('configuration errors stop start-up with a message that says what to fix', () => {
  const data = mkdtempSync(path.join(tmpdir(), 'motcua-cfg-'));
  try {
    let r = motcua(['serve', '--listen', 'nonsense', '--data', data]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /listen/);
    assert.match(r.stderr, /HOST:PORT/);
    r = motcua(['serve', '--listen', '127.0.0.1:0', '--data', data], { MOTCUA_IO_THREADS: '0' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /io_threads.*environment/);
    const cfg = path.join(data, 'motcua.conf');
    writeFileSync(cfg, 'listen = 127.0.0.1:0\nfavourite_colour = blue\n');
    r = motcua(['serve', '--config', cfg, '--data', data]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /favourite_colour/);
    r = motcua(['serve', '--listen', '127.0.0.1:0', '--database-url', 'mysql://x', '--data', data]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /database_url/);
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

test(`[${backend}] SIGTERM lets a request in flight finish, then exits 0`, async () => {
  const srv = await start({ adminKey: TOKEN });
  const body = JSON.stringify([{ code: '9.100001', name_vi: 'Thủ tục đang gửi', name_en: 'In-flight procedure', field: 'Cư trú',
    level: 'commune', processing_days: 1, fee_vnd: 0, online: 'none', documents: [], keywords: [], agency: 'UBND' }]);
  const head = `POST /api/v1/procedures/import HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
    `Authorization: Bearer ${TOKEN}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n`;
  const half = Math.floor(body.length / 2);
  // Send the head and half the body, then SIGTERM, then the rest.
  const exchange = rawExchange(srv.port, [head + body.slice(0, half), body.slice(half)], { gapMs: 400, idleMs: 3000 });
  await new Promise((r) => setTimeout(r, 200));
  srv.proc.kill('SIGTERM');
  const raw = await exchange;
  assert.match(raw, /^HTTP\/1\.1 200/, raw);
  assert.match(raw, /"added":1/);
  assert.equal(await srv.stop(), 0);
});

test(`[${backend}] an acknowledged import survives a hard kill`, async () => {
  const storage = storageArgs();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'motcua-kill-'));
  try {
    const srv = await start({ storage, dataDir, adminKey: TOKEN });
    const record = { code: '9.200001', name_vi: 'Thủ tục bền vững', name_en: 'Durable procedure', field: 'Cư trú',
      level: 'commune', processing_days: 2, fee_vnd: 1000, online: 'full', documents: [], keywords: [], agency: 'UBND' };
    const r = await getJson(srv.url, '/api/v1/procedures/import', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }, body: JSON.stringify([record]),
    });
    assert.equal(r.status, 200);
    srv.proc.kill('SIGKILL');
    await srv.stop();
    const again = await start({ storage, dataDir });
    const got = await getJson(again.url, '/api/v1/procedures/9.200001');
    assert.equal(got.status, 200);
    assert.equal(got.body.name_vi, 'Thủ tục bền vững');
    const all = await getJson(again.url, '/api/v1/procedures?limit=1');
    assert.equal(all.body.total, 131, 'the bundled catalogue is not loaded twice');
    assert.equal(await again.stop(), 0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test(`[${backend}] import-procedures: all or nothing, errors name the record and field`, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'motcua-import-'));
  const storage = storageArgs();
  const dataArgs = storage.length ? storage : ['--data', dir];
  try {
    const catalogue = JSON.parse(readFileSync(path.join(repoRoot, 'data/procedures.json'), 'utf8'));
    const good = path.join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(catalogue));
    let r = motcua(['import-procedures', good, '--effective-from', '2025-07-01', ...dataArgs]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /130 added/);
    r = motcua(['import-procedures', good, '--effective-from', '2025-07-01', ...dataArgs]);
    assert.match(r.stdout, /0 added, 0 updated, 0 new rule versions from 2025-07-01, 130 unchanged/);

    const broken = structuredClone(catalogue);
    broken[0].name_vi = 'Đổi tên không được lưu';
    broken[41].online = 'sometimes';
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(broken));
    r = motcua(['import-procedures', bad, ...dataArgs]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /Record #42/);
    assert.match(r.stderr, /online/);
    assert.match(r.stderr, /Bản ghi #42/);

    const srv = await start({ storage, dataDir: storage.length ? undefined : dir });
    const first = await getJson(srv.url, '/api/v1/procedures/' + catalogue[0].code);
    assert.equal(first.body.name_vi, catalogue[0].name_vi, 'the failed import changed nothing');
    await srv.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test(`[${backend}] two instances on one database: an import on one reaches the other`, async () => {
  const storage = storageArgs();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'motcua-two-'));
  try {
    const a = await start({ storage, dataDir, adminKey: TOKEN });
    const b = await start({ storage, dataDir, env: { MOTCUA_CATALOG_REFRESH_SECONDS: '1' } });
    assert.equal((await getJson(b.url, '/api/v1/procedures/9.300001')).status, 404);
    const record = { code: '9.300001', name_vi: 'Thủ tục nhập ở máy khác', name_en: 'Imported elsewhere', field: 'Cư trú',
      level: 'commune', processing_days: 2, fee_vnd: 0, online: 'full', documents: [], keywords: [], agency: 'UBND' };
    const r = await getJson(a.url, '/api/v1/procedures/import', {
      method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }, body: JSON.stringify([record]),
    });
    assert.equal(r.status, 200);
    let status = 404;
    for (let i = 0; i < 50 && status !== 200; i++) {
      await new Promise((res) => setTimeout(res, 100));
      status = (await getJson(b.url, '/api/v1/procedures/9.300001')).status;
    }
    assert.equal(status, 200, 'instance B picked up the import within 5 s');
    const search = await getJson(b.url, '/api/v1/procedures?q=' + encodeURIComponent('nhập ở máy khác'));
    assert.equal(search.body.items[0].code, '9.300001', 'and its search index too');
    assert.equal(await a.stop(), 0);
    assert.equal(await b.stop(), 0);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

test(`[${backend}] a request that never finishes arriving is cut off by the read timeout`, async () => {
  const srv = await start({ env: { MOTCUA_READ_TIMEOUT_SECONDS: '1', MOTCUA_IDLE_TIMEOUT_SECONDS: '1' } });
  const started = Date.now();
  const raw = await rawExchange(srv.port, ['GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: '], { idleMs: 5000 });
  const elapsed = Date.now() - started;
  assert.equal(raw, '', 'nothing is answered to a half request');
  assert.ok(elapsed >= 900 && elapsed < 4500, `closed after ${elapsed} ms`);
  // An idle keep-alive connection is closed too, after its answer.
  const t2 = Date.now();
  const idle = await rawExchange(srv.port, ['GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n'], { idleMs: 5000 });
  assert.match(idle, /^HTTP\/1\.1 200/);
  assert.ok(Date.now() - t2 < 4500, 'idle connection closed by the server');
  assert.equal(await srv.stop(), 0);
});

test(`[${backend}] a second SIGTERM during the stop does not kill the process`, async () => {
  // A supervisor may repeat itself; the process must still close its database and exit 0.
  for (const gapMs of [0, 2, 5, 10, 30]) {
    const srv = await start();
    srv.proc.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, gapMs));
    if (srv.proc.exitCode === null) srv.proc.kill('SIGTERM');
    assert.equal(await srv.stop(), 0, `second SIGTERM ${gapMs} ms after the first: ${srv.proc.signalCode}`);
  }
});
