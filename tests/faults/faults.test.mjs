// Faults of the database and of the process, against the real binary. Run on its own, as
//   scripts/with-postgres node --test tests/faults/
// It owns that PostgreSQL server: it pauses (SIGSTOP), kills and restarts it, and leaves it running.
//
// What must hold: a database fault is answered 503 problem+json with Retry-After within about
// twice MOTCUA_DB_TIMEOUT_MS (never 500, never a hang) while in-memory routes keep answering; the
// server recovers by itself when the database comes back; a full worker queue is refused at once;
// a SIGKILL loses no acknowledged write; 10,000 idle connections do not lock out a new client; a
// handler slower than the read timeout still gets its answer out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  start, assertProblem, freshPostgresUrl, request, postNotice, listNotices, servicePointCodes,
} from '../integration/harness.mjs';
import * as pg from './pg.mjs';

const TOKEN = 'mck_faults_admin_token_xxxxxxxxxxxxxx';
const DB_TIMEOUT_MS = 1500;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let seq = 0;
const notice = (tag) => ({ text_vi: `Thông báo thử lỗi ${tag} #${++seq}`, text_en: `Fault test ${tag} #${seq}` });

before(() => {
  pg.requirePostgres();
  pg.ensureRunning();
});

after(() => {
  pg.ensureRunning();
});

function postgresStorage() {
  return ['--database-url', freshPostgresUrl()];
}

async function pgServer(env = {}) {
  return start({
    storage: postgresStorage(),
    adminKey: TOKEN, env: { MOTCUA_DB_TIMEOUT_MS: String(DB_TIMEOUT_MS), MOTCUA_SHUTDOWN_GRACE_SECONDS: '2', ...env },
  });
}

// The requests that need the database, one of each kind per `i`.
function dbRequest(url, i, timeoutMs) {
  switch (i % 3) {
    case 0:
      return request(url, '/api/v1/units', { timeoutMs }).then((r) => ({ what: 'GET /api/v1/units', ...r }));
    case 1:
      return postNotice(url, TOKEN, notice('db'), { timeoutMs }).then((r) => ({ what: 'POST /api/v1/notices', ...r }));
    default:
      return request(url, '/readyz', { timeoutMs }).then((r) => ({ what: 'GET /readyz', ...r }));
  }
}

const fmt = (rs) => rs.map((r) => `${r.what ?? ''} ${r.status || r.error} ${r.ms.toFixed(0)}ms`).join('; ');

