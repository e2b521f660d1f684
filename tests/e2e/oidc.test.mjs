// Browser tests of the citizens' ways in, against the real server and a real OpenID Connect
// provider (npm's oidc-provider on loopback, standing in for VNeID: its development login page
// takes any login and password, then a consent page): sign-in through the provider, and
// registration with the 12-digit personal ID number.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';
import { axeCheck, launchBrowser, screenshot } from './browser.mjs';
import { freePort, startOidcProvider } from '../integration/oidc_provider.mjs';

const SHOT_DIR = process.env.MOTCUA_SHOT_DIR || tmpdir();
const SUBJECT = '001099012345';
// A number of this run, so that the tests also pass against a shared database (MOTCUA_E2E_ARGS).
const ID_NUMBER = `0792030${String(randomInt(0, 100_000)).padStart(5, '0')}`;
const CITIZEN = { name: 'Trần Văn Bình', password: 'hoa sen no giua dam' };

let oidc;
let server;
let browser;

before(async () => {
  const port = await freePort();
  oidc = await startOidcProvider(`http://127.0.0.1:${port}`);
  server = await startServer({ listen: `127.0.0.1:${port}`, env: oidc.env });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  if (code !== 0 && code !== null) console.log(`server exit code ${code}; output:\n${server.output()}`);
  await oidc?.close();
});

/** A fresh browser profile (own cookies and localStorage); nothing leaves the machine. */
async function newPage({ width = 1280, height = 900, bypassCSP = false, lang = 'vi', large = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'vi-VN', bypassCSP });
  // The provider's development pages import a web font: refuse anything not on loopback.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  if (lang !== 'vi') await context.addInitScript((l) => localStorage.setItem('motcua.lang', l), lang);
  if (large) await context.addInitScript(() => localStorage.setItem('motcua.largeText', '1'));
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d|ERR_FAILED|ERR_BLOCKED/.test(m.text())) console.log(`console error: ${m.text()}`);
  });
  return page;
}

async function shot(page, name) {
  await screenshot(page, name);
  await page.screenshot({ path: path.join(SHOT_DIR, `${name}.png`), fullPage: true });
}

const onProvider = (u) => u.origin === oidc.issuer;
const onAccountPage = (u) => u.origin === server.url && u.pathname === '/tai-khoan';

/** Resolves when the page has moved on to another document (after redirects, if any). */
function nextDocument(page) {
  return new Promise((resolve) => {
    const seen = (frame) => {
      if (frame !== page.mainFrame()) return;
      page.off('framenavigated', seen);
      resolve();
    };
    page.on('framenavigated', seen);
  });
}

/**
 * From a click on the VNeID button to the account page: fills the provider's login form with
 * `subject` and accepts its consent page, as often as the provider asks (a provider that
 * remembers the person asks neither). Returns what the provider asked for.
 */
async function throughProvider(page, subject) {
  const asked = [];
  for (let i = 0; i < 6; i++) {
    await page.waitForURL((u) => onAccountPage(u) || (onProvider(u) && u.pathname.startsWith('/interaction/')), {
      waitUntil: 'commit',
    });
    if (onAccountPage(new URL(page.url()))) return asked;
    await page.waitForLoadState('domcontentloaded');
    const login = page.locator('input[name="login"]');
    const left = nextDocument(page);
    if (await login.count()) {
      asked.push('login');
      await login.fill(subject);
      await page.locator('input[name="password"]').fill('any password at all');
      await page.getByRole('button', { name: 'Sign-in' }).click();
    } else {
      asked.push('consent');
      await page.getByRole('button', { name: 'Continue' }).click();
    }
    await left;
  }
  throw new Error(`still on the provider after ${asked.join(', ')}: ${page.url()}`);
}

async function signOutFromHeader(page) {
  await page.locator('.site-header').getByRole('button', { name: 'Đăng xuất' }).click();
  await page.waitForURL(/\/dang-nhap$/);
  await page.getByText('Bạn đã đăng xuất.').waitFor();
  await page.locator('.site-header').getByRole('link', { name: 'Đăng nhập' }).waitFor();
}

const providerButton = (page) => page.getByRole('link', { name: 'Đăng nhập bằng tài khoản định danh điện tử (VNeID)' });

