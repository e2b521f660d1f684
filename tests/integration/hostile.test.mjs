// Hostile HTTP/1.1 input over raw TCP: request smuggling, oversized and endless input, slow
// clients, protocol-version and header-syntax edge cases. Every case checks the exact answer
// (status line; for an error, an RFC 9457 problem whose "status" equals the HTTP status, in both
// languages) and then that the server still answers GET /healthz on a new connection within 1 s.
//
// Servers: "main" (default limits, admin token), "big" (max_header_bytes 200000), "slow"
// (read_timeout 2 s, idle_timeout 10 s), and a throw-away one for the memory case. Settings are
// given as MOTCUA_<KEY> environment variables, which `motcua serve` reads (see serve --help).
// A server that dies or stops answering is restarted before the next case, so one crash fails
// its own case and not every case after it.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import zlib from 'node:zlib';
import { readFileSync, readdirSync } from 'node:fs';
import { start, backend } from './harness.mjs';

const TOKEN = 'mck_hostile_admin_token_7f3a_xxxxxxxx';
const KiB = 1024;
const MiB = 1024 * KiB;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const toBuf = (x) => (Buffer.isBuffer(x) ? x : Buffer.from(x, 'latin1'));

// ---------------------------------------------------------------------------------------------
// Servers

const SERVERS = {
  main: {
    MOTCUA_MAX_HEADER_BYTES: String(16 * KiB),
    MOTCUA_MAX_BODY_BYTES: String(MiB),
    MOTCUA_READ_TIMEOUT_SECONDS: '30',
    MOTCUA_IDLE_TIMEOUT_SECONDS: '60',
    MOTCUA_ACCESS_LOG: 'true',
    MOTCUA_LOG_LEVEL: 'info',
  },
  big: { MOTCUA_MAX_HEADER_BYTES: '200000', MOTCUA_READ_TIMEOUT_SECONDS: '30', MOTCUA_IDLE_TIMEOUT_SECONDS: '60' },
  slow: { MOTCUA_READ_TIMEOUT_SECONDS: '2', MOTCUA_IDLE_TIMEOUT_SECONDS: '10', MOTCUA_MAX_HEADER_BYTES: String(16 * KiB) },
};
const live = {};
const incidents = [];

// Starts a server and keeps its stderr (the JSON-lines log) as raw bytes, for the UTF-8 checks:
// the harness's output() has already decoded it. Lines written before start() returned are not
// needed (each log check looks only at what its own case caused).
async function launch(env) {
  // Every server knows the administrator key; only "main" is sent requests that use it.
  const s = await start({ env, adminKey: TOKEN, args: ['--config', '/dev/null'] });
  const chunks = [];
  s.proc.stderr.on('data', (c) => chunks.push(c));
  s.stderrBytes = () => Buffer.concat(chunks);
  return s;
}

function exited(proc) {
  return proc.exitCode !== null || proc.signalCode !== null;
}

