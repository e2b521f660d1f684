// Starts the real motcua binary for integration tests, on SQLite (default) or, with
// MOTCUA_TEST_BACKEND=postgres, on a fresh database of the throw-away PostgreSQL server that
// scripts/with-postgres started (MOTCUA_TEST_POSTGRES_URL).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import http from 'node:http';
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

// ---- Live events and notices (used by events.test.mjs and tests/faults/) --------------------

// One HTTP request on its own connection (no keep-alive pool), bounded by `timeoutMs`. Never
// throws: a connection error or a timeout is reported in `error` (status 0), with the time taken.
export function request(base, path, { method = 'GET', headers = {}, body, timeoutMs = 10_000 } = {}) {
  const u = new URL(base + path);
  const started = performance.now();
  return new Promise((resolve) => {
    let done = false;
    const finish = (r) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ ms: performance.now() - started, ...r });
    };
    const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
    const req = http.request({
      host: u.hostname, port: u.port, path: u.pathname + u.search, method, agent: false,
      headers: { Connection: 'close', ...(payload ? { 'Content-Length': payload.length } : {}), ...headers },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) h.set(k, Array.isArray(v) ? v.join(', ') : String(v));
        finish({ status: res.statusCode, headers: h, body: json });
      });
      res.on('error', (e) => finish({ status: 0, error: e.code || e.message }));
    });
    const timer = setTimeout(() => {
      req.destroy();
      finish({ status: 0, error: 'timeout' });
    }, timeoutMs);
    req.on('error', (e) => finish({ status: 0, error: e.code || e.message }));
    if (payload) req.write(payload);
    req.end();
  });
}

export function postNotice(base, token, notice, { headers = {}, timeoutMs = 10_000, rawBody } = {}) {
  return request(base, '/api/v1/notices', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body: rawBody ?? JSON.stringify(notice),
    timeoutMs,
  });
}

// Every notice GET /api/v1/notices returns (for one service point when given), following pages
// when the server pages. Asks for a big page first and takes a smaller one when it is refused
// (the limit parameter and its maximum are the server's business).
export async function listNotices(base, servicePoint) {
  const sp = servicePoint ? `service_point=${encodeURIComponent(servicePoint)}` : '';
  const join = (...parts) => '/api/v1/notices' + (parts.filter(Boolean).length ? '?' + parts.filter(Boolean).join('&') : '');
  let limit = null;
  let first;
  for (const l of [1000, 500, 200, 100, 50, null]) {
    first = await request(base, join(sp, l ? `limit=${l}` : ''));
    if (first.status !== 400) {
      limit = l;
      break;
    }
  }
  if (first.status !== 200 || !Array.isArray(first.body?.items)) return { status: first.status, body: first.body, items: null };
  const items = [...first.body.items];
  let truncated = false;
  if (limit !== null) {
    for (let page = 1; page < 200 && items.length === limit * page; page++) {
      const next = await request(base, join(sp, `limit=${limit}`, `offset=${limit * page}`));
      if (next.status !== 200 || !Array.isArray(next.body?.items)) {
        truncated = true;
        break;
      }
      items.push(...next.body.items);
    }
  }
  return { status: 200, body: first.body, items, truncated };
}

export async function servicePointCodes(base) {
  const r = await getJson(base, '/api/v1/service-points');
  if (r.status !== 200 || !Array.isArray(r.body?.items)) throw new Error(`GET /api/v1/service-points: ${r.status}`);
  return r.body.items.map((p) => p.code);
}

