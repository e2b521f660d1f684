// A power cut under the SQLite database, against the real binary. Run as
//   MOTCUA_BIN=build/motcua node --test tests/powerloss/
// Needs a C compiler and libsqlite3-dev (both already needed to build motcua).
//
// kill -9 cannot show a missing fsync: the page cache outlives the process. So the server runs
// with powerloss_shim.so preloaded, which records, before every write to a file of the data
// directory, the bytes it replaces, and marks a file's records durable when an fsync of it
// returns. After SIGKILL, powerloss_undo throws away everything not yet durable (and the -shm
// index), which is what the disk holds after a power cut. The server is then started again
// without the shim and must list every notice it acknowledged with 201.
//
// The control case runs the same with POWERLOSS_IGNORE_FSYNC=1 (fsync returns 0 and syncs
// nothing): acknowledged notices must then be lost, or the shim is not really dropping unsynced
// data and a pass of the first case would mean nothing.
//
// PostgreSQL is not covered: its server is not ours to preload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { start, postNotice, listNotices, servicePointCodes } from '../integration/harness.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const TOKEN = 'mck_powerloss_admin_token_xxxxxxxxxxx';
const BURST_MS = 2000;
const KILL_AT_MS = 1500;
const CLIENTS = 8;
const POINTS = 40;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let tools;

before(() => {
  const dir = mkdtempSync(path.join(tmpdir(), 'motcua-powerloss-tools-'));
  const cc = (args) => {
    const r = spawnSync('cc', args, { encoding: 'utf8' });
    assert.equal(r.status, 0, `cc ${args.join(' ')}:\n${r.stderr}${r.error ?? ''}`);
  };
  tools = {
    dir,
    shim: path.join(dir, 'powerloss_shim.so'),
    undo: path.join(dir, 'powerloss_undo'),
    integrity: path.join(dir, 'integrity_check'),
  };
  cc(['-shared', '-fPIC', '-O1', '-o', tools.shim, path.join(here, 'powerloss_shim.c'), '-ldl', '-lpthread']);
  cc(['-O1', '-o', tools.undo, path.join(here, 'powerloss_undo.c')]);
  cc(['-O1', '-o', tools.integrity, path.join(here, 'integrity_check.c'), '-lsqlite3']);
});

after(() => {
  if (tools) rmSync(tools.dir, { recursive: true, force: true });
});

// The environment of a server that must not inherit a preload from whoever runs the tests.
function cleanEnv(extra = {}) {
  return { LD_PRELOAD: '', POWERLOSS_DIR: '', POWERLOSS_LOG: '', POWERLOSS_IGNORE_FSYNC: '', ...extra };
}

// 8 clients post notices for BURST_MS; the server is SIGKILLed at KILL_AT_MS. Returns the
// acknowledged notices by id and the other answers by status.
async function burst(srv, points) {
  const acked = new Map();
  const other = {};
  let k = 0;
  let killedAt = null;
  const t0 = performance.now();
  const client = async () => {
    while (performance.now() - t0 < BURST_MS) {
      const body = { service_point: points[k++ % points.length], text_vi: `Thông báo trước khi mất điện #${k} ${Math.random()}` };
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
    await sleep(KILL_AT_MS);
    killedAt = acked.size;
    srv.proc.kill('SIGKILL');
  })();
  await Promise.all([...Array.from({ length: CLIENTS }, client), killer]);
  return { acked, other, killedAt };
}