// What is wrong with an answer that should be a quick 503 (empty when nothing).
function unavailableProblems(r, maxMs) {
  const out = [];
  const where = `${r.what} (${r.ms.toFixed(0)} ms)`;
  if (r.status === 0) return [`${where}: no answer (${r.error})`];
  if (r.status !== 503) out.push(`${where}: status ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
  if (!/application\/problem\+json/.test(r.headers.get('content-type') || '')) out.push(`${where}: not problem+json`);
  if (!/^[1-9]\d*$/.test(r.headers.get('retry-after') || '')) out.push(`${where}: no Retry-After`);
  if (r.ms >= maxMs) out.push(`${where}: slower than ${maxMs} ms`);
  return out;
}

// Every answer checked, and every problem reported at once.
function assertAllUnavailable(results, maxMs) {
  const problems = results.flatMap((r) => unavailableProblems(r, maxMs));
  assert.deepEqual(problems, [], `${problems.length} problem(s) among ${results.length} answers: ${problems.join('; ')}`);
  for (const r of results) assertProblem(assert, r, 503);
}

// Runs checks without stopping at the first failure; `done()` fails with all of them.
function collector() {
  const problems = [];
  return {
    async check(fn) {
      try {
        return await fn();
      } catch (e) {
        problems.push(e.message.split('\n')[0]);
        return undefined;
      }
    },
    done() {
      assert.deepEqual(problems, [], `${problems.length} failed check(s):\n  ${problems.join('\n  ')}`);
    },
  };
}

function latencyByKind(results) {
  const kinds = {};
  for (const r of results) (kinds[r.what] ??= []).push(r.ms);
  return Object.entries(kinds).map(([k, ms]) => `${k}: max ${Math.max(...ms).toFixed(0)} ms`).join(', ');
}

// In-memory routes: liveness and catalogue search.
async function inMemoryChecks(url) {
  const h = await request(url, '/healthz', { timeoutMs: 3000 });
  const s = await request(url, '/api/v1/procedures?q=' + encodeURIComponent('tạm trú'), { timeoutMs: 3000 });
  return [{ what: 'GET /healthz', ...h }, { what: 'GET /api/v1/procedures?q=', ...s }];
}

function assertQuickOk(rs) {
  for (const r of rs) {
    assert.equal(r.status, 200, `${r.what}: ${r.status || r.error}`);
    assert.ok(r.ms < 1000, `${r.what}: ${r.ms.toFixed(0)} ms`);
  }
  const search = rs.find((r) => r.what.startsWith('GET /api/v1/procedures'));
  if (search) assert.ok(search.body.items.length > 0, 'search finds something');
}

// Polls until units, readyz and a notice all succeed; returns the time it took, or fails.
async function waitRecovered(url, boundMs) {
  const t0 = performance.now();
  let last = [];
  while (performance.now() - t0 < boundMs) {
    last = await Promise.all([
      request(url, '/api/v1/units', { timeoutMs: 4000 }).then((r) => ({ what: 'units', ...r })),
      request(url, '/readyz', { timeoutMs: 4000 }).then((r) => ({ what: 'readyz', ...r })),
      postNotice(url, TOKEN, notice('recovery'), { timeoutMs: 4000 }).then((r) => ({ what: 'notice', ...r })),
    ]);
    for (const r of last) assert.notEqual(r.status, 500, `${r.what}: 500 while recovering ${JSON.stringify(r.body)}`);
    if (last[0].status === 200 && last[1].status === 200 && last[2].status === 201) return performance.now() - t0;
    await sleep(200);
  }
  assert.fail(`not recovered within ${boundMs} ms: ${fmt(last)}`);
}

async function warm(url) {
  assert.equal((await request(url, '/api/v1/units')).status, 200);
  assert.equal((await request(url, '/readyz')).status, 200);
  assert.equal((await postNotice(url, TOKEN, notice('warm'))).status, 201);
}

test('[postgres] (a) PostgreSQL paused mid-traffic: 503 + Retry-After in time, in-memory routes fine, then recovery', async (t) => {
  const srv = await pgServer();
  let traffic = true;
  const background = [];
  const loop = (async () => {
    for (let i = 0; traffic && i < 10_000; i++) {
      background.push(await dbRequest(srv.url, i, 8000));
      await sleep(20);
    }
  })();
  try {
    await warm(srv.url);
    await sleep(300);
    const pids = pg.pause();
    const pausedAt = performance.now();
    t.diagnostic(`paused PostgreSQL (${pids.length} processes)`);
    const inflight = Promise.all(Array.from({ length: 12 }, (_, i) => dbRequest(srv.url, i, 8000)));
    const memory = [];
    for (let i = 0; i < 6; i++) {
      memory.push(...(await inMemoryChecks(srv.url)));
      await sleep(250);
    }
    const results = await inflight;
    const pausedFor = performance.now() - pausedAt;
    pg.resume();
    t.diagnostic(`while paused: ${fmt(results)}`);
    t.diagnostic(`in memory while paused: max ${Math.max(...memory.map((r) => r.ms)).toFixed(0)} ms over ${memory.length} requests`);
    t.diagnostic(`latency while paused: ${latencyByKind(results)}`);
    const c = collector();
    await c.check(() => assertQuickOk(memory));
    await c.check(() => assertAllUnavailable(results, 4000));
    await c.check(async () => {
      const recovery = await waitRecovered(srv.url, 10_000);
      t.diagnostic(`paused ${pausedFor.toFixed(0)} ms; everything answered again ${recovery.toFixed(0)} ms after SIGCONT`);
      assert.ok(recovery < 5000, `recovered after ${recovery.toFixed(0)} ms`);
    });
    traffic = false;
    await loop;
    const bad = background.filter((r) => r.status === 500 || r.status === 0);
    t.diagnostic(`background traffic: ${background.length} requests, statuses ${JSON.stringify(countBy(background))}`);
    await c.check(() => assert.deepEqual(bad.map((r) => `${r.what} ${r.status || r.error}`), [], 'no 500 and no hang in the background traffic'));
    c.done();
  } finally {
    traffic = false;
    pg.resume();
    await loop.catch(() => {});
    await srv.stop();
  }
});

function countBy(rs) {
  const out = {};
  for (const r of rs) out[r.status || r.error] = (out[r.status || r.error] || 0) + 1;
  return out;
}

test('[postgres] (b) PostgreSQL killed and started again: 503 meanwhile, the server recovers by itself', async (t) => {
  const srv = await pgServer();
  try {
    await warm(srv.url);
    const t0 = performance.now();
    pg.killImmediate();
    t.diagnostic(`pg_ctl stop -m immediate took ${(performance.now() - t0).toFixed(0)} ms`);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => dbRequest(srv.url, i, 8000)));
    t.diagnostic(`while down: ${fmt(results)}`);
    const memory = await inMemoryChecks(srv.url);
    t.diagnostic(`latency while down: ${latencyByKind(results)}`);
    const c = collector();
    await c.check(() => assertQuickOk(memory));
    await c.check(() => assertAllUnavailable(results, 4000));
    const t1 = performance.now();
    pg.startServer();
    t.diagnostic(`pg_ctl start took ${(performance.now() - t1).toFixed(0)} ms`);
    await c.check(async () => {
      const recovery = await waitRecovered(srv.url, 15_000);
      t.diagnostic(`recovered ${recovery.toFixed(0)} ms after PostgreSQL was back`);
      assert.ok(recovery < 5000, `recovered after ${recovery.toFixed(0)} ms`);
      assert.equal(srv.proc.exitCode, null, 'the same server process');
      assert.equal(srv.proc.signalCode, null, 'the same server process');
      const n = await postNotice(srv.url, TOKEN, notice('after-restart'));
      assert.equal(n.status, 201);
      assert.ok((await listNotices(srv.url)).items.some((x) => x.id === n.body.id), 'written after the restart');
    });
    c.done();
  } finally {
    pg.ensureRunning();
    await srv.stop();
  }
});

test('[postgres] (c) full worker queue: 503 + Retry-After at once', async (t) => {
  const srv = await pgServer({ MOTCUA_WORKER_THREADS: '1', MOTCUA_WORKER_QUEUE_LIMIT: '2' });
  try {
    assert.equal((await request(srv.url, '/api/v1/units')).status, 200);
    pg.pause();
    const results = await Promise.all(Array.from({ length: 20 }, () =>
      request(srv.url, '/api/v1/units', { timeoutMs: 10_000 }).then((r) => ({ what: 'GET /api/v1/units', ...r }))));
    pg.resume();
    const fast = results.filter((r) => r.status === 503 && r.ms < 200);
    t.diagnostic(`20 parallel GET /api/v1/units with 1 worker, queue 2, database paused: ${fmt(results)}`);
    t.diagnostic(`${fast.length} refused within 200 ms`);
    assert.ok(fast.length >= 10, `only ${fast.length} of 20 were refused at once`);
    for (const r of results) {
      assert.notEqual(r.status, 0, `no answer (${r.error}) after ${r.ms.toFixed(0)} ms`);
      assert.equal(r.status, 503, `${r.status} ${JSON.stringify(r.body)}`);
      assert.match(r.headers.get('retry-after') || '', /^[1-9]\d*$/, 'Retry-After');
      assertProblem(assert, r, 503);
    }
    const recovery = await waitRecovered(srv.url, 10_000);
    t.diagnostic(`recovered ${recovery.toFixed(0)} ms after SIGCONT`);
  } finally {
    pg.resume();
    await srv.stop();
  }
});

// 8 clients post notices for ~2 s; the server is SIGKILLed after 1 s; restarted on the same data,
// it must list every notice that was acknowledged with 201. Notices are spread over service points
// so that each point's list stays under the 500-item page.
async function killDuringBurst(t, storage) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'motcua-fault-kill-'));
  try {
    const srv = await start({ storage, dataDir, adminKey: TOKEN });
    const points = (await servicePointCodes(srv.url)).slice(0, 40);
    assert.ok(points.length >= 10);
    const acked = new Map();
    const other = {};
    let k = 0;
    let killedAt = null;
    const t0 = performance.now();
    const client = async () => {
      while (performance.now() - t0 < 2000) {
        const body = { service_point: points[k++ % points.length], text_vi: `Thông báo trước khi sập #${k} ${Math.random()}` };
        const r = await postNotice(srv.url, TOKEN, body, { timeoutMs: 3000 });
        if (r.status === 201) {
          assert.equal(r.body.text_vi, body.text_vi);
          acked.set(r.body.id, r.body);
        } else {
          other[r.status || r.error] = (other[r.status || r.error] || 0) + 1;
          await sleep(10);
        }
      }
    };
    const killer = (async () => {
      await sleep(1000);
      killedAt = acked.size;
      srv.proc.kill('SIGKILL');
    })();
    await Promise.all([...Array.from({ length: 8 }, client), killer]);
    await srv.stop();
    t.diagnostic(`${acked.size} notices acknowledged (${killedAt} when SIGKILL was sent); other answers: ${JSON.stringify(other)}`);
    assert.ok(acked.size > 0, 'some notices were acknowledged before the kill');
    assert.ok(srv.proc.signalCode === 'SIGKILL', `the server was killed (${srv.proc.signalCode})`);

    const again = await start({ storage, dataDir });
    try {
      const listed = new Map();
      for (const p of points) {
        const l = await listNotices(again.url, p);
        assert.equal(l.status, 200);
        assert.ok(!l.truncated && l.items.length < 500, `the list of ${p} is complete (${l.items.length})`);
        for (const n of l.items) listed.set(n.id, n);
      }
      const missing = [...acked.keys()].filter((id) => !listed.has(id));
      t.diagnostic(`after restart: ${listed.size} notices stored, ${missing.length} acknowledged ones missing`);
      assert.deepEqual(missing, [], 'every acknowledged notice survived the kill');
      for (const [id, n] of acked) assert.deepEqual(listed.get(id), n, `notice ${id} unchanged`);
    } finally {
      await again.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('[sqlite] (d) SIGKILL during a write burst loses no acknowledged notice', async (t) => {
  await killDuringBurst(t, []);
});

test('[postgres] (d) SIGKILL during a write burst loses no acknowledged notice', async (t) => {
  await killDuringBurst(t, postgresStorage());
});

function openFileLimit() {
  try {
    const m = /^Max open files\s+(\d+|unlimited)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    if (m) return m[1] === 'unlimited' ? Infinity : Number(m[1]);
  } catch {}
  return 1024;
}

test('[postgres] (e) 10,000 idle connections do not lock out a new client', async (t) => {
  const limit = openFileLimit();
  const n = Math.max(0, Math.min(10_000, limit - 200));
  t.diagnostic(`open file limit of this process ${limit} (process.getrlimit ${typeof process.getrlimit === 'function' ? 'exists' : 'is not available'}); opening ${n} idle connections`);
  assert.ok(n >= 1000, `the fd limit ${limit} allows too few connections for this test`);
  const srv = await pgServer();
  const sockets = [];
  let failed = 0;
  let closedByServer = 0;
  try {
    const t0 = performance.now();
    for (let opened = 0; opened < n; opened += 500) {
      const batch = Array.from({ length: Math.min(500, n - opened) }, () => new Promise((resolve) => {
        const s = net.connect(srv.port, '127.0.0.1');
        const timer = setTimeout(() => {
          s.destroy();
          failed++;
          resolve();
        }, 5000);
        s.once('connect', () => {
          clearTimeout(timer);
          sockets.push(s);
          s.on('close', () => closedByServer++);
          resolve();
        });
        s.once('error', () => {
          clearTimeout(timer);
          failed++;
          resolve();
        });
      }));
      await Promise.all(batch);
    }
    t.diagnostic(`${sockets.length} connections open (${failed} failed) in ${(performance.now() - t0).toFixed(0)} ms`);
    assert.ok(sockets.length >= n * 0.99, `opened ${sockets.length} of ${n}`);
    const h = await request(srv.url, '/healthz', { timeoutMs: 5000 });
    const u = await request(srv.url, '/api/v1/units', { timeoutMs: 5000 });
    t.diagnostic(`with ${sockets.length} idle connections: /healthz ${h.status || h.error} in ${h.ms.toFixed(0)} ms, /api/v1/units ${u.status || u.error} in ${u.ms.toFixed(0)} ms; ${closedByServer} idle connections closed so far`);
    assert.equal(h.status, 200, `healthz: ${h.error}`);
    assert.ok(h.ms < 1000, `healthz took ${h.ms.toFixed(0)} ms`);
    assert.equal(u.status, 200, `units: ${u.error}`);
    assert.equal(srv.proc.exitCode, null, 'the server is still running');
  } finally {
    for (const s of sockets) s.destroy();
    await srv.stop();
  }
});

test('[postgres] (f) a handler slower than the read timeout still gets its answer out', async (t) => {
  const srv = await pgServer({ MOTCUA_READ_TIMEOUT_SECONDS: '1', MOTCUA_DB_TIMEOUT_MS: '5000' });
  try {
    assert.equal((await request(srv.url, '/api/v1/units')).status, 200);
    pg.pause();
    const inflight = request(srv.url, '/api/v1/units', { timeoutMs: 10_000 });
    await sleep(1500);
    pg.resume();
    const r = await inflight;
    t.diagnostic(`GET /api/v1/units with PostgreSQL paused 1.5 s (read timeout 1 s): ${r.status || r.error} after ${r.ms.toFixed(0)} ms`);
    assert.equal(r.status, 200, `answer: ${r.status || r.error} ${JSON.stringify(r.body)}`);
    assert.ok(r.ms >= 1300, `the request really waited for the database (${r.ms.toFixed(0)} ms)`);
    assert.ok(Array.isArray(r.body.items) && r.body.items.length > 0);
  } finally {
    pg.resume();
    await srv.stop();
  }
});