// Resident memory of a process in KiB (Linux), or null.
export function rssKiB(pid) {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

// A Server-Sent Events client on its own connection. Resolves once the response head arrived:
//   s.status, s.headers (Headers), s.events [{id, type, data, at}], s.comments, s.retry,
//   s.order (kinds of the blocks in arrival order: 'retry' | 'event' | 'comment'),
//   s.ended (the server closed the stream), s.waitFor(pred, ms, what), s.close().
// For a non-200 answer s.body holds the parsed body once s.ended.
export function openEventStream(base, { topics, lastEventId, query, headers = {}, timeoutMs = 5000 } = {}) {
  const u = new URL(base);
  const params = [];
  if (topics !== undefined) params.push('topics=' + topics.split(',').map(encodeURIComponent).join(','));
  if (query) params.push(query);
  const path = '/api/v1/events' + (params.length ? '?' + params.join('&') : '');
  const h = { Accept: 'text/event-stream', ...headers };
  if (lastEventId !== undefined) h['Last-Event-ID'] = String(lastEventId);
  return new Promise((resolve, reject) => {
    const s = {
      status: 0, headers: new Headers(), raw: '', body: undefined, events: [], comments: [], retry: null,
      order: [], ended: false, endedAt: null, error: null,
    };
    const waiters = new Set();
    const check = () => {
      for (const w of [...waiters]) {
        let ok = false;
        try {
          ok = w.pred(s);
        } catch (e) {
          w.fail(e);
          continue;
        }
        if (ok) w.done();
        else if (s.ended) {
          w.fail(new Error(`${w.what}: the stream ended first (status ${s.status}, ${s.events.length} events, error ${s.error})`));
        }
      }
    };
    s.waitFor = (pred, ms, what = 'condition') =>
      new Promise((res, rej) => {
        const w = {
          pred, what,
          done: () => { waiters.delete(w); clearTimeout(w.timer); res(s); },
          fail: (e) => { waiters.delete(w); clearTimeout(w.timer); rej(e); },
        };
        w.timer = setTimeout(() => w.fail(new Error(`${what}: not within ${ms} ms (status ${s.status}, ${s.events.length} events received)`)), ms);
        waiters.add(w);
        check();
      });
    s.waitForEnd = (ms) =>
      new Promise((res) => {
        if (s.ended) return res(true);
        const t = setTimeout(() => res(false), ms);
        req.once('close', () => { clearTimeout(t); res(true); });
      });
    let buf = '';
    const parse = () => {
      let idx;
      while ((idx = buf.indexOf('\n\n')) >= 0) {
        const block = buf.slice(0, idx);
        buf = buf.slice(idx + 2);
        const ev = {};
        let data = null;
        let comment = null;
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) {
            comment = line.slice(1).trim();
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          let value = colon < 0 ? '' : line.slice(colon + 1);
          if (value.startsWith(' ')) value = value.slice(1);
          if (field === 'data') data = data === null ? value : data + '\n' + value;
          else ev[field] = value;
        }
        if (ev.id !== undefined || ev.event !== undefined || data !== null) {
          let parsed = data;
          try {
            parsed = JSON.parse(data);
          } catch {}
          s.events.push({ id: Number(ev.id), type: ev.event, data: parsed, rawData: data, at: performance.now() });
          s.order.push('event');
        } else if (ev.retry !== undefined) {
          s.retry = Number(ev.retry);
          s.order.push('retry');
        } else if (comment !== null) {
          s.comments.push({ text: comment, at: performance.now() });
          s.order.push('comment');
        }
      }
    };
    const req = http.get({ host: u.hostname, port: u.port, path, headers: h, agent: false }, (res) => {
      clearTimeout(timer);
      s.status = res.statusCode;
      for (const [k, v] of Object.entries(res.headers)) s.headers.set(k, Array.isArray(v) ? v.join(', ') : String(v));
      res.setEncoding('utf8');
      res.on('data', (chunk) => {
        s.raw += chunk;
        if (s.status === 200) {
          buf += chunk;
          parse();
        }
        check();
      });
      const end = () => {
        if (s.ended) return;
        s.ended = true;
        s.endedAt = performance.now();
        if (s.status !== 200) {
          try {
            s.body = JSON.parse(s.raw);
          } catch {
            s.body = s.raw;
          }
        }
        check();
      };
      res.on('end', end);
      res.on('close', end);
      res.on('error', (e) => {
        s.error = e.code || e.message;
        end();
      });
      resolve(s);
    });
    s.close = () => req.destroy();
    const timer = setTimeout(() => {
      req.destroy();
      reject(new Error(`GET ${path}: no response head within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (e) => {
      clearTimeout(timer);
      s.error = e.code || e.message;
      if (s.status === 0) reject(e);
      else if (!s.ended) {
        s.ended = true;
        s.endedAt = performance.now();
        check();
      }
    });
  });
}