describe('citizens: the national digital identity and registration', () => {
  test('the sign-in page offers VNeID first, the ID number as login, and registration', async () => {
    const methods = await (await fetch(`${server.url}/api/v1/auth/methods`)).json();
    assert.deepEqual(methods, { local: true, citizen_registration: true, provider: true });
    const page = await newPage({ bypassCSP: true });
    await page.goto(server.url + '/dang-nhap');
    await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
    const button = providerButton(page);
    await button.waitFor();
    // A plain link: the browser leaves for the provider (no fetch), and comes back to the account page.
    assert.equal(await button.getAttribute('href'), '/api/v1/auth/oidc/start?return=/tai-khoan');
    await page.getByRole('heading', { level: 2, name: 'Đăng nhập bằng mật khẩu' }).waitFor();
    const login = page.getByLabel('Tên đăng nhập hoặc số định danh cá nhân');
    assert.equal(await login.getAttribute('autocomplete'), 'username');
    await page.getByRole('link', { name: 'Đăng ký bằng số định danh cá nhân' }).waitFor();
    // The button comes before the password form, in reading and in tab order.
    const order = await page.evaluate(() => {
      const b = document.getElementById('provider-sign-in');
      const l = document.getElementById('signin-login');
      return b && l ? b.compareDocumentPosition(l) & Node.DOCUMENT_POSITION_FOLLOWING : 0;
    });
    assert.ok(order, 'the VNeID button comes first');
    const bad = await axeCheck(page, 'sign-in with provider');
    assert.deepEqual(bad.map((v) => v.id), []);
    await shot(page, 'oidc-sign-in');

    // In English too.
    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('link', { name: 'Sign in with the national digital identity (VNeID)' }).waitFor();
    await page.getByLabel('Login or personal ID number').waitFor();
    await page.getByRole('link', { name: 'Register with your personal ID number' }).waitFor();
    await page.context().close();
  });

  test('sign-in page with VNeID: large text, English, 320 px: no horizontal scrolling, no axe violations', async () => {
    const page = await newPage({ width: 320, height: 640, bypassCSP: true, lang: 'en', large: true });
    await page.goto(server.url + '/dang-nhap');
    await page.getByRole('link', { name: 'Sign in with the national digital identity (VNeID)' }).waitFor();
    assert.equal(await page.evaluate(() => document.documentElement.classList.contains('large-text')), true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
    const box = await page.getByRole('link', { name: /VNeID/ }).boundingBox();
    assert.ok(box && box.x >= 0 && box.x + box.width <= 320, JSON.stringify(box));
    const bad = await axeCheck(page, 'sign-in with provider en large 320');
    assert.deepEqual(bad.map((v) => v.id), []);
    await shot(page, 'oidc-sign-in-en-320-large');
    await page.context().close();
  });

  test('a citizen signs in through the provider, signs out, and comes back to the same account', async () => {
    const page = await newPage({ bypassCSP: true });
    await page.goto(server.url + '/dang-nhap');
    await providerButton(page).click();
    await page.waitForURL(onProvider, { waitUntil: 'commit' });
    const asked = await throughProvider(page, SUBJECT);
    assert.deepEqual(asked, ['login', 'consent'], 'a new browser: the provider asks who it is, then for consent');

    await page.getByRole('heading', { level: 1, name: 'Tài khoản của bạn' }).waitFor();
    assert.match(await page.locator('#account-role').innerText(), /Công dân/);
    assert.equal(await page.locator('#account-method').innerText(), 'Định danh điện tử (VNeID)');
    const code = (await page.locator('#account-login').innerText()).trim();
    assert.match(code, /^oidc\.[0-9a-f]{20}$/);
    assert.ok(!code.includes(SUBJECT), 'the ID number is not the account code');
    // No local password: no password change, no second factor here; the provider's sign-in instead.
    await page.getByRole('heading', { level: 2, name: 'Đăng nhập qua định danh điện tử' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Đổi mật khẩu' }).count(), 0);
    assert.equal(await page.getByLabel('Mật khẩu hiện tại').count(), 0);
    assert.equal(await page.getByRole('button', { name: 'Bật xác thực hai lớp' }).count(), 0);
    // The name, only when the server gives it (sign-in and /auth/me do not carry it, so far).
    const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
    assert.equal(me.account.login, code);
    assert.equal(me.account.role, 'citizen');
    assert.equal(me.account.second_factor, false);
    if (me.account.display_name) assert.equal(await page.locator('#account-name').innerText(), me.account.display_name);
    else assert.equal(await page.locator('#account-name').count(), 0, 'no invented name');
    // The header names the account without reading out the code.
    const header = page.locator('.site-header');
    await header.getByRole('link', { name: me.account.display_name || 'Tài khoản của tôi' }).waitFor();
    const bad = await axeCheck(page, 'account (provider)');
    assert.deepEqual(bad.map((v) => v.id), []);
    await shot(page, 'oidc-account');

    // A reload keeps the session.
    await page.reload();
    await page.locator('#account-login').getByText(code).waitFor();

    await signOutFromHeader(page);
    await page.goto(server.url + '/tai-khoan');
    await page.getByText('Bạn cần đăng nhập để xem trang này.').waitFor();

    // Again: the same subject is the same account (the provider may remember the person).
    await page.goto(server.url + '/dang-nhap');
    await providerButton(page).click();
    await throughProvider(page, SUBJECT);
    await page.getByRole('heading', { level: 1, name: 'Tài khoản của bạn' }).waitFor();
    assert.equal((await page.locator('#account-login').innerText()).trim(), code);
    await page.context().close();

    // And from another browser, where the provider asks again: still the same account.
    const other = await newPage();
    await other.goto(server.url + '/dang-nhap');
    await providerButton(other).click();
    assert.deepEqual(await throughProvider(other, SUBJECT), ['login', 'consent']);
    await other.locator('#account-login').waitFor();
    assert.equal((await other.locator('#account-login').innerText()).trim(), code);
    await other.context().close();
  });

  test('a sign-in page reached from a protected page sends the provider back there', async () => {
    const page = await newPage();
    await page.goto(server.url + '/quan-tri/tai-khoan');
    await page.getByText('Bạn cần đăng nhập để xem trang này.').waitFor();
    await page.locator('main').getByRole('link', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/dang-nhap\?tiep=/);
    assert.equal(await providerButton(page).getAttribute('href'), '/api/v1/auth/oidc/start?return=/quan-tri/tai-khoan');
    await page.context().close();
  });

  test('registration: the form checks the ID number and passwords before asking the server', async () => {
    const page = await newPage({ bypassCSP: true });
    const posted = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/auth/register')) posted.push(r.method());
    });
    await page.goto(server.url + '/dang-nhap');
    await page.getByRole('link', { name: 'Đăng ký bằng số định danh cá nhân' }).click();
    await page.waitForURL(/\/dang-ky$/);
    await page.getByRole('heading', { level: 1, name: 'Đăng ký tài khoản công dân' }).waitFor();
    const id = page.getByLabel('Số định danh cá nhân');
    assert.equal(await id.getAttribute('inputmode'), 'numeric');
    assert.equal(await id.getAttribute('autocomplete'), 'username');
    assert.equal(await page.getByLabel('Mật khẩu', { exact: true }).getAttribute('autocomplete'), 'new-password');
    // The privacy note is on the page and read with the ID number field.
    const note = page.locator('#register-privacy');
    assert.match(await note.innerText(), /chỉ dùng để đăng nhập/);
    assert.match(await note.innerText(), /không lưu số này ở dạng đọc được/);
    assert.match((await id.getAttribute('aria-describedby')) ?? '', /register-privacy/);
    const bad = await axeCheck(page, 'register');
    assert.deepEqual(bad.map((v) => v.id), []);
    await shot(page, 'register');

    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.locator('#reg-id-error').getByText('Vui lòng nhập số định danh cá nhân.').waitFor();
    await page.locator('#reg-name-error').getByText('Vui lòng nhập họ và tên.').waitFor();
    await page.locator('#reg-password-error').getByText('Vui lòng nhập mật khẩu.').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'reg-id', 'focus on the first field to fix');

    await id.fill('0790123');
    await page.getByLabel('Họ và tên').fill(CITIZEN.name);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(`mk${ID_NUMBER}`);
    await page.getByLabel('Nhập lại mật khẩu').fill('something else');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.locator('#reg-id-error').getByText('Số định danh cá nhân gồm đúng 12 chữ số.').waitFor();
    await page.locator('#reg-repeat-error').getByText('Hai lần nhập mật khẩu không giống nhau.').waitFor();
    assert.equal(await page.getByLabel('Số định danh cá nhân').getAttribute('aria-invalid'), 'true');

    await id.fill(ID_NUMBER);
    await page.getByLabel('Nhập lại mật khẩu').fill(`mk${ID_NUMBER}`);
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.locator('#reg-password-error').getByText('Mật khẩu không được chứa số định danh cá nhân.').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'reg-password');
    assert.deepEqual(posted, [], 'nothing was sent yet');

    // What only the server knows is shown next to its field too.
    await page.getByLabel('Mật khẩu', { exact: true }).fill('aaaaaaaaaaaa');
    await page.getByLabel('Nhập lại mật khẩu').fill('aaaaaaaaaaaa');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.locator('#reg-password-error').getByText('Mật khẩu quá dễ đoán').waitFor();
    assert.deepEqual(posted, ['POST']);
    await page.context().close();
  });

  test('registration with the ID number signs the citizen in; the number then signs in again', async () => {
    const page = await newPage({ bypassCSP: true });
    await page.goto(server.url + '/dang-ky');
    // Typed in groups, as printed on some cards.
    await page.getByLabel('Số định danh cá nhân').fill(ID_NUMBER.replace(/(\d{3})(?=\d)/g, '$1 '));
    await page.getByLabel('Họ và tên').fill(CITIZEN.name);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(CITIZEN.password);
    await page.getByLabel('Nhập lại mật khẩu').fill(CITIZEN.password);
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.waitForURL(/\/tai-khoan$/);
    await page.getByRole('heading', { level: 1, name: 'Tài khoản của bạn' }).waitFor();
    await page.getByText('Đã tạo tài khoản và đăng nhập.').waitFor();
    assert.match(await page.locator('#account-role').innerText(), /Công dân/);
    assert.equal(await page.locator('#account-method').innerText(), 'Số định danh cá nhân và mật khẩu');
    const code = (await page.locator('#account-login').innerText()).trim();
    assert.match(code, /^cd\.[0-9a-f]{32}$/);
    assert.ok(!(await page.locator('main').innerText()).includes(ID_NUMBER), 'the ID number is not shown back');
    // A local password: it can be changed here.
    await page.getByRole('heading', { level: 2, name: 'Đổi mật khẩu' }).waitFor();
    const bad = await axeCheck(page, 'account (registered citizen)');
    assert.deepEqual(bad.map((v) => v.id), []);
    await shot(page, 'register-account');

    await signOutFromHeader(page);
    await page.getByLabel('Tên đăng nhập hoặc số định danh cá nhân').fill(ID_NUMBER.replace(/(\d{4})(?=\d)/g, '$1 '));
    await page.getByLabel('Mật khẩu', { exact: true }).fill(CITIZEN.password);
    await page.locator('main').getByRole('button', { name: 'Đăng nhập', exact: true }).click();
    await page.waitForURL(/\/tai-khoan$/);
    assert.equal((await page.locator('#account-login').innerText()).trim(), code);
    await page.context().close();
  });

  test('registering the same ID number again says it already has an account, next to the field', async () => {
    const page = await newPage();
    await page.goto(server.url + '/dang-ky');
    await page.getByLabel('Số định danh cá nhân').fill(ID_NUMBER);
    await page.getByLabel('Họ và tên').fill('Người khác');
    await page.getByLabel('Mật khẩu', { exact: true }).fill('mot mat khau khac han');
    await page.getByLabel('Nhập lại mật khẩu').fill('mot mat khau khac han');
    await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
    await page.locator('#reg-id-error').getByText('Số định danh này đã có tài khoản').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'reg-id');
    assert.equal(await page.getByLabel('Số định danh cá nhân').getAttribute('aria-invalid'), 'true');
    assert.match(page.url(), /\/dang-ky$/);
    await page.getByRole('button', { name: /English/ }).click();
    await page.locator('#reg-id-error').getByText('This ID number already has an account').waitFor();
    await page.context().close();
  });

  test('registration page: large text, English, 320 px: no horizontal scrolling, no axe violations', async () => {
    const page = await newPage({ width: 320, height: 640, bypassCSP: true, lang: 'en', large: true });
    await page.goto(server.url + '/dang-ky');
    await page.getByRole('heading', { level: 1, name: 'Register a citizen account' }).waitFor();
    await page.getByLabel('Personal ID number').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
    const bad = await axeCheck(page, 'register en large 320');
    assert.deepEqual(bad.map((v) => v.id), []);
    await shot(page, 'register-en-320-large');
    await page.context().close();
  });
});
