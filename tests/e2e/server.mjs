// Starts the real motcua server for browser and integration tests.
//
//   import { startServer } from './server.mjs';
//   const srv = await startServer({ args: ['--foo'], env: { X: '1' } });
//   ... fetch(srv.url + '/api/v1/procedures') ...
//   await srv.stop();
//
// Binary: env MOTCUA_BIN, else <repo>/build/motcua. Static files: <repo>/web/dist unless `web` is given.
// Extra command-line arguments may also come from env MOTCUA_E2E_ARGS (split on spaces).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const defaultBin = process.env.MOTCUA_BIN || path.resolve(here, '../../build/motcua');
export const webDist = path.join(repoRoot, 'web', 'dist');

/**
 * @param {{bin?: string, args?: string[], env?: Record<string,string>, web?: string|null,
 *          dataDir?: string, timeoutMs?: number, listen?: string, adminKey?: string,
 *          users?: {login: string, name: string, role: string, unit?: string, password: string}[]}} [opts]
 * `adminKey`: an API key ("mck_" + 32 or more characters) registered for the administrator role
 * with `motcua apikey add --secret-stdin` before the server starts (once per database).
 * `users`: accounts created with `motcua user add --password-stdin` before the server starts (the
 * first administrator is made this way; there is no default password).
 * @returns {Promise<{url: string, port: number, dataDir: string, proc: import('node:child_process').ChildProcess,
 *                    output: () => string, stop: () => Promise<number|null>}>}
 */
export async function startServer(opts = {}) {
  const bin = opts.bin || defaultBin;
  if (!existsSync(bin)) throw new Error(`motcua binary not found at ${bin} (build it, or set MOTCUA_BIN)`);
  const ownData = !opts.dataDir;
  const dataDir = opts.dataDir || mkdtempSync(path.join(tmpdir(), 'motcua-e2e-'));
  const args = ['serve', '--listen', opts.listen || '127.0.0.1:0', '--data', dataDir];
  const web = opts.web === undefined ? webDist : opts.web;
  if (web) args.push('--web', web);
  const extra = (process.env.MOTCUA_E2E_ARGS || '').split(' ').filter(Boolean);
  args.push(...extra, ...(opts.args || []));
  if (opts.adminKey) registerAdminKey(bin, dataDir, [...extra, ...(opts.args || [])], opts.env, opts.adminKey);
  for (const user of opts.users || []) addUser(bin, dataDir, [...extra, ...(opts.args || [])], opts.env, user);

  const proc = spawn(bin, args, {
    cwd: repoRoot,
    env: { ...process.env, ...(opts.env || {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const timeoutMs = opts.timeoutMs ?? 20_000;

  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGTERM');
      reject(new Error(`server did not print "listening on http://..." within ${timeoutMs} ms; output:\n${out}`));
    }, timeoutMs);
    const onData = (chunk) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/[^\s"',]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/+$/, ''));
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (c) => {
      out += c.toString();
    });
    proc.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.on('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited early (code ${code}, signal ${signal}); output:\n${out}`));
    });
  });

  const exited = new Promise((resolve) => {
    if (proc.exitCode !== null) resolve(proc.exitCode);
    else proc.once('exit', (code) => resolve(code));
  });

  return {
    url,
    port: Number(new URL(url).port),
    dataDir,
    proc,
    output: () => out,
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) {
        proc.kill('SIGTERM');
        const t = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
      if (ownData) rmSync(dataDir, { recursive: true, force: true });
      return proc.exitCode;
    },
  };
}

const registeredKeys = new Set();

// The storage flags of `serve` that the CLI subcommands need to reach the same database.
function storageArgs(serveArgs) {
  const storage = [];
  for (let i = 0; i < serveArgs.length; i++) {
    if (['--database-url', '--config'].includes(serveArgs[i])) storage.push(serveArgs[i], serveArgs[i + 1]);
  }
  return storage;
}

// Creates an account with `motcua user add` in the database the server will use.
export function addUser(bin, dataDir, serveArgs, env, user) {
  const childEnv = { ...process.env, ...(env || {}) };
  delete childEnv.LD_PRELOAD;
  const args = ['user', 'add', user.login, '--name', user.name, '--role', user.role, '--password-stdin'];
  if (user.unit) args.push('--unit', user.unit);
  execFileSync(bin, [...args, '--data', dataDir, ...storageArgs(serveArgs)], {
    cwd: repoRoot,
    env: childEnv,
    input: user.password + '\n',
    stdio: ['pipe', 'ignore', 'pipe'],
  });
}

// Registers `key` as an administrator's API key in the database the server will use (the CLI
// gets the same storage flags and environment as the server).
export function registerAdminKey(bin, dataDir, serveArgs, env, key) {
  const storage = storageArgs(serveArgs);
  const where = `${dataDir} ${storage.join(' ')} ${key}`;
  if (registeredKeys.has(where)) return;
  const childEnv = { ...process.env, ...(env || {}) };
  delete childEnv.LD_PRELOAD;
  execFileSync(bin, ['apikey', 'add', 'tests', '--role', 'administrator', '--secret-stdin', '--data', dataDir, ...storage], {
    cwd: repoRoot,
    env: childEnv,
    input: key + '\n',
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  registeredKeys.add(where);
}
