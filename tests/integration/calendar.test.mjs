// The working-day calendar over HTTP: days around Tết 2026 as announced, and a due date that
// names the days it skipped.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, getJson, assertProblem, backend } from './harness.mjs';

let srv;
before(async () => {
  srv = await start();
});
after(async () => {
  assert.equal(await srv.stop(), 0);
});

test(`[${backend}] calendar: Tết 2026 as announced, with reasons`, async () => {
  const r = await getJson(srv.url, '/api/v1/calendar/days?from=2026-02-13&to=2026-02-24');
  assert.equal(r.status, 200);
  const off = r.body.items.filter((d) => !d.working).map((d) => d.date);
  assert.deepEqual(off, ['2026-02-14', '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22']);
  assert.equal(r.body.working_days, 3);
  const mung1 = r.body.items.find((d) => d.date === '2026-02-17');
  assert.deepEqual(mung1.reason, { kind: 'holiday', name: 'Tết Nguyên đán (mùng 1)' });
  // A make-up Saturday is a working day.
  const makeUp = await getJson(srv.url, '/api/v1/calendar/days?from=2026-01-10&to=2026-01-10');
  assert.equal(makeUp.body.items[0].working, true);
});

test(`[${backend}] calendar: a due date across Tết explains itself`, async () => {
  const r = await getJson(srv.url, '/api/v1/calendar/due-date?received_at=' + encodeURIComponent('2026-02-12T16:30:00+07:00') + '&days=3');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.equal(r.body.due_at, '2026-02-24T16:30:00+07:00');
  assert.equal(r.body.working_hours, 24);
  assert.equal(r.body.skipped_days.length, 9);
  assert.equal(r.body.skipped_days[2].reason.name, 'Tết Nguyên đán');
  // Received after a 15:00 cut-off: counting starts the next working day.
  const late = await getJson(srv.url, '/api/v1/calendar/due-date?received_at=2026-03-02T09:00:00Z&days=1&cut_off=15:00');
  assert.equal(late.body.counting_rule, 'after_cut_off');
  assert.equal(late.body.counting_from, '2026-03-03T08:00:00+07:00');
  assert.equal(late.body.due_at, '2026-03-03T17:00:00+07:00');
});

test(`[${backend}] calendar: bad input gets clear errors`, async () => {
  const cases = [
    ['/api/v1/calendar/days?from=2026-01-01', 'to'],
    ['/api/v1/calendar/days?from=2026-01-01&to=2027-06-01', 'to'],
    ['/api/v1/calendar/days?from=2026-02-30&to=2026-03-01', 'from'],
    ['/api/v1/calendar/due-date?received_at=yesterday&days=1', 'received_at'],
    ['/api/v1/calendar/due-date?received_at=2026-03-02T09:00:00Z', 'days'],
    ['/api/v1/calendar/due-date?received_at=2026-03-02T09:00:00Z&days=1&hours=2', 'days'],
    ['/api/v1/calendar/due-date?received_at=2026-03-02T09:00:00Z&days=-1', 'days'],
    ['/api/v1/calendar/due-date?received_at=2026-03-02T09:00:00Z&days=1&cut_off=25:00', 'cut_off'],
  ];
  for (const [path, field] of cases) assertProblem(assert, await getJson(srv.url, path), 400, field);
});
