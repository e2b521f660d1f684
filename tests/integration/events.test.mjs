// Live events (GET /api/v1/events, Server-Sent Events) and the notices that feed them
// (POST/GET /api/v1/notices): stream format, topic filtering, resuming with Last-Event-ID, two
// instances on one database, a stream outliving the read timeout, a slow subscriber dropped
// while others keep everything, concurrent writes, and refused notices writing nothing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  start, getJson, assertProblem, backend, storageArgs, request, postNotice, listNotices, servicePointCodes,
  openEventStream, rssKiB,
} from './harness.mjs';

const TOKEN = 'mck_events_admin_token_xxxxxxxxxxxxxx';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let srv;
let A;
let B;
const streams = [];

// Streams opened by a test are closed after it even when it fails.
async function stream(base, opts) {
  const s = await openEventStream(base, opts);
  streams.push(s);
  return s;
}

before(async () => {
  srv = await start({
    adminKey: TOKEN,
    env: {
      MOTCUA_EVENT_POLL_MS: '100',
      MOTCUA_READ_TIMEOUT_SECONDS: '2',
      MOTCUA_SSE_HEARTBEAT_SECONDS: '1',
    },
  });
  [A, B] = await servicePointCodes(srv.url);
  assert.ok(A && B && A !== B, 'two service points');
});

after(async () => {
  for (const s of streams) s.close();
  assert.equal(await srv.stop(), 0);
});

let seq = 0;
function noticeText(tag) {
  seq += 1;
  return { text_vi: `Thông báo ${tag}#${seq}: tạm ngừng tiếp nhận hồ sơ đất đai`, text_en: `Notice ${tag}#${seq}: land files paused` };
}

async function publish(base, notice, what = 'notice') {
  const r = await postNotice(base, TOKEN, notice);
  assert.equal(r.status, 201, `${what}: POST /api/v1/notices answered ${r.status} ${r.error ?? JSON.stringify(r.body)}`);
  return r.body;
}

const noticeEvents = (s) => s.events.filter((e) => e.type === 'notice.published');
const noticeIds = (s) => noticeEvents(s).map((e) => e.data?.id);
const hasNotice = (id) => (s) => noticeIds(s).includes(id);

function assertIncreasingIds(events, what) {
  for (let i = 1; i < events.length; i++) {
    assert.ok(events[i].id > events[i - 1].id, `${what}: event ids increase (${events[i - 1].id} then ${events[i].id})`);
  }
}

