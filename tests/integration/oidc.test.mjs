// Citizens' sign-in through a real OpenID Connect provider (npm's oidc-provider, run here on
// loopback with its development login and consent pages): the authorization code flow with PKCE
// end to end, driven over HTTP with a cookie jar as a browser would, and what must be refused.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, getJson, assertProblem, backend } from './harness.mjs';
import { CLIENT_ID, freePort, startOidcProvider } from './oidc_provider.mjs';

let oidc;
let srv;
let issuer;

before(async () => {
  const serverPort = await freePort();
  oidc = await startOidcProvider(`http://127.0.0.1:${serverPort}`);
  issuer = oidc.issuer;
  srv = await start({ listen: `127.0.0.1:${serverPort}`, env: oidc.env });
});

after(async () => {
  assert.equal(await srv.stop(), 0);
  await oidc.close();
});

// A minimal browser: follows redirects, keeps cookies per host, submits the provider's forms
// (login with `subject`, then consent). Stops at our callback's answer and returns it.
// `foreignBrowser`: the callback is opened without the cookies of the browser that started (a
// victim opening an attacker's finished sign-in).
async function signInThroughProvider(subject, { returnTo = '/tai-khoan', foreignBrowser = false } = {}) {
  const jar = new Map(); // host -> Map(name -> value)
  const cookieHeader = (u) => [...(jar.get(u.host) || new Map())].map(([k, v]) => `${k}=${v}`).join('; ');
  const keep = (u, res) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      if (!jar.has(u.host)) jar.set(u.host, new Map());
      jar.get(u.host).set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
  };
  let url = new URL(`${srv.url}/api/v1/auth/oidc/start?return=${encodeURIComponent(returnTo)}`);
  let init = {};
  const trail = [];
  for (let hop = 0; hop < 20; hop++) {
    const atCallback = url.pathname === '/api/v1/auth/oidc/callback';
    const cookie = atCallback && foreignBrowser ? '' : cookieHeader(url);
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers || {}), cookie } });
    keep(url, res);
    trail.push(`${init.method || 'GET'} ${url.pathname} -> ${res.status}`);
    if (url.pathname === '/api/v1/auth/oidc/callback') return { res, jar, url, trail, cookie: cookieHeader(new URL(srv.url)) };
    if (res.status >= 300 && res.status < 400) {
      url = new URL(res.headers.get('location'), url);
      init = {};
      continue;
    }
    const html = await res.text();
    const form = /<form[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/.exec(html);
    assert.ok(form, `a form at ${url} (${res.status}): ${html.slice(0, 300)}\n${trail.join('\n')}`);
    const fields = new URLSearchParams();
    for (const [tag] of form[2].matchAll(/<input[^>]*>/g)) {
      const name = /name="([^"]+)"/.exec(tag);
      if (name) fields.set(name[1], /value="([^"]*)"/.exec(tag)?.[1] ?? '');
    }
    if (fields.has('login')) fields.set('login', subject);
    if (fields.has('password')) fields.set('password', 'any');
    url = new URL(form[1].replace(/&amp;/g, '&'), url);
    init = { method: 'POST', body: fields.toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  throw new Error(`too many hops:\n${trail.join('\n')}`);
}

test(`[${backend}] oidc: a citizen signs in through the provider and lands signed in`, async () => {
  const methods = await getJson(srv.url, '/api/v1/auth/methods');
  assert.deepEqual(methods.body, { local: true, citizen_registration: true, provider: true });
  const { res, cookie, trail } = await signInThroughProvider('001099012345', { returnTo: '/tai-khoan?tab=1' });
  assert.equal(res.status, 302, trail.join('\n'));
  assert.equal(res.headers.get('location'), '/tai-khoan?tab=1');
  const cookies = res.headers.getSetCookie();
  assert.equal(cookies.length, 2, cookies.join(' | '));
  assert.match(cookies[0], /^motcua_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict/);
  assert.match(cookies[1], /^motcua_oidc=; Path=\/api\/v1\/auth\/oidc; HttpOnly; SameSite=Lax; Max-Age=0$/, 'the browser binding is cleared');
  const me = await getJson(srv.url, '/api/v1/auth/me', { headers: { cookie } });
  assert.equal(me.status, 200, JSON.stringify(me.body));
  assert.equal(me.body.account.role, 'citizen');
  assert.match(me.body.account.login, /^oidc\.[0-9a-f]{20}$/);
  assert.ok(!me.body.account.login.includes('001099012345'), 'the subject (an ID number) is not the login');

  // The same subject again: the same account, not a second one.
  const again = await signInThroughProvider('001099012345');
  const me2 = await getJson(srv.url, '/api/v1/auth/me', { headers: { cookie: again.cookie } });
  assert.equal(me2.body.account.id, me.body.account.id);
  const other = await signInThroughProvider('079088000111');
  const me3 = await getJson(srv.url, '/api/v1/auth/me', { headers: { cookie: other.cookie } });
  assert.notEqual(me3.body.account.id, me.body.account.id);
});

test(`[${backend}] oidc: a finished sign-in opened in another browser signs nobody in (login CSRF)`, async () => {
  const { res } = await signInThroughProvider('001099077777', { foreignBrowser: true });
  assertProblem(assert, await (async () => ({ status: res.status, headers: res.headers, body: await res.json() }))(), 401, 'state');
  assert.ok(!(res.headers.get('set-cookie') || '').includes('motcua_session=') || /motcua_session=;/.test(res.headers.get('set-cookie')), 'no session cookie');
});

test(`[${backend}] oidc: a callback cannot be replayed, forged or sent elsewhere`, async () => {
  const { res, url } = await signInThroughProvider('001099099999');
  assert.equal(res.status, 302);
  // The same code and state a second time: the state was good for one callback.
  const replay = await getJson(srv.url, url.pathname + url.search, { redirect: 'manual' });
  assertProblem(assert, replay, 401, 'state');
  const forged = await getJson(srv.url, '/api/v1/auth/oidc/callback?code=abc&state=not-a-state', { redirect: 'manual' });
  assertProblem(assert, forged, 401, 'state');
  assertProblem(assert, await getJson(srv.url, '/api/v1/auth/oidc/callback?error=access_denied', { redirect: 'manual' }), 401);
  assertProblem(assert, await getJson(srv.url, '/api/v1/auth/oidc/callback', { redirect: 'manual' }), 400);
  for (const bad of ['//evil.example/x', 'https://evil.example/', '/\\evil', 'tai-khoan']) {
    assertProblem(assert, await getJson(srv.url, `/api/v1/auth/oidc/start?return=${encodeURIComponent(bad)}`, { redirect: 'manual' }), 400, 'return');
  }
  // The redirect to the provider carries PKCE (S256), state and nonce.
  const startRes = await fetch(`${srv.url}/api/v1/auth/oidc/start`, { redirect: 'manual' });
  assert.equal(startRes.status, 302);
  const to = new URL(startRes.headers.get('location'));
  assert.equal(to.origin, issuer);
  assert.equal(to.searchParams.get('code_challenge_method'), 'S256');
  assert.match(to.searchParams.get('code_challenge'), /^[A-Za-z0-9_-]{43}$/);
  assert.match(to.searchParams.get('state'), /^[A-Za-z0-9_-]{43}$/);
  assert.match(to.searchParams.get('nonce'), /^[A-Za-z0-9_-]{43}$/);
  assert.equal(to.searchParams.get('client_id'), CLIENT_ID);
});