// One run: a database that has been in use (created and seeded without the shim), a write burst
// under the shim, SIGKILL, the power cut, a restart without the shim. Returns what was lost.
async function powerLossRun(t, { ignoreFsync }) {
  const root = mkdtempSync(path.join(tmpdir(), 'motcua-powerloss-'));
  const dataDir = path.join(root, 'data');
  const undoLog = path.join(root, 'undo.log');
  const db = path.join(dataDir, 'motcua.db');
  const t0 = performance.now();
  const servers = [];  // stopped in any case
  const startTracked = async (opts) => {
    const s = await start({ storage: [], dataDir, ...opts });
    servers.push(s);
    return s;
  };
  try {
    const seeded = await startTracked({ env: cleanEnv(), adminKey: TOKEN });
    const points = (await servicePointCodes(seeded.url)).slice(0, POINTS);
    assert.equal(await seeded.stop(), 0, 'the seeding server stopped cleanly');
    assert.ok(points.length >= 10, `${points.length} service points`);

    const srv = await startTracked({
      env: cleanEnv({
        LD_PRELOAD: tools.shim,
        POWERLOSS_DIR: dataDir,
        POWERLOSS_LOG: undoLog,
        POWERLOSS_IGNORE_FSYNC: ignoreFsync ? '1' : '',
      }),
    });
    assert.match(srv.output(), /powerloss shim: tracking /, 'the shim is loaded');
    const { acked, other, killedAt } = await burst(srv, points);
    await srv.stop();
    assert.equal(srv.proc.signalCode, 'SIGKILL', 'the server was killed');
    assert.doesNotMatch(srv.output(), /powerloss shim: .*(NOT tracked|could not|cannot|beyond|mmap)/, 'the shim saw everything');
    t.diagnostic(`${acked.size} notices acknowledged (${killedAt} when SIGKILL was sent); other answers: ${JSON.stringify(other)}`);
    assert.ok(acked.size > 0, 'some notices were acknowledged before the kill');

    // The power cut.
    const out = execFileSync(tools.undo, [dataDir, undoLog], { encoding: 'utf8' });
    const cut = JSON.parse(out);
    const fileSummary = (f) => `${path.basename(f.path)} ` + (f.missing ? 'gone before the cut'
      : f.deleted ? `created, directory never synced: removed (${f.size_before} bytes)`
      : `${f.undone} writes undone, ${f.size_before} -> ${f.size_after} bytes`);
    t.diagnostic(`power cut: ${cut.records} log records (${cut.writes} writes, ${cut.syncs} file syncs, ${cut.creates} creations, ` +
      `${cut.dir_syncs} directory syncs), ${cut.undone} unsynced writes undone: ${cut.files.map(fileSummary).join('; ')}; ` +
      `-shm deleted: ${JSON.stringify(cut.shm_deleted)}`);
    assert.equal(cut.pid, srv.proc.pid, 'the undo log is the killed server\'s');
    assert.equal(cut.mode, ignoreFsync ? 'ignore-fsync' : 'normal');
    assert.ok(cut.writes > 0, 'the shim recorded writes');
    if (ignoreFsync) assert.equal(cut.syncs, 0, 'no sync was honoured');
    else assert.ok(cut.syncs > 0, 'the server synced');
    const files = readdirSync(dataDir);
    t.diagnostic(`data directory after the cut: ${files.join(', ')}`);

    const again = await startTracked({ env: cleanEnv() });
    const listed = new Map();
    try {
      for (const p of points) {
        const l = await listNotices(again.url, p);
        assert.equal(l.status, 200, `GET /api/v1/notices?service_point=${p}: ${l.status}`);
        assert.ok(!l.truncated && l.items.length < 500, `the list of ${p} is complete (${l.items.length})`);
        for (const n of l.items) listed.set(n.id, n);
      }
    } finally {
      assert.equal(await again.stop(), 0, 'the restarted server stopped cleanly');
    }
    const lost = [...acked.keys()].filter((id) => !listed.has(id));
    const changed = [...acked].filter(([id, n]) => listed.has(id) && !isDeepStrictEqual(listed.get(id), n));
    const unacked = [...listed.keys()].filter((id) => !acked.has(id));
    t.diagnostic(`after the power cut: ${acked.size} acknowledged, ${acked.size - lost.length} present, ${lost.length} lost ` +
      `(${unacked.length} unacknowledged ones stored too)`);

    const integrity = spawnSync(tools.integrity, [db], { encoding: 'utf8' });
    t.diagnostic(`PRAGMA integrity_check: ${(integrity.stdout + integrity.stderr).trim().slice(0, 500)}`);
    assert.equal(integrity.status, 0, `the database is sound after the power cut: ${integrity.stdout}${integrity.stderr}`);
    t.diagnostic(`run took ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return { acked, lost, changed };
  } finally {
    for (const s of servers) await s.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

test('[sqlite] a power cut during a write burst loses no acknowledged notice', async (t) => {
  const { acked, lost, changed } = await powerLossRun(t, { ignoreFsync: false });
  assert.deepEqual(lost, [], `${lost.length} of ${acked.size} acknowledged notices lost`);
  assert.deepEqual(changed.map(([id]) => id), [], 'acknowledged notices unchanged');
});

test('[sqlite] control: with fsync ignored, the same power cut loses acknowledged notices', async (t) => {
  const { acked, lost } = await powerLossRun(t, { ignoreFsync: true });
  assert.ok(lost.length > 0,
    `none of ${acked.size} acknowledged notices was lost although no fsync was honoured: the shim does not drop unsynced data, so the other test proves nothing`);
});