function waitExit(proc, ms) {
  if (exited(proc)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    proc.once('exit', () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

// The named server, restarted first if it died or stopped answering in an earlier case.
async function up(name) {
  let s = live[name];
  if (s && !exited(s.proc)) {
    const c = await exchange(s.port, [HEALTH_CLOSE], { waitMs: 1000, until: (x) => x.completeFinals() >= 1 });
    if (c.finals()[0]?.status === 200) return s;
    incidents.push(`${name}: unresponsive, restarted`);
    s.proc.kill('SIGKILL');
  } else if (s) {
    incidents.push(`${name}: had exited (code ${s.proc.exitCode}, signal ${s.proc.signalCode}), restarted`);
  }
  if (s) await s.stop().catch(() => {});
  s = live[name] = await launch(SERVERS[name]);
  return s;
}

before(async () => {
  const names = Object.keys(SERVERS);
  const started = await Promise.all(names.map((n) => launch(SERVERS[n])));
  names.forEach((n, i) => (live[n] = started[i]));
});

after(async () => {
  const codes = {};
  for (const [name, s] of Object.entries(live)) codes[name] = await s.stop();
  if (incidents.length) console.log(`hostile: servers restarted during the run:\n  ${incidents.join('\n  ')}`);
  for (const [name, code] of Object.entries(codes)) assert.equal(code, 0, `server "${name}" exit code after SIGTERM`);
});

// ---------------------------------------------------------------------------------------------
// Raw connection: collects everything the server sends, copes with early close, RST and partial
// reads; writes never throw (a refused write resolves false and is recorded).

class Conn {
  constructor(port) {
    this.data = Buffer.alloc(0);
    this.closed = false;
    this.ended = false;
    this.closedByPeer = false;
    this.destroyedByUs = false;
    this.error = null;
    this.writeErrors = [];
    this.waiters = new Set();
    this.openedAt = Date.now();
    this.closedAt = null;
    this.firstDataAt = null;
    const s = (this.socket = net.connect({ port, host: '127.0.0.1' }));
    s.setNoDelay(true);
    this.ready = new Promise((resolve) => {
      s.once('connect', () => resolve(true));
      s.once('close', () => resolve(false));
    });
    s.on('data', (d) => {
      if (this.firstDataAt === null) this.firstDataAt = Date.now();
      this.data = Buffer.concat([this.data, d]);
      this.notify();
    });
    s.on('end', () => {
      this.ended = true;
      this.notify();
    });
    s.on('error', (e) => {
      this.error = e;
      this.notify();
    });
    s.on('close', () => {
      this.closed = true;
      this.closedByPeer = !this.destroyedByUs;
      this.closedAt = Date.now();
      this.notify();
    });
  }

  notify() {
    for (const w of [...this.waiters]) w();
  }

  get writable() {
    return !this.closed && !this.socket.destroyed && this.socket.writable;
  }

  // Resolves true once the bytes are handed to the kernel; false if refused, closed or slow.
  write(bytes, timeoutMs = 5000) {
    if (!this.writable) return Promise.resolve(false);
    return new Promise((resolve) => {
      let done = false;
      const finish = (v) => {
        if (done) return;
        done = true;
        clearTimeout(t);
        this.waiters.delete(w);
        resolve(v);
      };
      const w = () => {
        if (this.closed) finish(false);
      };
      const t = setTimeout(() => finish(false), timeoutMs);
      this.waiters.add(w);
      try {
        this.socket.write(toBuf(bytes), (err) => {
          if (err) this.writeErrors.push(err);
          finish(!err);
        });
      } catch (e) {
        this.writeErrors.push(e);
        finish(false);
      }
    });
  }

  // Resolves true as soon as pred(this) holds, false after ms.
  waitFor(pred, ms) {
    if (pred(this)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const finish = (v) => {
        clearTimeout(t);
        this.waiters.delete(w);
        resolve(v);
      };
      const w = () => {
        if (pred(this)) finish(true);
      };
      const t = setTimeout(() => finish(pred(this)), ms);
      this.waiters.add(w);
    });
  }

  end() {
    if (this.writable) this.socket.end();
  }

  destroy() {
    if (!this.closed) this.destroyedByUs = true;
    this.socket.destroy();
  }

  get text() {
    return this.data.toString('latin1');
  }
  parsed() {
    return parseResponses(this.data, this.closed);
  }
  responses() {
    return this.parsed().responses;
  }
  finals() {
    return this.responses().filter((r) => r.status >= 200);
  }
  completeFinals() {
    return this.finals().filter((r) => r.complete).length;
  }
  // Status lines anywhere in the byte stream (a response may follow a body directly, with no
  // CRLF in between, so this does not look for line starts).
  statusLineCount() {
    return (this.text.match(/HTTP\/\d\.\d \d{3}[ \r]/g) || []).length;
  }
  summary() {
    const st = this.responses().map((r) => r.status + (r.complete ? '' : '(incomplete)'));
    return `statuses [${st.join(', ')}], ${this.data.length} bytes received, closed by server: ${this.closedByPeer}` +
      `${this.error ? ', socket error ' + this.error.code : ''}; start: ${JSON.stringify(this.text.slice(0, 240))}`;
  }
}

// Splits what a server sent into responses (Content-Length framing; 1xx/204/304 have no body;
// without a length the body runs to the close).
function parseResponses(buf, closed) {
  const responses = [];
  let pos = 0;
  while (pos < buf.length) {
    const headEnd = buf.indexOf('\r\n\r\n', pos, 'latin1');
    if (headEnd < 0) break;
    const head = buf.toString('latin1', pos, headEnd);
    const lines = head.split('\r\n');
    const m = /^HTTP\/(\d\.\d) (\d{3})(?: (.*))?$/.exec(lines[0]);
    if (!m) break;
    const headers = new Map();
    for (const l of lines.slice(1)) {
      const i = l.indexOf(':');
      if (i <= 0) continue;
      const k = l.slice(0, i).trim().toLowerCase();
      const v = l.slice(i + 1).trim();
      headers.set(k, headers.has(k) ? `${headers.get(k)}, ${v}` : v);
    }
    const status = Number(m[2]);
    const bodyStart = headEnd + 4;
    let len = null;
    if (status < 200 || status === 204 || status === 304) len = 0;
    else if (headers.has('content-length')) len = Number(headers.get('content-length'));
    const end = len === null ? buf.length : Math.min(buf.length, bodyStart + len);
    const complete = len === null ? closed : bodyStart + len <= buf.length;
    responses.push({
      version: m[1], status, reason: m[3] ?? '', head, headers, complete,
      header: (n) => headers.get(n.toLowerCase()),
      body: buf.subarray(bodyStart, end),
    });
    pos = end;
    if (!complete) break;
  }
  return { responses, rest: buf.subarray(pos) };
}

// Opens a connection, writes the parts (gapMs apart), optionally half-closes, then waits until
// `until` holds or the server closes, at most waitMs. Never throws.
async function exchange(port, parts, { gapMs = 0, waitMs = 1500, until = () => false, halfClose = false } = {}) {
  const c = new Conn(port);
  if (!(await Promise.race([c.ready, sleep(2000).then(() => false)]))) {
    c.destroy();
    return c;
  }
  for (let i = 0; i < parts.length; i++) {
    if (i && gapMs) await sleep(gapMs);
    if (!(await c.write(parts[i]))) break;
  }
  if (halfClose) c.end();
  await c.waitFor((x) => x.closed || until(x), waitMs);
  c.destroy();
  return c;
}

// Answer of a one-request exchange: waits for the first complete final response (or close).
function firstAnswer(port, parts, opts = {}) {
  return exchange(port, parts, { until: (x) => x.completeFinals() >= 1, ...opts });
}

// ---------------------------------------------------------------------------------------------
// Assertions

const HEALTH_CLOSE = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n';
const HEALTH = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';

// The server answers GET /healthz with 200 on a NEW connection within one second.
async function assertAlive(s, what) {
  const t0 = Date.now();
  const c = await exchange(s.port, [HEALTH_CLOSE], { waitMs: 1000, until: (x) => x.completeFinals() >= 1 });
  const ms = Date.now() - t0;
  const r = c.finals()[0];
  if (r && r.status === 200 && r.complete && ms <= 1100) return;
  await waitExit(s.proc, 1000);
  assert.fail(`${what}: server not alive afterwards — GET /healthz on a new connection gave ` +
    `${r ? r.status : 'no answer'} after ${ms} ms; ${processState(s)}; ${c.summary()}`);
}

function processState(s) {
  return exited(s.proc)
    ? `server process EXITED (code ${s.proc.exitCode}, signal ${s.proc.signalCode})`
    : 'server process still running';
}

// The first final answer of an exchange; without one, fails saying whether the server died.
async function answerOf(s, c, what) {
  const r = c.finals()[0];
  if (r) return r;
  await waitExit(s.proc, 1000);
  assert.fail(`${what}: no answer; ${processState(s)}; ${c.summary()}`);
}

// An RFC 9457 problem answer: allowed status, problem+json, "status" equal to the HTTP status,
// both languages, request_id matching X-Request-Id.
function assertProblemAnswer(r, allowed, what) {
  assert.ok(r, `${what}: no answer received (expected ${allowed.join(' or ')})`);
  assert.ok(allowed.includes(r.status),
    `${what}: status ${r.status}, expected ${allowed.join(' or ')}; head: ${JSON.stringify(r.head.slice(0, 300))}`);
  assert.ok(r.complete, `${what}: the ${r.status} answer's body was cut off (${r.body.length} bytes of ${r.header('content-length')})`);
  assert.match(r.header('content-type') || '', /^application\/problem\+json/, `${what}: Content-Type of the ${r.status} answer`);
  let p;
  try {
    p = JSON.parse(r.body.toString('utf8'));
  } catch {
    assert.fail(`${what}: ${r.status} body is not JSON: ${JSON.stringify(r.body.toString('latin1').slice(0, 200))}`);
  }
  assert.equal(p.status, r.status, `${what}: problem body says status ${p.status} but the status line says ${r.status}`);
  assert.match(String(p.type), /^\/problems\//, `${what}: problem type`);
  for (const k of ['title', 'title_vi', 'detail', 'detail_vi', 'request_id']) {
    assert.ok(typeof p[k] === 'string' && p[k].length > 0, `${what}: problem field ${k} missing or empty`);
  }
  assert.equal(p.request_id, r.header('x-request-id'), `${what}: problem request_id equals X-Request-Id`);
  return p;
}

function assertStatus(r, allowed, what) {
  assert.ok(r, `${what}: no answer received (expected ${allowed.join(' or ')})`);
  assert.ok(allowed.includes(r.status), `${what}: status ${r.status}, expected ${allowed.join(' or ')}; head: ${JSON.stringify(r.head.slice(0, 300))}`);
  assert.ok(r.complete, `${what}: the ${r.status} answer's body was cut off`);
  if (r.status >= 400) assertProblemAnswer(r, allowed, what);
}

// One request on a new connection; asserts the first answer's status (and problem shape when it
// is an error), then that the server is alive.
async function expectAnswer(name, bytes, allowed, what, opts = {}) {
  const s = await up(name);
  const c = await firstAnswer(s.port, Array.isArray(bytes) ? bytes : [bytes], opts);
  assertStatus(await answerOf(s, c, what), allowed, `${what} (${c.summary()})`);
  await assertAlive(s, what);
  return c;
}

function rssKiB(pid, key = 'VmRSS') {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

// Where the server's log stands now: logEntries(s, mark, ...) then checks only what came after,
// so one bad line fails the case that caused it and not every later one.
function logMark(s) {
  const bytes = s.stderrBytes();
  return bytes.lastIndexOf(0x0a) + 1;
}

// The server's JSON-lines log (stderr) written since `mark`, checked: valid UTF-8, every complete
// line JSON. Waits up to 1 s for lines carrying the given request ids.
async function logEntries(s, mark, requestIds, what) {
  const deadline = Date.now() + 1000;
  let bytes;
  for (;;) {
    bytes = s.stderrBytes().subarray(mark);
    const text = bytes.toString('latin1');
    if (requestIds.every((id) => text.includes(id)) || Date.now() > deadline) break;
    await sleep(25);
  }
  const lastNl = bytes.lastIndexOf(0x0a);
  const complete = bytes.subarray(0, lastNl + 1);  // a line being written may be unfinished
  let text;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(complete);
  } catch {
    const bad = complete.toString('latin1').split('\n').find((l) => {
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(l, 'latin1'));
        return false;
      } catch {
        return true;
      }
    });
    const shown = (bad || '').slice(0, 300).replace(/[\x80-\xff]/g, (ch) => `\\x${ch.charCodeAt(0).toString(16)}`);
    assert.fail(`${what}: the server's stderr log is not valid UTF-8; first bad line: ${shown}`);
  }
  const entries = [];
  for (const line of text.split('\n')) {
    if (!line) continue;
    try {
      entries.push(JSON.parse(line));
    } catch {
      assert.fail(`${what}: log line is not JSON: ${JSON.stringify(line.slice(0, 300))}`);
    }
  }
  return entries;
}

// ---------------------------------------------------------------------------------------------
// 1. Oversized fields that once crashed the server

test(`[${backend}] crash: chunked trailer with one field over 64 KiB → 431, alive`, async () => {
  const what = 'trailer field > 64 KiB';
  const s = await up('main');
  const c = await firstAnswer(s.port, [
    'GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n' + '0\r\nX: ' + 'b'.repeat(65534) + '\r\n\r\n',
  ], { waitMs: 2000 });
  assertProblemAnswer(await answerOf(s, c, what), [431, 400, 413], `${what} (431 expected; ${c.summary()})`);
  await assertAlive(s, what);
});

test(`[${backend}] crash: same trailer on a server whose header limit is above 64 KiB → answered, alive`, async () => {
  const what = 'trailer field > 64 KiB, max_header_bytes 200000';
  const s = await up('big');
  const c = await firstAnswer(s.port, [
    'GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0\r\nX: ' + 'b'.repeat(65534) + '\r\n\r\n',
  ], { waitMs: 2000 });
  assertStatus(await answerOf(s, c, what), [200, 400, 413, 431], `${what} (${c.summary()})`);
  await assertAlive(s, what);
});

test(`[${backend}] crash: header field over 64 KiB with max_header_bytes 200000 → 200 or 431, alive`, async () => {
  const what = 'header value of 70000 bytes, max_header_bytes 200000';
  const s = await up('big');
  const c = await firstAnswer(s.port, [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(70000)}\r\nConnection: close\r\n\r\n`], { waitMs: 2000 });
  assertStatus(await answerOf(s, c, what), [200, 431], `${what} (${c.summary()})`);
  await assertAlive(s, what);
});

test(`[${backend}] crash: header NAME over 64 KiB with max_header_bytes 200000 → 200, 400 or 431, alive`, async () => {
  const what = 'header name of 70000 bytes, max_header_bytes 200000';
  const s = await up('big');
  const c = await firstAnswer(s.port, [`GET /healthz HTTP/1.1\r\nHost: x\r\nX${'n'.repeat(70000)}: v\r\nConnection: close\r\n\r\n`], { waitMs: 2000 });
  assertStatus(await answerOf(s, c, what), [200, 400, 431], `${what} (${c.summary()})`);
  await assertAlive(s, what);
});

// ---------------------------------------------------------------------------------------------
// 2. Unbounded input

// Sends a chunk-size line whose extension never ends (8 MiB of 'e', paced so that a server that
// refuses early is seen to do so), stops sending once answered or cut off, then half-closes.
// `cutOffAt`: bytes handed to the kernel when the server answered or closed; null if it did
// neither while the whole 8 MiB went out nor in the 2 s after.
async function endlessChunkExtension(port) {
  const total = 8 * MiB;
  const piece = Buffer.alloc(64 * KiB, 'e');
  const c = new Conn(port);
  await Promise.race([c.ready, sleep(2000)]);
  await c.write('POST /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;x=');
  let sent = 0;
  const deadline = Date.now() + 10_000;
  while (sent < total && Date.now() < deadline && !c.data.length && !c.closed) {
    if (!(await c.write(piece, 3000))) break;
    sent += piece.length;
    await sleep(1);
  }
  const cutOff = () => c.data.length > 0 || c.closed || c.writeErrors.length > 0;
  let cutOffAt = cutOff() ? sent : null;
  if (cutOffAt === null) {
    await c.waitFor((x) => x.data.length > 0 || x.closed, 2000);
    if (cutOff()) cutOffAt = sent;
  }
  c.end();
  await c.waitFor((x) => x.closed, 2000);
  c.destroy();
  return { c, sent, cutOffAt, total };
}

test(`[${backend}] memory: endless chunk extension on 4 connections → cut off early, RSS growth < 64 MiB`, { timeout: 40_000 }, async () => {
  const what = 'endless chunk extension ×4';
  const s = await launch(SERVERS.main);
  try {
    await exchange(s.port, [HEALTH_CLOSE]);
    // The peak (VmHWM) counts, not the RSS after the connections are gone and buffers freed.
    const before = rssKiB(s.proc.pid, 'VmHWM');
    const results = await Promise.all([0, 1, 2, 3].map(() => endlessChunkExtension(s.port)));
    const peak = exited(s.proc) ? NaN : rssKiB(s.proc.pid, 'VmHWM');
    const now = exited(s.proc) ? NaN : rssKiB(s.proc.pid);
    // Memory first, so a failure report shows both.
    const growthMiB = (peak - before) / 1024;
    const memory = `peak RSS before ${before} kB, during ${peak} kB; RSS now ${now} kB`;
    assert.ok(growthMiB < 64, `${what}: server peak RSS grew by ${growthMiB.toFixed(1)} MiB (${memory}); ${processState(s)}`);
    results.forEach(({ c, sent, cutOffAt, total }, i) => {
      const w = `${what}, connection ${i + 1} (${memory})`;
      assert.ok(cutOffAt !== null,
        `${w}: the server neither answered nor closed while ${sent} of ${total} bytes were sent nor 2 s after` +
        `${c.data.length ? ' (it answered only once the client half-closed)' : ''}; ${c.summary()}`);
      assert.ok(cutOffAt < total, `${w}: the server read all ${total} bytes before refusing; ${c.summary()}`);
      // Whether a client still sending can read the answer is the next case's business; what
      // did arrive must be the refusal.
      if (c.data.length) assertProblemAnswer(c.finals()[0], [400, 413, 431], `${w} (${c.summary()})`);
      assert.ok(c.closed && !c.destroyedByUs, `${w}: server did not close the connection; ${c.summary()}`);
    });
    await assertAlive(s, what);
  } finally {
    await s.stop();
  }
});

test(`[${backend}] memory: a client still sending an endless chunk extension can read the 400/413/431 answer`, { timeout: 20_000 }, async () => {
  const what = 'endless chunk extension, answer readable';
  const s = await up('main');
  const { c, sent, cutOffAt, total } = await endlessChunkExtension(s.port);
  assert.ok(cutOffAt !== null && cutOffAt < total, `${what}: not cut off before ${total} bytes (sent ${sent}); ${c.summary()}`);
  assertProblemAnswer(await answerOf(s, c, what), [400, 413, 431],
    `${what} (sent ${sent}; write errors: ${c.writeErrors.map((e) => e.code).join(',') || 'none'}; ${c.summary()})`);
  await assertAlive(s, what);
});

test(`[${backend}] limits: 100 KB request target → 414 or 431 problem`, async () => {
  await expectAnswer('main', [`GET /healthz?q=${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`], [414, 431], '100 KB request line');
});

test(`[${backend}] limits: 10,000 tiny header fields → 431 problem`, async () => {
  let h = '';
  for (let i = 0; i < 10_000; i++) h += `a${i}: b\r\n`;
  await expectAnswer('main', [`GET /healthz HTTP/1.1\r\nHost: x\r\n${h}\r\n`], [431], '10,000 header fields');
});

test(`[${backend}] limits: 3,000 tiny header fields under a 200000-byte head limit → 200 or 431`, async () => {
  let h = '';
  for (let i = 0; i < 3_000; i++) h += `a${i}: b\r\n`;
  await expectAnswer('big', [`GET /healthz HTTP/1.1\r\nHost: x\r\n${h}Connection: close\r\n\r\n`], [200, 431], '3,000 header fields, big limit');
});

// ---------------------------------------------------------------------------------------------
// 3. Request smuggling: refused with 400 (501 for an unknown coding), Connection: close, and the
// request that follows on the same connection is never answered.

const FOLLOW = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
const POST = 'POST /healthz HTTP/1.1\r\nHost: x\r\n';

function smuggling(what, head, body, allowed = [400]) {
  test(`[${backend}] smuggling: ${what} → ${allowed.join('/')}, close, nothing after`, async () => {
    const s = await up('main');
    const c = await exchange(s.port, [Buffer.concat([toBuf(head), toBuf(body), toBuf(FOLLOW)])], { waitMs: 1500 });
    const first = await answerOf(s, c, what);
    assertProblemAnswer(first, allowed, `${what} (${c.summary()})`);
    assert.equal(c.statusLineCount(), 1, `${what}: expected exactly one status line in the exchange; ${c.summary()}`);
    assert.match(first.header('connection') || '', /\bclose\b/i, `${what}: the ${first.status} answer lacks Connection: close`);
    assert.ok(c.closedByPeer, `${what}: server kept the connection open; ${c.summary()}`);
    await assertAlive(s, what);
  });
}

const CHUNKED_BODY = '5\r\nhello\r\n0\r\n\r\n';
smuggling('Transfer-Encoding: xchunked', `${POST}Transfer-Encoding: xchunked\r\n\r\n`, CHUNKED_BODY, [400, 501]);
smuggling('Transfer-Encoding: chunked, identity', `${POST}Transfer-Encoding: chunked, identity\r\n\r\n`, CHUNKED_BODY, [400, 501]);
smuggling('Transfer-Encoding: gzip, chunked', `${POST}Transfer-Encoding: gzip, chunked\r\n\r\n`, CHUNKED_BODY, [400, 501]);
smuggling('Transfer-Encoding: identity with Content-Length', `${POST}Transfer-Encoding: identity\r\nContent-Length: 5\r\n\r\n`, 'hello', [400, 501]);
smuggling('Transfer-Encoding: chunked with Content-Length: 5', `${POST}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n`, '0\r\n\r\n');
smuggling('Content-Length: 5 before Transfer-Encoding: chunked', `${POST}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n`, '0\r\n\r\n');
smuggling('two Transfer-Encoding: chunked fields', `${POST}Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n`, CHUNKED_BODY);
smuggling('chunked on HTTP/1.0 with keep-alive', 'POST /healthz HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n', CHUNKED_BODY);
smuggling('"Transfer-Encoding : chunked" (space before colon)', `${POST}Transfer-Encoding : chunked\r\n\r\n`, '0\r\n\r\n');
smuggling('obs-fold continuation line', `${POST}X-Folded: a\r\n b\r\nContent-Length: 5\r\n\r\n`, 'hello');
smuggling('obs-fold continuing Transfer-Encoding', `${POST}Transfer-Encoding: identity\r\n chunked\r\n\r\n`, CHUNKED_BODY);
smuggling('two different Content-Length values', `${POST}Content-Length: 5\r\nContent-Length: 6\r\n\r\n`, 'hello!');
smuggling('Content-Length: +5', `${POST}Content-Length: +5\r\n\r\n`, 'hello');
smuggling('Content-Length: 5a', `${POST}Content-Length: 5a\r\n\r\n`, 'hello');
smuggling('Content-Length: -1', `${POST}Content-Length: -1\r\n\r\n`, 'hello');
smuggling('Content-Length of 30 digits', `${POST}Content-Length: ${'123456789'.repeat(3)}123\r\n\r\n`, 'hello');
smuggling('bare CR inside a header value', `${POST}X-A: a\rb\r\nContent-Length: 5\r\n\r\n`, 'hello');
smuggling('NUL inside a header value', `${POST}X-A: a\x00b\r\nContent-Length: 5\r\n\r\n`, 'hello');
smuggling('chunk data longer than its size', `${POST}Transfer-Encoding: chunked\r\n\r\n`, '5\r\nhelloEXTRA\r\n0\r\n\r\n');
smuggling('chunk data not followed by CRLF', `${POST}Transfer-Encoding: chunked\r\n\r\n`, '5\r\nhelloXX0\r\n\r\n');

// Valid framing is honoured: the pipelined request after the body is answered.
async function expectPipeline(name, bytes, statuses, what) {
  const s = await up(name);
  const c = await exchange(s.port, [bytes], { waitMs: 2000, until: (x) => x.completeFinals() >= statuses.length });
  const got = c.finals().map((r) => r.status);
  assert.deepEqual(got, statuses, `${what}: statuses ${JSON.stringify(got)}, expected ${JSON.stringify(statuses)}; ${c.summary()}`);
  c.finals().forEach((r, i) => assertStatus(r, [statuses[i]], `${what}, answer ${i + 1}`));
  await assertAlive(s, what);
  return c;
}

test(`[${backend}] framing: chunked POST with extension and trailer, then a pipelined GET → 405, 200`, async () => {
  await expectPipeline('main', `${POST}Transfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n0\r\nX-Trailer: t\r\n\r\n${HEALTH_CLOSE}`,
    [405, 200], 'valid chunked + pipelined GET');
});

test(`[${backend}] framing: several chunks, upper-case hex, quoted and bare extensions → 405, 200`, async () => {
  await expectPipeline('main',
    `${POST}Transfer-Encoding: chunked\r\n\r\nA;a="q v"\r\n0123456789\r\n3;x;y=z\r\nabc\r\n0\r\n\r\n${HEALTH_CLOSE}`,
    [405, 200], 'chunks A and 3 with extensions');
});

test(`[${backend}] framing: GET with a chunked body, then a pipelined GET → 200, 200`, async () => {
  await expectPipeline('main', `GET /healthz HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n${CHUNKED_BODY}${HEALTH_CLOSE}`,
    [200, 200], 'GET with chunked body');
});

test(`[${backend}] framing: POST with Content-Length body, then a pipelined GET → 405, 200`, async () => {
  await expectPipeline('main', `${POST}Content-Length: 5\r\n\r\nhello${HEALTH_CLOSE}`, [405, 200], 'Content-Length body');
});

test(`[${backend}] framing: chunked body reaches the handler (import, right token, bad JSON) → 400, then 200`, async () => {
  const head = `POST /api/v1/procedures/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n` +
    'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
  await expectPipeline('main', `${head}4\r\n[{"c\r\n6\r\node": \r\n0\r\n\r\n${HEALTH_CLOSE}`, [400, 200], 'chunked import body');
});

// ---------------------------------------------------------------------------------------------
// 4. 100 Continue

test(`[${backend}] 1xx: HTTP/1.0 request with Expect: 100-continue gets no 100 Continue`, async () => {
  const what = 'HTTP/1.0 + Expect: 100-continue';
  const s = await up('main');
  const c = new Conn(s.port);
  await c.ready;
  await c.write('POST /healthz HTTP/1.0\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n');
  await c.waitFor((x) => x.data.length > 0, 500);
  await c.write('hello');
  await c.waitFor((x) => x.closed || x.completeFinals() >= 1, 1500);
  await c.waitFor((x) => x.closed, 300);
  c.destroy();
  assert.doesNotMatch(c.text, /HTTP\/\d\.\d 1\d\d[ \r]/, `${what}: a 1xx was sent to an HTTP/1.0 client; ${c.summary()}`);
  assert.equal(c.statusLineCount(), 1, `${what}: one answer expected; ${c.summary()}`);
  assertProblemAnswer(await answerOf(s, c, what), [405], what);
  await assertAlive(s, what);
});

test(`[${backend}] 1xx: HTTP/1.1 request with Expect: 100-continue gets 100 Continue before the answer`, async () => {
  const what = 'HTTP/1.1 + Expect: 100-continue';
  const s = await up('main');
  const body = '[{"code": ';
  const c = new Conn(s.port);
  await c.ready;
  await c.write(`POST /api/v1/procedures/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n` +
    `Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`);
  const gotContinue = await c.waitFor((x) => /^HTTP\/1\.1 100 /.test(x.text), 1000);
  await c.write(body);
  await c.waitFor((x) => x.completeFinals() >= 1, 1500);
  c.destroy();
  assert.ok(gotContinue, `${what}: no "HTTP/1.1 100 Continue" before the body was sent; ${c.summary()}`);
  const rs = c.responses();
  assert.equal(rs[0].status, 100, `${what}: first status line`);
  assertProblemAnswer(await answerOf(s, c, what), [400], `${what}, final answer`);
  await assertAlive(s, what);
});

test(`[${backend}] 1xx: Expect: 100-continue with a too-large Content-Length → 413 and no 100`, async () => {
  const what = 'Expect: 100-continue + 5 MB body';
  const s = await up('main');
  const c = await firstAnswer(s.port, [`POST /api/v1/procedures/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n` +
    'Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 5000000\r\n\r\n']);
  assert.doesNotMatch(c.text, /HTTP\/\d\.\d 100[ \r]/, `${what}: 100 Continue sent for a body that will be refused; ${c.summary()}`);
  assertProblemAnswer(await answerOf(s, c, what), [413], what);
  await assertAlive(s, what);
});

// ---------------------------------------------------------------------------------------------
// 5. Timeouts (server "slow": read_timeout 2 s, idle_timeout 10 s). Run side by side.

describe(`[${backend}] timeouts`, { concurrency: true }, () => {
  // A later response on a timed-out connection may only be a 408 problem.
  const only408 = (c, skip, what) => {
    for (const r of c.finals().slice(skip)) {
      if (r.body.length) assertProblemAnswer(r, [408], what);
      else assert.equal(r.status, 408, `${what}: unexpected ${r.status}`);
    }
  };

  test(`[${backend}] timeouts: next request trickled on a kept-alive connection is cut at the read timeout`, { timeout: 15_000 }, async () => {
    const what = 'trickled second request';
    const s = await up('slow');
    const c = new Conn(s.port);
    await c.ready;
    await c.write(HEALTH);
    assert.ok(await c.waitFor((x) => x.completeFinals() >= 1, 1000), `${what}: first request not answered; ${c.summary()}`);
    assert.equal(c.finals()[0].status, 200);
    const slow = 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(100);
    const t0 = Date.now();
    for (let i = 0; i < slow.length && !c.closed && Date.now() - t0 < 6000; i++) {
      await c.write(slow[i], 1000);
      await c.waitFor((x) => x.closed, 300);
    }
    const closedAfter = c.closed ? c.closedAt - t0 : null;
    c.destroy();
    assert.ok(closedAfter !== null, `${what}: connection still open 6 s after the first trickled byte (read timeout is 2 s); ${c.summary()}`);
    assert.ok(closedAfter <= 3300, `${what}: closed ${closedAfter} ms after the first trickled byte; read timeout 2 s (+1 s slack)`);
    only408(c, 1, what);
    await assertAlive(s, what);
  });

  test(`[${backend}] timeouts: a kept-alive connection that sends nothing outlives the read timeout`, { timeout: 15_000 }, async () => {
    const what = 'idle keep-alive connection';
    const s = await up('slow');
    const c = new Conn(s.port);
    await c.ready;
    await c.write(HEALTH);
    await c.waitFor((x) => x.completeFinals() >= 1, 1000);
    await c.waitFor((x) => x.closed, 3000);
    assert.ok(!c.closed, `${what}: closed ${c.closedAt - c.openedAt} ms after opening while idle (idle timeout is 10 s); ${c.summary()}`);
    await c.write(HEALTH_CLOSE);
    await c.waitFor((x) => x.completeFinals() >= 2, 1000);
    c.destroy();
    assert.deepEqual(c.finals().map((r) => r.status), [200, 200], `${what}: ${c.summary()}`);
    await assertAlive(s, what);
  });

  test(`[${backend}] timeouts: first request trickled on a new connection is cut at the read timeout`, { timeout: 15_000 }, async () => {
    const what = 'trickled first request';
    const s = await up('slow');
    const c = new Conn(s.port);
    await c.ready;
    const slow = 'GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'a'.repeat(100);
    const t0 = Date.now();
    for (let i = 0; i < slow.length && !c.closed && Date.now() - t0 < 6000; i++) {
      await c.write(slow[i], 1000);
      await c.waitFor((x) => x.closed, 300);
    }
    const closedAfter = c.closed ? c.closedAt - t0 : null;
    c.destroy();
    assert.ok(closedAfter !== null && closedAfter <= 3300,
      `${what}: closed after ${closedAfter ?? '> 6000'} ms; read timeout 2 s (+1 s slack)`);
    only408(c, 0, what);
    await assertAlive(s, what);
  });

  test(`[${backend}] timeouts: a body trickled after a complete head is cut at the read timeout`, { timeout: 15_000 }, async () => {
    const what = 'trickled body';
    const s = await up('slow');
    const c = new Conn(s.port);
    await c.ready;
    await c.write('POST /api/v1/procedures/import HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n');
    const t0 = Date.now();
    for (let i = 0; i < 100 && !c.closed && Date.now() - t0 < 6000; i++) {
      await c.write('[', 1000);
      await c.waitFor((x) => x.closed, 300);
    }
    const closedAfter = c.closed ? c.closedAt - t0 : null;
    c.destroy();
    assert.ok(closedAfter !== null && closedAfter <= 3300,
      `${what}: closed after ${closedAfter ?? '> 6000'} ms; read timeout 2 s (+1 s slack)`);
    // 408, or an early refusal of the request (the slow server has no admin token): a problem.
    for (const r of c.finals()) assertProblemAnswer(r, [408, 401, 403], what);
    await assertAlive(s, what);
  });
});

// ---------------------------------------------------------------------------------------------
// 6. Accept-Encoding (a JSON answer above 1 KiB)

const COMPRESS = [
  ['gzip;q=0', false], ['gzip; q=0', false], ['gzip ; q=0', false], ['gzip;q=0.000', false], ['gzip;Q=0', false],
  ['GZIP;q=0', false], ['*;q=0', false], ['identity', false], ['br', false], ['gzip;q=0, *', false],
  ['gzip', true], ['GZip', true], ['gzip;q=0.5', true], ['gzip;q=0.001', true], ['*', true],
  ['deflate, gzip;q=1.0', true], ['br;q=1, gzip;q=0.1', true], ['*;q=0, gzip', true],
];
for (const [value, gzip] of COMPRESS) {
  test(`[${backend}] accept-encoding: "${value}" → ${gzip ? 'gzip' : 'not compressed'}`, async () => {
    const what = `Accept-Encoding: ${value}`;
    const s = await up('main');
    const c = await firstAnswer(s.port, [`GET /api/v1/procedures?limit=50 HTTP/1.1\r\nHost: x\r\nAccept-Encoding: ${value}\r\nConnection: close\r\n\r\n`]);
    const r = await answerOf(s, c, what);
    assertStatus(r, [200], what);
    const enc = r.header('content-encoding') || '';
    if (gzip) {
      assert.match(enc, /^gzip$/i, `${what}: expected Content-Encoding: gzip, got "${enc}"`);
      const json = JSON.parse(zlib.gunzipSync(r.body).toString('utf8'));
      assert.ok(Array.isArray(json.items), `${what}: gunzipped body is the list`);
    } else {
      assert.doesNotMatch(enc, /gzip/i, `${what}: must not be gzip-encoded`);
      assert.ok(r.body.length > KiB, `${what}: the answer is above 1 KiB, so compression would apply`);
      assert.ok(Array.isArray(JSON.parse(r.body.toString('utf8')).items), `${what}: plain JSON body`);
    }
    await assertAlive(s, what);
  });
}

// ---------------------------------------------------------------------------------------------
// 7. Host (RFC 9112 §3.2)

const HOST_CASES = [
  ['HTTP/1.1 without Host', 'GET /healthz HTTP/1.1\r\nConnection: close\r\n\r\n', [400]],
  ['two Host fields', 'GET /healthz HTTP/1.1\r\nHost: x\r\nHost: y\r\nConnection: close\r\n\r\n', [400]],
  ['two identical Host fields', 'GET /healthz HTTP/1.1\r\nHost: x\r\nHost: x\r\nConnection: close\r\n\r\n', [400]],
  ['Host: a b', 'GET /healthz HTTP/1.1\r\nHost: a b\r\nConnection: close\r\n\r\n', [400]],
  ['Host: exa mple', 'GET /healthz HTTP/1.1\r\nHost: exa mple\r\nConnection: close\r\n\r\n', [400]],
  ['Host: x/y', 'GET /healthz HTTP/1.1\r\nHost: x/y\r\nConnection: close\r\n\r\n', [400]],
  ['Host: [::1', 'GET /healthz HTTP/1.1\r\nHost: [::1\r\nConnection: close\r\n\r\n', [400]],
  ['Host: localhost:8080', 'GET /healthz HTTP/1.1\r\nHost: localhost:8080\r\nConnection: close\r\n\r\n', [200]],
  ['Host: [::1]:80', 'GET /healthz HTTP/1.1\r\nHost: [::1]:80\r\nConnection: close\r\n\r\n', [200]],
  ['Host: 127.0.0.1', 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', [200]],
  ['HTTP/1.0 without Host', 'GET /healthz HTTP/1.0\r\n\r\n', [200]],
  ['absolute-form target with Host', 'GET http://localhost/healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n', [200]],
];
for (const [what, bytes, allowed] of HOST_CASES) {
  test(`[${backend}] host: ${what} → ${allowed.join('/')}`, async () => {
    await expectAnswer('main', [bytes], allowed, what);
  });
}

// ---------------------------------------------------------------------------------------------
// 8. The log stays valid UTF-8 JSON lines

async function expectLoggedSafely(bytes, what) {
  const s = await up('main');
  const mark = logMark(s);
  const c = await firstAnswer(s.port, [bytes]);
  const r = await answerOf(s, c, what);
  assertProblemAnswer(r, [400], `${what} (${c.summary()})`);
  const id = r.header('x-request-id');
  const entries = await logEntries(s, mark, [id], what);
  const line = entries.find((e) => e.request_id === id && e.msg === 'request');
  assert.ok(line, `${what}: no access-log line for request ${id}`);
  assert.equal(line.status, 400, `${what}: access-log status`);
  await assertAlive(s, what);
}

test(`[${backend}] log: overlong-UTF-8 escapes in the path (/%c0%ae%c0%ae/x) keep the log valid`, async () => {
  await expectLoggedSafely('GET /%c0%ae%c0%ae/x HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', 'path /%c0%ae%c0%ae/x');
});

test(`[${backend}] log: raw bytes 0xff 0xfe in the path keep the log valid`, async () => {
  await expectLoggedSafely(Buffer.concat([Buffer.from('GET /a'), Buffer.from([0xff, 0xfe]), Buffer.from('b HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')]),
    'raw 0xff 0xfe in the path');
});

test(`[${backend}] log: raw invalid UTF-8 in a header value and the request id header keep the log valid`, async () => {
  const what = 'raw 0xff in User-Agent and X-Request-Id';
  const s = await up('main');
  const mark = logMark(s);
  const c = await firstAnswer(s.port, [Buffer.concat([
    Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\nUser-Agent: a'), Buffer.from([0xff, 0xc0]),
    Buffer.from('\r\nX-Request-Id: r'), Buffer.from([0xfe]), Buffer.from('\r\nConnection: close\r\n\r\n')])]);
  const r = await answerOf(s, c, what);
  assertStatus(r, [200, 400], what);
  await logEntries(s, mark, [r.header('x-request-id')], what);
  await assertAlive(s, what);
});

// ---------------------------------------------------------------------------------------------
// 9. The problem body agrees with the status line

test(`[${backend}] status: header block over the limit → 431 whose body says 431, not invalid-argument`, async () => {
  const c = await expectAnswer('main', [`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`], [431], '40 KB header');
  const p = JSON.parse(c.finals()[0].body.toString('utf8'));
  assert.notEqual(p.type, '/problems/invalid-argument', '431 problem type must not be invalid-argument');
});

test(`[${backend}] status: declared body over the limit → 413 whose body says 413`, async () => {
  await expectAnswer('main', [`POST /api/v1/procedures/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${5 * MiB}\r\n\r\n`], [413], '5 MiB Content-Length');
});

test(`[${backend}] status: chunked body over the limit → 413`, async () => {
  const what = 'chunked body of 1.25 MiB';
  const s = await up('main');
  const c = new Conn(s.port);
  await c.ready;
  await c.write(`POST /api/v1/procedures/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n` +
    'Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
  const chunk = Buffer.concat([Buffer.from('10000\r\n'), Buffer.alloc(64 * KiB, ' '), Buffer.from('\r\n')]);
  for (let i = 0; i < 20 && c.writable && !c.data.length; i++) await c.write(chunk, 2000);
  if (!c.data.length) await c.write('0\r\n\r\n', 1000);
  await c.waitFor((x) => x.completeFinals() >= 1 || x.closed, 2000);
  c.destroy();
  assertProblemAnswer(await answerOf(s, c, what), [413], `${what} (${c.summary()})`);
  await assertAlive(s, what);
});

// ---------------------------------------------------------------------------------------------
// 10. A malformed request on a reused connection is logged as itself

test(`[${backend}] log: malformed request after a good one on the same connection does not inherit its path`, async () => {
  const what = 'GARBAGE after GET /api/v1/fields';
  const s = await up('main');
  const mark = logMark(s);
  const c = new Conn(s.port);
  await c.ready;
  await c.write('GET /api/v1/fields HTTP/1.1\r\nHost: x\r\n\r\n');
  await c.waitFor((x) => x.completeFinals() >= 1, 1000);
  await c.write('GARBAGE\r\n\r\n');
  await c.waitFor((x) => x.completeFinals() >= 2 || x.closed, 1500);
  c.destroy();
  const [good, bad] = c.finals();
  assertStatus(good, [200], `${what}: first request`);
  assertProblemAnswer(bad, [400], `${what}: second request (${c.summary()})`);
  const id = bad.header('x-request-id');
  const entries = await logEntries(s, mark, [id], what);
  const line = entries.find((e) => e.request_id === id && e.msg === 'request');
  assert.ok(line, `${what}: no access-log line for the malformed request ${id}`);
  assert.notEqual(line.path, '/api/v1/fields', `${what}: the malformed request is logged with the previous request's path`);
  assert.equal(line.status, 400, `${what}: logged status`);
  await assertAlive(s, what);
});

// ---------------------------------------------------------------------------------------------
// 11. The auth scheme is case-insensitive (RFC 9110 §11.1)

function importWith(auth) {
  const body = '[{"code": ';
  return `POST /api/v1/procedures/import HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth}\r\nContent-Type: application/json\r\n` +
    `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
}
test(`[${backend}] auth: "bearer <wrong token>" → 401`, async () => {
  const c = await expectAnswer('main', [importWith('bearer wrong-token')], [401], 'lower-case scheme, wrong token');
  assert.match(c.finals()[0].header('www-authenticate') || '', /^Bearer/i, 'WWW-Authenticate on 401');
});
test(`[${backend}] auth: "Bearer <token>" with a broken body → 400 (baseline)`, async () => {
  await expectAnswer('main', [importWith(`Bearer ${TOKEN}`)], [400, 415], 'Bearer, right token');
});
test(`[${backend}] auth: "bearer <token>" is accepted like Bearer → 400 for the broken body, not 401`, async () => {
  await expectAnswer('main', [importWith(`bearer ${TOKEN}`)], [400, 415], 'lower-case scheme, right token');
});
test(`[${backend}] auth: "BEARER <token>" is accepted like Bearer → 400 for the broken body, not 401`, async () => {
  await expectAnswer('main', [importWith(`BEARER ${TOKEN}`)], [400, 415], 'upper-case scheme, right token');
});

// ---------------------------------------------------------------------------------------------
// 12. 413 while the client keeps uploading: the answer must be readable, not lost to a reset

test(`[${backend}] 413: a client still uploading 5 MB receives the whole 413 answer`, { timeout: 15_000 }, async () => {
  const what = 'uploading past the body limit';
  const s = await up('main');
  const c = new Conn(s.port);
  await c.ready;
  await c.write(`POST /api/v1/procedures/import HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${TOKEN}\r\n` +
    'Content-Type: application/json\r\nContent-Length: 5000000\r\n\r\n');
  const piece = Buffer.alloc(64 * KiB, ' ');
  const t0 = Date.now();
  let sent = 0;
  while (Date.now() - t0 < 1000 && sent < 5_000_000 && c.writable) {
    if (!(await c.write(piece, 500))) break;
    sent += piece.length;
    await sleep(10);
  }
  await c.waitFor((x) => x.completeFinals() >= 1 || x.closed, 2000);
  c.destroy();
  assertProblemAnswer(await answerOf(s, c, what), [413], `${what} (sent ${sent} bytes; write errors: ${c.writeErrors.map((e) => e.code).join(',') || 'none'}; ${c.summary()})`);
  await assertAlive(s, what);
});

// ---------------------------------------------------------------------------------------------
// 13. Request line and header syntax, pipelining, odd clients

test(`[${backend}] HTTP/1.2 is answered as HTTP/1.1 (RFC 9110 §2.5), alive`, async () => {
  await expectAnswer('main', 'GET /healthz HTTP/1.2\r\nHost: x\r\nConnection: close\r\n\r\n', [200], 'HTTP/1.2 request line');
});

const LINE_CASES = [
  ['HTTP/2.0 request line', 'GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n', [505, 400]],
  ['HTTP/2 prior-knowledge preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', [505, 400]],
  ['version "HTTP/1.1x"', 'GET /healthz HTTP/1.1x\r\nHost: x\r\n\r\n', [400, 505]],
  ['lower-case method "get"', 'get /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', [400, 405, 501]],
  ['100-character method', `${'M'.repeat(100)} /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, [400, 405, 501]],
  ['method with a bad character "GE(T"', 'GE(T /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', [400]],
  ['target without leading slash', 'GET healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', [400]],
  ['asterisk-form target on GET', 'GET * HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', [400]],
  ['two spaces after the method', 'GET  /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', [400]],
  ['two spaces before the version', 'GET /healthz  HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', [400]],
  ['tabs as request-line separators', 'GET\t/healthz\tHTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', [400]],
  ['header name "X(bad)"', 'GET /healthz HTTP/1.1\r\nHost: x\r\nX(bad): 1\r\nConnection: close\r\n\r\n', [400]],
  ['empty header name', 'GET /healthz HTTP/1.1\r\nHost: x\r\n: x\r\nConnection: close\r\n\r\n', [400]],
  ['header line without a colon', 'GET /healthz HTTP/1.1\r\nHost: x\r\nNoColonHere\r\nConnection: close\r\n\r\n', [400]],
  ['chunk size of 20 hex digits', `${POST}Transfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\nhello\r\n0\r\n\r\n`, [400, 413]],
  ['chunk size that is not hex', `${POST}Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n`, [400]],
];
for (const [what, bytes, allowed] of LINE_CASES) {
  test(`[${backend}] syntax: ${what} → ${allowed.join('/')}`, async () => {
    await expectAnswer('main', [bytes], allowed, what);
  });
}

test(`[${backend}] syntax: UTF-8 (obs-text) in a header value is accepted → 200`, async () => {
  await expectAnswer('main', [Buffer.from('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Name: Nguyễn Văn A\r\nConnection: close\r\n\r\n', 'utf8')],
    [200], 'obs-text header value');
});

test(`[${backend}] syntax: HTTP/0.9-style "GET /" → 400`, async () => {
  const what = 'HTTP/0.9 request line';
  const s = await up('main');
  const c = new Conn(s.port);
  await c.ready;
  await c.write('GET /\r\n');
  // Answered as soon as the line is seen, or at the latest once the head is complete.
  if (!(await c.waitFor((x) => x.completeFinals() >= 1 || x.closed, 1000))) await c.write('\r\n');
  await c.waitFor((x) => x.completeFinals() >= 1 || x.closed, 1500);
  c.destroy();
  assertProblemAnswer(await answerOf(s, c, what), [400], `${what} (${c.summary()})`);
  await assertAlive(s, what);
});

test(`[${backend}] pipelining: 200 GET /healthz in one write are all answered, in order`, async () => {
  const what = '200 pipelined requests';
  const s = await up('main');
  const c = await exchange(s.port, [HEALTH.repeat(199) + HEALTH_CLOSE], { waitMs: 5000, until: (x) => x.completeFinals() >= 200 });
  const st = c.finals().map((r) => r.status);
  assert.equal(st.length, 200, `${what}: ${st.length} answers; ${c.summary().slice(0, 300)}`);
  assert.ok(st.every((x) => x === 200), `${what}: statuses ${[...new Set(st)]}`);
  assert.equal(c.statusLineCount(), 200, `${what}: status line count`);
  await assertAlive(s, what);
});

test(`[${backend}] pipelining: a request sent one byte per write is answered`, async () => {
  const bytes = [...HEALTH_CLOSE].map((ch) => ch);
  await expectAnswer('main', bytes, [200], '1-byte writes', { gapMs: 2, waitMs: 2000 });
});

test(`[${backend}] truncated: chunk size then the client closes → 400 or silence, connection closed`, async () => {
  const what = 'chunk size then EOF';
  const s = await up('main');
  const c = await exchange(s.port, [`${POST}Transfer-Encoding: chunked\r\n\r\n5\r\n`], { halfClose: true, waitMs: 1500 });
  assert.ok(c.closedByPeer, `${what}: server did not close after the client's EOF; ${c.summary()}`);
  assert.ok(c.statusLineCount() <= 1, `${what}: ${c.summary()}`);
  if (c.finals().length) assertProblemAnswer(c.finals()[0], [400], what);
  await assertAlive(s, what);
});

test(`[${backend}] truncated: shorter body than Content-Length then the client closes → 400 or silence, closed`, async () => {
  const what = 'Content-Length 5, 2 bytes, EOF';
  const s = await up('main');
  const c = await exchange(s.port, [`${POST}Content-Length: 5\r\n\r\nhe`], { halfClose: true, waitMs: 1500 });
  assert.ok(c.closedByPeer, `${what}: server did not close after the client's EOF; ${c.summary()}`);
  assert.ok(c.statusLineCount() <= 1, `${what}: ${c.summary()}`);
  if (c.finals().length) assertProblemAnswer(c.finals()[0], [400], what);
  await assertAlive(s, what);
});

test(`[${backend}] garbage: only "\\r\\n\\r\\n\\r\\n" → 400 or nothing, no crash`, async () => {
  const what = 'empty lines only';
  const s = await up('main');
  const c = await exchange(s.port, ['\r\n\r\n\r\n'], { waitMs: 1000, until: (x) => x.completeFinals() >= 1 });
  assert.ok(c.statusLineCount() <= 1, `${what}: ${c.summary()}`);
  if (c.finals().length) assertProblemAnswer(c.finals()[0], [400], what);
  await assertAlive(s, what);
});

test(`[${backend}] garbage: binary noise → 400`, async () => {
  const noise = Buffer.alloc(512);
  for (let i = 0; i < noise.length; i++) noise[i] = (i * 73 + 41) & 0xff;
  await expectAnswer('main', [Buffer.concat([noise, Buffer.from('\r\n\r\n')])], [400], 'binary noise');
});

test(`[${backend}] connections: 1,000 opened and closed without a byte → alive, no descriptors leaked`, { timeout: 30_000 }, async () => {
  const what = '1,000 empty connections';
  const s = await up('main');
  const fds = () => readdirSync(`/proc/${s.proc.pid}/fd`).length;
  const fdBefore = fds();
  const deadline = Date.now() + 15_000;
  let opened = 0;
  for (let batch = 0; batch < 20 && Date.now() < deadline; batch++) {
    await Promise.all(Array.from({ length: 50 }, (_, i) => new Promise((resolve) => {
      const sock = net.connect({ port: s.port, host: '127.0.0.1' });
      const t = setTimeout(() => {
        sock.destroy();
        resolve();
      }, 2000);
      sock.on('error', () => {});
      sock.once('connect', () => {
        opened++;
        // Half close politely (FIN), half abort (RST).
        if (i % 2 === 0) sock.end();
        else if (sock.resetAndDestroy) sock.resetAndDestroy();
        else sock.destroy();
      });
      sock.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    })));
  }
  assert.equal(opened, 1000, `${what}: only ${opened} connections were accepted`);
  await assertAlive(s, what);
  let fdAfter = fds();
  for (let i = 0; i < 40 && fdAfter > fdBefore + 10; i++) {
    await sleep(50);
    fdAfter = fds();
  }
  assert.ok(fdAfter <= fdBefore + 10, `${what}: server holds ${fdAfter} descriptors, ${fdBefore} before`);
});
