// Starts the real motcua binary for integration tests, on SQLite (default) or, with
// MOTCUA_TEST_BACKEND=postgres, on a fresh database of the throw-away PostgreSQL server that
// scripts/with-postgres started (MOTCUA_TEST_POSTGRES_URL).
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { startServer, defaultBin, repoRoot } from '../e2e/server.mjs';

export { defaultBin, repoRoot };
export const backend = process.env.MOTCUA_TEST_BACKEND || 'sqlite';

let counter = 0;

// A new empty PostgreSQL database for one server, so tests do not see each other's writes.
export function freshPostgresUrl() {
  const base = process.env.MOTCUA_TEST_POSTGRES_URL;
  if (!base) throw new Error('MOTCUA_TEST_BACKEND=postgres needs MOTCUA_TEST_POSTGRES_URL (run under scripts/with-postgres)');
  const name = `it_${process.pid}_${Date.now()}_${counter++}`;
  execFileSync('psql', [base, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`]);
  const u = new URL(base);
  u.pathname = '/' + name;
  return u.toString();
}

export function storageArgs() {
  return backend === 'postgres' ? ['--database-url', freshPostgresUrl()] : [];
}

// Starts a server; `opts.args` are appended to the storage arguments.
export async function start(opts = {}) {
  const args = [...(opts.storage ?? storageArgs()), ...(opts.args || [])];
  return startServer({ ...opts, args });
}

export async function getJson(base, path, init) {
  const res = await fetch(base + path, init);
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, headers: res.headers, body };
}

// Sends raw bytes on one TCP connection and collects everything the server sends until it
// closes the connection or `idleMs` passes without data.
export function rawExchange(port, chunks, { idleMs = 1500, gapMs = 0 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = Buffer.alloc(0);
    let timer;
    const finish = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(data.toString('latin1'));
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(finish, idleMs);
    };
    socket.on('connect', async () => {
      for (const c of chunks) {
        socket.write(c);
        if (gapMs) await new Promise((r) => setTimeout(r, gapMs));
      }
      arm();
    });
    socket.on('data', (d) => {
      data = Buffer.concat([data, d]);
      arm();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', (e) => (data.length ? finish() : reject(e)));
  });
}

// Asserts the RFC 9457 problem shape with both languages.
export function assertProblem(assert, res, status, field) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.match(res.headers.get('content-type') || '', /application\/problem\+json/);
  const p = res.body;
  assert.equal(p.status, status);
  assert.match(p.type, /^\/problems\//);
  for (const k of ['title', 'title_vi', 'detail', 'detail_vi', 'request_id']) {
    assert.equal(typeof p[k], 'string', `problem has ${k}`);
    assert.ok(p[k].length > 0, `problem ${k} is not empty`);
  }
  assert.equal(p.request_id, res.headers.get('x-request-id'));
  if (field) assert.equal(p.field, field);
}
