// Control of the throw-away PostgreSQL server that scripts/with-postgres started, for fault tests:
// pause (SIGSTOP to the postmaster and all its children), resume, kill (pg_ctl stop -m immediate)
// and start it again with the options with-postgres uses. Whatever happens to a test, the server is
// resumed when this process exits (a stopped server would hang with-postgres' own clean-up).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const env = process.env;
export const pgUrl = env.MOTCUA_TEST_POSTGRES_URL;
const dataDir = env.MOTCUA_TEST_POSTGRES_DATA;
const pgCtl = env.MOTCUA_TEST_POSTGRES_CTL;
const pgUser = env.MOTCUA_TEST_POSTGRES_USER;
const pgLog = env.MOTCUA_TEST_POSTGRES_LOG;

export function requirePostgres() {
  const missing = ['MOTCUA_TEST_POSTGRES_URL', 'MOTCUA_TEST_POSTGRES_DATA', 'MOTCUA_TEST_POSTGRES_CTL']
    .filter((k) => !env[k]);
  if (missing.length) {
    throw new Error(`fault tests need ${missing.join(', ')}: run them as scripts/with-postgres node --test tests/faults/`);
  }
}

// The postmaster's pid (first line of postmaster.pid), or null when the server is not running.
export function postmasterPid() {
  const file = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

function children(pid) {
  const r = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });
  return r.stdout.split('\n').filter(Boolean).map(Number);
}

const paused = new Set();

function signal(pid, sig) {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    return false;
  }
}

// SIGSTOP the postmaster first (it can fork no new backend after that), then its children; a
// second look catches a child forked just before the postmaster stopped. Returns the pids.
export function pause() {
  const pm = postmasterPid();
  if (!pm) throw new Error('PostgreSQL is not running');
  if (signal(pm, 'SIGSTOP')) paused.add(pm);
  for (let round = 0; round < 2; round++) {
    for (const c of children(pm)) if (!paused.has(c) && signal(c, 'SIGSTOP')) paused.add(c);
  }
  return [...paused];
}

export function resume() {
  const pids = [...paused];
  // Children first, the postmaster last, so it finds its children running.
  for (const pid of pids.reverse()) signal(pid, 'SIGCONT');
  paused.clear();
  const pm = postmasterPid();
  if (pm) {
    for (const c of children(pm)) signal(c, 'SIGCONT');
    signal(pm, 'SIGCONT');
  }
}

process.on('exit', () => {
  if (paused.size) resume();
});
for (const [sig, code] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.once(sig, () => {
    resume();
    process.exit(code);
  });
}

function pgCtlRun(args, timeoutMs = 60_000) {
  const asPg = process.getuid && process.getuid() === 0 && pgUser && pgUser !== 'root';
  const [cmd, argv] = asPg ? ['runuser', ['-u', pgUser, '--', pgCtl, ...args]] : [pgCtl, args];
  // From the directory above the data directory: the caller's may not be readable by that user.
  return execFileSync(cmd, argv, { cwd: path.dirname(dataDir), timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
}

// The crash: no shutdown checkpoint, every backend killed.
export function killImmediate() {
  resume();
  pgCtlRun(['stop', '-D', dataDir, '-m', 'immediate', '-s']);
}

// The options scripts/with-postgres starts the server with (port from the URL, listening on
// 127.0.0.1, its socket beside the data directory, no fsync).
export function serverOptions() {
  const port = new URL(pgUrl).port;
  return `-c port=${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${path.dirname(dataDir)} ` +
    '-c fsync=off -c synchronous_commit=off -c full_page_writes=off';
}

export function startServer() {
  // Always with a log file: without one the server would hold our stdout pipe open.
  const log = pgLog || path.join(path.dirname(dataDir), 'restart.log');
  pgCtlRun(['start', '-D', dataDir, '-w', '-t', '30', '-s', '-l', log, '-o', serverOptions()]);
}

// Leaves the server running and not paused, whatever state a failed test left it in.
export function ensureRunning() {
  resume();
  if (!postmasterPid()) startServer();
}