async function importProcedure(base, code, name) {
  const record = { code, name_vi: name, name_en: 'Event test procedure', field: 'Cư trú', level: 'commune',
    processing_days: 1, fee_vnd: 0, online: 'full', documents: [], keywords: [], agency: 'UBND' };
  const r = await request(base, '/api/v1/procedures/import', {
    method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` }, body: JSON.stringify([record]),
  });
  assert.equal(r.status, 200, `import ${code}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

test(`[${backend}] events: text/event-stream, retry first, stored events from Last-Event-ID 0, live catalog.changed`, async (t) => {
  const s = await stream(srv.url, { lastEventId: 0 });
  assert.equal(s.status, 200);
  assert.match(s.headers.get('content-type') || '', /^text\/event-stream/);
  // The start-up catalogue load was recorded as an event.
  await s.waitFor((x) => x.events.some((e) => e.type === 'catalog.changed'), 3000, 'the stored catalog.changed');
  assert.ok(s.raw.startsWith('retry: 3000\n\n'), `stream starts with retry: ${JSON.stringify(s.raw.slice(0, 40))}`);
  assert.equal(s.order[0], 'retry');
  assert.equal(s.retry, 3000);
  const first = s.events[0];
  assert.ok(Number.isInteger(first.id) && first.id > 0, `event id ${first.id}`);
  assert.equal(typeof first.data, 'object', 'event data is JSON');
  assert.match(s.raw, /\nid: \d+\nevent: catalog\.changed\ndata: \{[^\n]*\}\n\n/, 'id, event and one data line');

  // Without Last-Event-ID a stream only gets what happens from now on.
  const live = await stream(srv.url, { topics: 'catalog' });
  assert.equal(live.status, 200);
  await live.waitFor((x) => x.order.includes('retry'), 2000, 'retry line');
  const t0 = performance.now();
  const summary = await importProcedure(srv.url, '9.700001', 'Thủ tục phát sự kiện');
  await live.waitFor((x) => x.events.length >= 1, 3000, 'live catalog.changed');
  await s.waitFor((x) => x.events.filter((e) => e.type === 'catalog.changed').length >= 2, 3000, 'catalog.changed on the replaying stream');
  t.diagnostic(`catalog.changed reached the stream ${(live.events[0].at - t0).toFixed(0)} ms after the import started`);
  assert.equal(live.events.length, 1, 'no replay without Last-Event-ID');
  const ev = live.events[0];
  assert.equal(ev.type, 'catalog.changed');
  assert.equal(ev.data.added, 1);
  assert.equal(ev.data.added, summary.added);
  assert.ok(ev.id > first.id);
  assertIncreasingIds(s.events, 'replay then live');
  assert.deepEqual(s.events.at(-1), { ...ev, at: s.events.at(-1).at });
});

test(`[${backend}] events: HEAD gives the head of a stream and no stream`, async () => {
  const started = Date.now();
  const r = await fetch(srv.url + '/api/v1/events?topics=catalog', { method: 'HEAD', signal: AbortSignal.timeout(3000) });
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type') || '', /text\/event-stream/);
  assert.equal(r.headers.get('content-length'), '0');
  assert.ok(Date.now() - started < 2000, 'answered at once, not held open');
});

test(`[${backend}] events: invalid topics and Last-Event-ID are 400 problems`, async () => {
  const opts = () => ({ signal: AbortSignal.timeout(5000), headers: { Accept: 'text/event-stream' } });
  for (const topics of ['a%20b', '%C3%A9', 'notices.%C3%A9', 'ok,a%20b']) {
    assertProblem(assert, await getJson(srv.url, `/api/v1/events?topics=${topics}`, opts()), 400, 'topics');
  }
  for (const id of ['abc', '-1', '1.5', '12abc', '0x10']) {
    const r = await getJson(srv.url, '/api/v1/events', { ...opts(), headers: { Accept: 'text/event-stream', 'Last-Event-ID': id } });
    assertProblem(assert, r, 400);
  }
  assertProblem(assert, await getJson(srv.url, '/api/v1/events?last_event_id=abc', opts()), 400);
});

test(`[${backend}] events: a keep-alive comment every MOTCUA_SSE_HEARTBEAT_SECONDS`, async (t) => {
  const s = await stream(srv.url, { topics: 'nothing.here' });
  const t0 = performance.now();
  await s.waitFor((x) => x.comments.filter((c) => c.text === 'keep-alive').length >= 2, 4000,
    'two ": keep-alive" comments with MOTCUA_SSE_HEARTBEAT_SECONDS=1');
  const [c1, c2] = s.comments;
  t.diagnostic(`keep-alive comments at ${(c1.at - t0).toFixed(0)} and ${(c2.at - t0).toFixed(0)} ms`);
  assert.ok(c2.at - c1.at > 500 && c2.at - c1.at < 2500, `interval ${(c2.at - c1.at).toFixed(0)} ms`);
  assert.match(s.raw, /\n: keep-alive\n\n/);
});

test(`[${backend}] events: a stream outlives the read timeout (2 s) and still receives after 5 s`, async (t) => {
  const s = await stream(srv.url, { topics: 'catalog' });
  assert.equal(s.status, 200);
  await sleep(5500);
  assert.equal(s.ended, false, `the server closed the stream before 5.5 s (error ${s.error})`);
  await importProcedure(srv.url, '9.700002', 'Thủ tục sau thời hạn đọc');
  await s.waitFor((x) => x.events.some((e) => e.type === 'catalog.changed'), 3000, 'an event 5.5 s after connecting');
  t.diagnostic(`open 5.5 s with read_timeout_seconds=2; ${s.comments.length} keep-alive comments, ${s.events.length} event(s)`);
  assert.equal(s.ended, false);
});

test(`[${backend}] notices: 201 with the notice; listed newest first per point, city-wide for every point`, async () => {
  const onA = { service_point: A, ...noticeText('list') };
  const r1 = await postNotice(srv.url, TOKEN, onA);
  assert.equal(r1.status, 201, JSON.stringify(r1.body));
  assert.match(r1.headers.get('content-type') || '', /application\/json/);
  const n1 = r1.body;
  assert.ok(n1.id !== undefined && n1.id !== null, 'has an id');
  assert.equal(n1.service_point, A);
  assert.equal(n1.text_vi, onA.text_vi);
  assert.equal(n1.text_en, onA.text_en);
  assert.equal(typeof n1.published_at, 'string');
  assert.ok(!Number.isNaN(Date.parse(n1.published_at)), `published_at ${n1.published_at}`);
  const cityText = { text_vi: `Thông báo toàn thành phố #${++seq}: nghỉ lễ Quốc khánh` };
  const n2 = await publish(srv.url, cityText, 'city-wide');
  assert.equal(n2.service_point, null, 'city-wide notice has service_point null');
  assert.equal(n2.text_vi, cityText.text_vi);
  assert.ok('text_en' in n2, 'text_en is present');
  assert.ok(n2.text_en === null || n2.text_en === '', `text_en of a notice without one: ${JSON.stringify(n2.text_en)}`);
  const n3 = await publish(srv.url, { service_point: B, ...noticeText('list') }, 'on B');
  assert.ok(new Set([n1.id, n2.id, n3.id]).size === 3, 'distinct ids');

  const la = await listNotices(srv.url, A);
  assert.equal(la.status, 200, JSON.stringify(la.body));
  const ids = (l) => l.items.map((n) => n.id);
  assert.ok(ids(la).includes(n1.id) && ids(la).includes(n2.id), 'point A lists its notice and the city-wide one');
  assert.ok(!ids(la).includes(n3.id), 'not the notice of point B');
  assert.ok(ids(la).indexOf(n2.id) < ids(la).indexOf(n1.id), 'newest first');
  assert.deepEqual(la.items.find((n) => n.id === n1.id), n1, 'the listed notice is the one acknowledged');
  for (let i = 1; i < la.items.length; i++) {
    assert.ok(la.items[i - 1].published_at >= la.items[i].published_at, 'published_at does not increase down the list');
  }
  const lb = await listNotices(srv.url, B);
  assert.ok(ids(lb).includes(n3.id) && ids(lb).includes(n2.id) && !ids(lb).includes(n1.id), 'point B');
  const all = await listNotices(srv.url);
  assert.equal(all.status, 200);
  for (const n of [n1, n2, n3]) assert.ok(ids(all).includes(n.id), `all notices include ${n.id}`);
  assert.ok(ids(all).indexOf(n3.id) < ids(all).indexOf(n2.id) && ids(all).indexOf(n2.id) < ids(all).indexOf(n1.id), 'newest first');
});

test(`[${backend}] events: topics filter notices (exact point, notices.*, no topics)`, async () => {
  const sA = await stream(srv.url, { topics: `notices.${A}` });
  const sB = await stream(srv.url, { topics: `notices.${B}` });
  const sStar = await stream(srv.url, { topics: 'notices.*' });
  const sAll = await stream(srv.url, {});
  const sTwo = await stream(srv.url, { topics: `catalog,notices.${B}` });
  for (const s of [sA, sB, sStar, sAll, sTwo]) await s.waitFor((x) => x.order.includes('retry'), 2000, 'stream open');
  const nA = await publish(srv.url, { service_point: A, ...noticeText('topic') });
  const nB = await publish(srv.url, { service_point: B, ...noticeText('topic') });
  const nCity = await publish(srv.url, noticeText('topic'));
  const nA2 = await publish(srv.url, { service_point: A, ...noticeText('topic') });
  const nB2 = await publish(srv.url, { service_point: B, ...noticeText('topic') });
  const every = [nA, nB, nCity, nA2, nB2];
  await sA.waitFor(hasNotice(nA2.id), 3000, 'notices.A gets the second notice of A');
  await sB.waitFor(hasNotice(nB2.id), 3000, 'notices.B gets the second notice of B');
  await sTwo.waitFor(hasNotice(nB2.id), 3000, 'catalog,notices.B gets the second notice of B');
  await sStar.waitFor(hasNotice(nB2.id), 3000, 'notices.* gets the last notice');
  await sAll.waitFor(hasNotice(nB2.id), 3000, 'no topics gets the last notice');
  assert.deepEqual(noticeIds(sA), [nA.id, nA2.id], 'notices.A: only the notices of A');
  assert.deepEqual(noticeIds(sB), [nB.id, nB2.id], 'notices.B: only the notices of B');
  assert.deepEqual(noticeIds(sTwo), [nB.id, nB2.id], 'a list of topics');
  assert.deepEqual(noticeIds(sStar), every.map((n) => n.id), 'notices.*: every notice, in order');
  assert.deepEqual(noticeIds(sAll), every.map((n) => n.id), 'no topics: every notice, in order');
  for (const s of [sA, sB, sStar, sAll]) assertIncreasingIds(s.events, 'stream');
  // The data is the notice as acknowledged.
  for (const [i, n] of every.entries()) assert.deepEqual(noticeEvents(sStar)[i].data, n);
  assert.equal(sA.events.length, 2, 'notices.A got nothing else');
});

test(`[${backend}] events: Last-Event-ID after a reconnect replays exactly the missed events, in order`, async (t) => {
  // 1. Disconnected while notices (and a catalogue import, another topic) are published.
  const s1 = await stream(srv.url, { topics: 'notices.*' });
  const before1 = await publish(srv.url, { service_point: A, ...noticeText('replay') });
  await s1.waitFor(hasNotice(before1.id), 3000, 'first notice live');
  const lastId = s1.events.at(-1).id;
  s1.close();
  const missed = [];
  missed.push(await publish(srv.url, { service_point: A, ...noticeText('replay') }));
  missed.push(await publish(srv.url, { service_point: B, ...noticeText('replay') }));
  await importProcedure(srv.url, '9.700003', 'Thủ tục giữa hai lần kết nối');
  missed.push(await publish(srv.url, noticeText('replay')));
  const s2 = await stream(srv.url, { topics: 'notices.*', lastEventId: lastId });
  await s2.waitFor((x) => noticeEvents(x).length >= 3, 3000, 'the three missed notices');
  const live = await publish(srv.url, { service_point: A, ...noticeText('replay') });
  await s2.waitFor(hasNotice(live.id), 3000, 'the live notice after the replay');
  assert.deepEqual(noticeIds(s2), [...missed, live].map((n) => n.id), 'missed ones in order, then the live one, once each');
  assert.ok(s2.events.every((e) => e.type === 'notice.published'), 'the catalogue event is not replayed to notices.*');
  assert.ok(s2.events[0].id > lastId);
  assertIncreasingIds(s2.events, 'replay');
  assert.deepEqual(noticeEvents(s2)[0].data, missed[0]);

  // 2. The query parameter does the same, with the topic filter applied to the replay.
  const s3 = await stream(srv.url, { topics: `notices.${A}`, query: `last_event_id=${lastId}` });
  await s3.waitFor((x) => noticeEvents(x).length >= 2, 3000, 'replay of the notices of A');
  const sentinel = await publish(srv.url, { service_point: A, ...noticeText('replay') });
  await s3.waitFor(hasNotice(sentinel.id), 3000, 'live after replay');
  assert.deepEqual(noticeIds(s3), [missed[0].id, live.id, sentinel.id]);

  // 3. Reconnecting while notices keep arriving: no gap and no duplicate at the seam.
  const r1 = await stream(srv.url, { topics: 'notices.*' });
  const posted = [];
  let stop = false;
  const poster = (async () => {
    for (let i = 0; i < 40 && !stop; i++) posted.push((await publish(srv.url, { service_point: B, ...noticeText('seam') })).id);
  })();
  try {
    await r1.waitFor((x) => noticeEvents(x).length >= 10, 10_000, '10 notices on the first connection');
    r1.close();
    const got1 = noticeEvents(r1);
    const r2 = await stream(srv.url, { topics: 'notices.*', lastEventId: r1.events.at(-1).id });
    await poster;
    const lastPosted = posted.at(-1);
    await r2.waitFor(hasNotice(lastPosted), 5000, 'every notice after the reconnect');
    const seen = [...got1.map((e) => e.data.id), ...noticeIds(r2)];
    t.diagnostic(`seam: ${got1.length} notices before the reconnect, ${noticeIds(r2).length} after, ${posted.length} posted`);
    assert.deepEqual(seen, posted, 'every notice exactly once, in order, across the reconnect');
  } finally {
    stop = true;
    await poster.catch(() => {});
  }
});

test(`[${backend}] notices: refused requests are 4xx problems and write nothing`, async (t) => {
  const watch = await stream(srv.url, { topics: 'notices.*' });
  await watch.waitFor((x) => x.order.includes('retry'), 2000, 'stream open');
  const snapshot = async () => JSON.stringify([(await listNotices(srv.url)).items, (await listNotices(srv.url, A)).items]);
  const before0 = await snapshot();
  const ok = { service_point: A, text_vi: 'Thông báo hợp lệ', text_en: 'A valid notice' };
  const cases = [
    ['no token', () => postNotice(srv.url, null, ok), 401],
    ['wrong token', () => postNotice(srv.url, 'wrong-token', ok), 401],
    ['wrong scheme', () => postNotice(srv.url, null, ok, { headers: { Authorization: `Basic ${TOKEN}` } }), 401],
    ['text/plain', () => postNotice(srv.url, TOKEN, ok, { headers: { 'Content-Type': 'text/plain' } }), 415],
    ['broken JSON', () => postNotice(srv.url, TOKEN, null, { rawBody: '{"text_vi": ' }), 400],
    ['a JSON array', () => postNotice(srv.url, TOKEN, null, { rawBody: JSON.stringify([ok]) }), 400],
    ['invalid UTF-8', () => postNotice(srv.url, TOKEN, null, { rawBody: Buffer.from([0x7b, 0x22, 0x74, 0x65, 0x78, 0x74, 0x5f, 0x76, 0x69, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) }), 400],
    ['text_vi missing', () => postNotice(srv.url, TOKEN, { service_point: A, text_en: 'x' }), 400, 'text_vi'],
    ['text_vi empty', () => postNotice(srv.url, TOKEN, { ...ok, text_vi: '' }), 400, 'text_vi'],
    ['text_vi not a string', () => postNotice(srv.url, TOKEN, { ...ok, text_vi: 42 }), 400, 'text_vi'],
    ['text_vi 501 characters', () => postNotice(srv.url, TOKEN, { ...ok, text_vi: 'ệ'.repeat(501) }), 400, 'text_vi'],
    ['unknown service_point', () => postNotice(srv.url, TOKEN, { ...ok, service_point: 'KHONG-CO-9999' }), 400, 'service_point'],
    ['unknown field', () => postNotice(srv.url, TOKEN, { ...ok, colour: 'blue' }), 400, 'colour'],
  ];
  for (const [what, send, status, field] of cases) {
    const r = await send();
    assert.notEqual(r.status, 0, `${what}: ${r.error}`);
    assert.ok(r.status !== 201, `${what}: refused`);
    assertProblem(assert, r, status, field);
  }
  assert.equal(await snapshot(), before0, 'GET /api/v1/notices unchanged');

  // The longest allowed text (500 characters, 1500 bytes) is accepted and is the first event seen.
  const longest = await publish(srv.url, { service_point: A, text_vi: 'ệ'.repeat(500) }, '500 characters');
  assert.equal(longest.text_vi, 'ệ'.repeat(500));
  await watch.waitFor(hasNotice(longest.id), 3000, 'the accepted notice');
  assert.deepEqual(noticeIds(watch), [longest.id], 'no event for any refused request');
  t.diagnostic(`${cases.length} refused requests, nothing written`);
});

test(`[${backend}] notices: 50 concurrent POSTs all 201, each in GET and in the stream exactly once`, async (t) => {
  const watch = await stream(srv.url, { topics: 'notices.*' });
  await watch.waitFor((x) => x.order.includes('retry'), 2000, 'stream open');
  const run = `c${Date.now()}`;
  const bodies = Array.from({ length: 50 }, (_, i) => ({
    ...(i % 3 === 0 ? {} : { service_point: i % 3 === 1 ? A : B }),
    text_vi: `Thông báo đồng thời ${run} số ${i}`,
  }));
  const t0 = performance.now();
  const results = await Promise.all(bodies.map((b) => postNotice(srv.url, TOKEN, b, { timeoutMs: 15_000 })));
  const elapsed = performance.now() - t0;
  const statuses = results.map((r) => r.status || r.error);
  t.diagnostic(`50 concurrent POSTs in ${elapsed.toFixed(0)} ms; slowest ${Math.max(...results.map((r) => r.ms)).toFixed(0)} ms`);
  assert.deepEqual(statuses, Array(50).fill(201), 'all 201');
  const ids = results.map((r) => r.body.id);
  assert.equal(new Set(ids).size, 50, 'distinct ids');
  results.forEach((r, i) => assert.equal(r.body.text_vi, bodies[i].text_vi));

  const listed = await listNotices(srv.url);
  assert.equal(listed.status, 200);
  assert.ok(!listed.truncated, 'GET /api/v1/notices returned every notice');
  const mine = listed.items.filter((n) => n.text_vi.includes(run));
  assert.equal(mine.length, 50, `GET lists ${mine.length} of the 50`);
  assert.deepEqual(new Set(mine.map((n) => n.id)), new Set(ids));

  await watch.waitFor((x) => ids.every((id) => noticeIds(x).includes(id)), 5000, 'all 50 in the stream');
  const sentinel = await publish(srv.url, noticeText('after-50'));
  await watch.waitFor(hasNotice(sentinel.id), 3000, 'sentinel');
  const seen = noticeIds(watch);
  assert.equal(seen.length, 51, `stream carried ${seen.length} notices, 50 + the sentinel`);
  assert.equal(new Set(seen).size, 51, 'no duplicates');
  assertIncreasingIds(watch.events, 'concurrent');
});

test(`[${backend}] two instances on one database: a notice posted on A reaches a stream on B within 1 s`, async (t) => {
  const storage = storageArgs();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'motcua-events-two-'));
  const env = { MOTCUA_EVENT_POLL_MS: '100' };
  let a;
  let b;
  try {
    a = await start({ storage, dataDir, env, adminKey: TOKEN });
    b = await start({ storage, dataDir, env });
    const onB = await openEventStream(b.url, { topics: 'notices.*' });
    const onA = await openEventStream(a.url, { topics: 'notices.*' });
    streams.push(onA, onB);
    await onB.waitFor((x) => x.order.includes('retry'), 2000, 'stream on B open');
    const delays = [];
    for (let i = 0; i < 3; i++) {
      const n = await publish(a.url, { service_point: A, ...noticeText('two') }, 'POST on A');
      const acked = performance.now();
      await onB.waitFor(hasNotice(n.id), 3000, `notice ${i + 1} on instance B`);
      delays.push(noticeEvents(onB).find((e) => e.data.id === n.id).at - acked);
      await sleep(150);
    }
    t.diagnostic(`A -> B delays: ${delays.map((d) => d.toFixed(0)).join(', ')} ms (event_poll_ms=100)`);
    for (const d of delays) assert.ok(d < 1000, `reached B ${d.toFixed(0)} ms after the 201`);
    await onA.waitFor((x) => noticeEvents(x).length >= 3, 3000, 'the notices on A too');
    assert.deepEqual(noticeEvents(onB).map((e) => [e.id, e.data]), noticeEvents(onA).map((e) => [e.id, e.data]),
      'the same ids and data on both instances');
    const listedOnB = await listNotices(b.url, A);
    for (const e of noticeEvents(onA)) assert.ok(listedOnB.items.some((n) => n.id === e.data.id), 'B lists the notice');
    onA.close();
    onB.close();
  } finally {
    if (a) assert.equal(await a.stop(), 0);
    if (b) assert.equal(await b.stop(), 0);
    rmSync(dataDir, { recursive: true, force: true });
  }
});

// A client that sends the request and then never reads. With python3 its receive buffer is made
// small (SO_RCVBUF 4 KiB) so the server's writes block early; without it a paused node socket is
// used (kernel buffers are bigger, so more bytes are needed). `drain()` then reads what is left
// and tells how the connection ended: 'eof' or 'reset' (the server closed it) or 'open'.
async function nonReadingClient(port, pathAndQuery, drainMs) {
  const hasPython = spawnSync('python3', ['-c', 'pass']).status === 0;
  const head = `GET ${pathAndQuery} HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n`;
  if (hasPython) {
    const script = `
import json, socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
s.connect(("127.0.0.1", int(sys.argv[1])))
s.sendall(sys.argv[2].encode())
print("connected", flush=True)
sys.stdin.readline()
deadline = time.monotonic() + float(sys.argv[3]) / 1000
data = bytearray()
end = "open"
s.settimeout(0.2)
while time.monotonic() < deadline:
    try:
        d = s.recv(65536)
    except socket.timeout:
        continue
    except ConnectionResetError:
        end = "reset"
        break
    if not d:
        end = "eof"
        break
    data += d
print(json.dumps({"bytes": len(data), "end": end, "events": data.count(b"\\nevent: ")}), flush=True)
`;
    const child = spawn('python3', ['-c', script, String(port), head, String(drainMs)], { stdio: ['pipe', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c) => (out += c));
    const waitLine = (n, ms) => new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`python client: no answer within ${ms} ms (${out})`)), ms);
      const check = () => {
        const lines = out.split('\n').filter(Boolean);
        if (lines.length >= n) {
          clearTimeout(t);
          child.stdout.off('data', check);
          resolve(lines[n - 1]);
        }
      };
      child.stdout.on('data', check);
      check();
    });
    await waitLine(1, 5000);
    return {
      kind: 'python3 (SO_RCVBUF 4 KiB)',
      async drain() {
        child.stdin.write('drain\n');
        return JSON.parse(await waitLine(2, drainMs + 5000));
      },
      kill: () => child.kill('SIGKILL'),
    };
  }
  const socket = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  socket.pause();
  socket.write(head);
  return {
    kind: 'paused node socket',
    drain() {
      return new Promise((resolve) => {
        let bytes = 0;
        let text = '';
        let endKind = 'open';
        const done = () => {
          clearTimeout(t);
          socket.destroy();
          resolve({ bytes, end: endKind, events: (text.match(/\nevent: /g) || []).length });
        };
        const t = setTimeout(done, drainMs);
        socket.on('data', (d) => {
          bytes += d.length;
          text += d.toString('latin1');
        });
        socket.on('end', () => {
          endKind = 'eof';
          done();
        });
        socket.on('error', () => {
          endKind = 'reset';
          done();
        });
        socket.resume();
      });
    },
    kill: () => socket.destroy(),
  };
}

test(`[${backend}] events: a subscriber that does not read is dropped; another one receives every event`, async (t) => {
  // Under AddressSanitizer, freed memory waits in a quarantine (256 MB by default) and would
  // read as growth: keep it small for this server so the bound still means something.
  const asan = process.env.ASAN_OPTIONS
    ? { ASAN_OPTIONS: `${process.env.ASAN_OPTIONS}:quarantine_size_mb=8:thread_local_quarantine_size_kb=64` }
    : {};
  const own = await start({ adminKey: TOKEN, env: { ...asan } });
  let slow;
  try {
    const good = await openEventStream(own.url, { topics: 'notices.*' });
    streams.push(good);
    slow = await nonReadingClient(own.port, '/api/v1/events?topics=notices.*', 8000);
    await good.waitFor((x) => x.order.includes('retry'), 2000, 'good stream open');
    await sleep(300);
    const rss0 = rssKiB(own.proc.pid);
    // ~2.2 KB per event, 3,000 events: more than the kernel buffers of a connection hold.
    const N = 3000;
    const filler = 'ệ'.repeat(490);
    const ids = new Array(N);
    let next = 0;
    let failures = 0;
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (next < N && performance.now() - t0 < 40_000) {
        const i = next++;
        const r = await postNotice(own.url, TOKEN, {
          service_point: i % 2 ? A : B, text_vi: `${i} ${filler}`, text_en: `Notice ${i} ${'x'.repeat(480)}`,
        });
        if (r.status === 201) ids[i] = r.body.id;
        else failures++;
      }
    }));
    const produced = performance.now() - t0;
    t.diagnostic(`${N} notices (~2.2 KB events) posted by 16 clients in ${produced.toFixed(0)} ms, ${failures} failed`);
    assert.equal(failures, 0, 'every notice was accepted');
    assert.ok(ids.every((id) => id !== undefined), `all ${N} notices posted within 40 s`);
    await good.waitFor((x) => noticeEvents(x).length >= N, 20_000, `all ${N} events on the reading subscriber`);
    const rss1 = rssKiB(own.proc.pid);
    const result = await slow.drain();
    t.diagnostic(`non-reading client (${slow.kind}): ${result.events} events / ${result.bytes} bytes before it was cut, end: ${result.end}`);
    t.diagnostic(`server RSS ${rss0} KiB before, ${rss1} KiB after the burst (+${rss1 - rss0} KiB)`);
    assert.notEqual(result.end, 'open', 'the server closed the connection of the subscriber that did not read');
    assert.ok(result.events < N, `the dropped subscriber did not get everything (${result.events})`);
    const seen = noticeIds(good);
    assert.equal(seen.length, N, 'reading subscriber: every event');
    assert.equal(new Set(seen).size, N, 'reading subscriber: no duplicates');
    assert.deepEqual(new Set(seen), new Set(ids));
    assertIncreasingIds(good.events, 'reading subscriber');
    assert.equal(good.ended, false, 'the reading subscriber is still connected');
    if (rss0 !== null && rss1 !== null) assert.ok(rss1 - rss0 < 100 * 1024, `server memory grew by ${rss1 - rss0} KiB`);
    assert.equal((await request(own.url, '/healthz')).status, 200);
    good.close();
  } finally {
    slow?.kill();
    assert.equal(await own.stop(), 0);
  }
});
