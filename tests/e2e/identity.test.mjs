// Browser tests of sign-in, the account page and account administration against the real server
// (see server.mjs, browser.mjs). The first administrator is created with `motcua user add`, as in
// production; everything else goes through the pages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from './server.mjs';
import { axeCheck, launchBrowser, screenshot } from './browser.mjs';

// Unique logins, so that the tests also pass against a shared database (MOTCUA_E2E_ARGS).
const run = randomBytes(3).toString('hex');
const ADMIN = { login: `admin${run}`, name: 'Quản trị', role: 'administrator', password: 'quan-tri-he-thong-e2e' };
const OFFICER = { login: `tiepnhan${run}`, name: 'Nguyễn Thị Tiếp Nhận', unit: 'HN.P001' };
const OFFICER_PASSWORD = 'mot cua phuc vu nhan dan';
const ADMIN_KEY = `mck_${randomBytes(24).toString('hex')}`;
const SHOT_DIR = process.env.MOTCUA_SHOT_DIR || tmpdir();

let server;
let browser;
let dataDir;

before(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'motcua-e2e-identity-'));
  server = await startServer({
    dataDir,
    users: [ADMIN],
    adminKey: ADMIN_KEY,
    // Room for the deliberate failures below; the address limit itself is tested on its own server.
    env: { MOTCUA_SIGN_IN_BURST: '50' },
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  if (code !== 0 && code !== null) console.log(`server exit code ${code}; output:\n${server.output()}`);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

/** A fresh browser profile (own cookies and localStorage). */
async function newPage({ width = 1280, height = 900, bypassCSP = false, lang = 'vi' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'vi-VN', bypassCSP });
  if (lang !== 'vi') await context.addInitScript((l) => localStorage.setItem('motcua.lang', l), lang);
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) console.log(`console error: ${m.text()}`);
  });
  return page;
}

/** Waits until the header knows whether someone is signed in (after /auth/me). */
async function headerReady(page) {
  await page.waitForSelector('.header-tools a[href="/dang-nhap"], .header-tools a[href="/tai-khoan"]');
}

async function signInThroughPage(page, login, password) {
  await page.goto(server.url + '/dang-nhap');
  await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
  await page.getByLabel('Tên đăng nhập').fill(login);
  await page.getByLabel('Mật khẩu', { exact: true }).fill(password);
  await page.locator('main').getByRole('button', { name: 'Đăng nhập' }).click();
}

async function signOutFromHeader(page) {
  await page.locator('.site-header').getByRole('button', { name: 'Đăng xuất' }).click();
  await page.waitForURL(/\/dang-nhap$/);
  await page.getByText('Bạn đã đăng xuất.').waitFor();
  await page.locator('.site-header').getByRole('link', { name: 'Đăng nhập' }).waitFor();
}

async function shot(page, name) {
  await screenshot(page, name);
  await page.screenshot({ path: path.join(SHOT_DIR, `${name}.png`), fullPage: true });
}

// RFC 6238 TOTP (SHA-1, 6 digits, 30 s), as an authenticator app computes it.
function base32Decode(s) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
    value = (value << 5) | alphabet.indexOf(ch);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function totp(secret, step) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(step));
  const h = createHmac('sha1', base32Decode(secret)).update(msg).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

const nowStep = () => Math.floor(Date.now() / 30_000);

/**
 * The code for the next usable time step: the server accepts each step once, and one step of
 * clock skew ahead at most, so this may wait for the clock to move on.
 */
async function freshCode(secret, state) {
  while (state.usedStep + 1 > nowStep() + 1) await new Promise((r) => setTimeout(r, 500));
  state.usedStep = Math.max(nowStep(), state.usedStep + 1);
  return totp(secret, state.usedStep);
}

async function api(pathname, { method = 'GET', body } = {}) {
  const res = await fetch(server.url + pathname, {
    method,
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

describe('identity: sign-in, forced password change, administration', () => {
  // One browser profile per person, kept across the steps.
  let adminPage;
  let officerPage;
  let initialPassword = '';
  let totpSecret = '';
  const steps = { usedStep: 0 };
  let officerPassword = OFFICER_PASSWORD;

  test('signed out: the header links to the sign-in page, which looks finished', async () => {
    const page = await newPage({ bypassCSP: true });
    const asked = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/auth/me')) asked.push(new URL(r.url()).pathname);
    });
    await page.goto(server.url + '/', { waitUntil: 'networkidle' });
    await headerReady(page);
    // Anonymous visitors of the public pages are not asked who they are (no 401 on every load).
    assert.deepEqual(asked, []);
    const link = page.locator('.site-header').getByRole('link', { name: 'Đăng nhập' });
    await link.click();
    await page.waitForURL(/\/dang-nhap$/);
    await page.getByRole('heading', { level: 1, name: 'Đăng nhập' }).waitFor();
    assert.equal(await page.getByLabel('Tên đăng nhập').getAttribute('autocomplete'), 'username');
    assert.equal(await page.getByLabel('Mật khẩu', { exact: true }).getAttribute('type'), 'password');
    // No code field until the server asks for it.
    assert.equal(await page.getByLabel('Mã xác thực (6 chữ số)').count(), 0);
    // The admin entry is not in the navigation for someone signed out.
    assert.equal(await page.locator('.site-nav').getByRole('link', { name: 'Quản trị tài khoản' }).count(), 0);
    const bad = await axeCheck(page, 'sign-in');
    assert.deepEqual(bad.map((v) => v.id), []);
    await shot(page, 'identity-sign-in');
    await page.context().close();
  });

  test('empty fields and a wrong password show clear errors, in Vietnamese and in English', async () => {
    const page = await newPage();
    await page.goto(server.url + '/dang-nhap');
    await page.locator('main').getByRole('button', { name: 'Đăng nhập' }).click();
    await page.getByText('Vui lòng nhập tên đăng nhập.').waitFor();
    await page.getByText('Vui lòng nhập mật khẩu.').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'signin-login', 'focus goes to the first field to fix');
    assert.equal(await page.getByLabel('Tên đăng nhập').getAttribute('aria-invalid'), 'true');

    await signInThroughPage(page, ADMIN.login, 'not-the-password');
    const alert = page.locator('main [role="alert"]');
    await alert.getByText(/Tên đăng nhập hoặc mật khẩu không đúng/).waitFor();
    assert.match(await alert.innerText(), /Chưa đăng nhập được/);
    assert.equal(await page.getByLabel('Mật khẩu', { exact: true }).inputValue(), '', 'the wrong password is cleared');
    assert.match(page.url(), /\/dang-nhap$/);
    await page.getByRole('button', { name: /English/ }).click();
    await alert.getByText(/Wrong login name or password/).waitFor();
    await page.context().close();
  });

  test('the administrator signs in through the page and lands on the account page', async () => {
    adminPage = await newPage({ bypassCSP: true });
    await signInThroughPage(adminPage, ADMIN.login, ADMIN.password);
    await adminPage.waitForURL(/\/tai-khoan$/);
    await adminPage.getByRole('heading', { level: 1, name: 'Tài khoản của bạn' }).waitFor();
    assert.equal(await adminPage.locator('#account-role').innerText(), 'Quản trị hệ thống');
    const header = adminPage.locator('.site-header');
    await header.getByRole('link', { name: `Tài khoản: ${ADMIN.login}` }).waitFor();
    await header.getByRole('button', { name: 'Đăng xuất' }).waitFor();
    const bad = await axeCheck(adminPage, 'account (administrator)');
    assert.deepEqual(bad.map((v) => v.id), []);
    // A reload keeps the session (checked with /api/v1/auth/me).
    await adminPage.reload();
    await adminPage.getByRole('heading', { level: 1, name: 'Tài khoản của bạn' }).waitFor();
    await header.getByRole('link', { name: `Tài khoản: ${ADMIN.login}` }).waitFor();
    // A public page loaded afresh shows who is signed in, too.
    await adminPage.goto(server.url + '/diem-phuc-vu');
    await header.getByRole('link', { name: `Tài khoản: ${ADMIN.login}` }).waitFor();
    await adminPage.locator('.site-nav').getByRole('link', { name: 'Quản trị tài khoản' }).waitFor();
  });

  test('the administrator creates a reception officer with a generated password', async () => {
    const page = adminPage;
    await page.locator('.site-nav').getByRole('link', { name: 'Quản trị tài khoản' }).click();
    await page.waitForURL(/\/quan-tri\/tai-khoan$/);
    await page.getByRole('heading', { level: 1, name: 'Quản trị tài khoản' }).waitFor();
    await page.locator(`tr[data-login="${ADMIN.login}"]`).waitFor();

    // The unit select appears for official roles only.
    await page.getByLabel('Vai trò').selectOption('monitoring');
    assert.equal(await page.locator('#new-unit').count(), 0);
    await page.getByLabel('Vai trò').selectOption('reception_officer');
    const unit = page.locator('#new-unit');
    await unit.waitFor();

    // Without a unit the form says so next to the field, before asking the server.
    await page.locator('#new-login').fill(OFFICER.login);
    await page.locator('#new-name').fill(OFFICER.name);
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await page.getByText('Vui lòng chọn đơn vị.').waitFor();

    await unit.selectOption(OFFICER.unit);
    assert.equal(await page.locator('#new-password').inputValue(), '', 'password left empty: generated');
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();

    const box = page.locator('.secret-box');
    await box.getByRole('heading', { name: `Mật khẩu ban đầu của ${OFFICER.login}` }).waitFor();
    initialPassword = (await box.locator('#initial-password').innerText()).trim();
    assert.match(initialPassword, /^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/, initialPassword);
    assert.match(await box.innerText(), /Chỉ hiển thị một lần/);
    assert.equal(await page.evaluate(() => document.activeElement?.classList.contains('secret-box')), true, 'the box gets focus');

    const row = page.locator(`tr[data-login="${OFFICER.login}"]`);
    await row.waitFor();
    const text = await row.innerText();
    assert.match(text, /Nguyễn Thị Tiếp Nhận/);
    assert.match(text, /Cán bộ tiếp nhận/);
    assert.match(text, /Phường Hoàn Kiếm/);
    assert.match(text, /Chưa đổi mật khẩu ban đầu/);

    // The form is empty again, ready for the next account.
    assert.equal(await page.locator('#new-login').inputValue(), '');

    // A taken login is reported next to the login field, in the server's words.
    await page.locator('#new-login').fill(OFFICER.login);
    await page.locator('#new-name').fill('Người khác');
    await page.locator('#new-unit').selectOption(OFFICER.unit);
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await page.locator('#new-login-error').getByText(`Tên đăng nhập ${OFFICER.login} đã có`).waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'new-login');

    const bad = await axeCheck(page, 'admin accounts');
    assert.deepEqual(bad.map((v) => v.id), []);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'identity-admin-accounts');
  });

  test('the administrator signs out from the header', async () => {
    await signOutFromHeader(adminPage);
    assert.equal(await adminPage.locator('.site-nav').getByRole('link', { name: 'Quản trị tài khoản' }).count(), 0);
    // The session really ended on the server: the account page now asks to sign in.
    await adminPage.goto(server.url + '/tai-khoan');
    await adminPage.getByText('Bạn cần đăng nhập để xem trang này.').waitFor();
  });

  test('the officer signs in, must change the initial password, and lands on the account page', async () => {
    officerPage = await newPage({ bypassCSP: true });
    const page = officerPage;
    await signInThroughPage(page, OFFICER.login, initialPassword);
    await page.waitForURL(/\/doi-mat-khau$/);
    await page.getByRole('heading', { level: 1, name: 'Đổi mật khẩu ban đầu' }).waitFor();
    const bad = await axeCheck(page, 'forced password change');
    assert.deepEqual(bad.map((v) => v.id), []);

    // Other pages send back to the form while the initial password is unchanged.
    await page.evaluate(() => {
      history.pushState(null, '', '/tai-khoan');
      dispatchEvent(new PopStateEvent('popstate'));
    });
    await page.waitForURL(/\/doi-mat-khau$/);

    await page.getByLabel('Mật khẩu ban đầu').fill(initialPassword);
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill(OFFICER_PASSWORD);
    await page.getByLabel('Nhập lại mật khẩu mới').fill(OFFICER_PASSWORD + 'x');
    await page.getByRole('button', { name: 'Đặt mật khẩu mới' }).click();
    await page.locator('#forced-repeat-error').getByText('Hai lần nhập mật khẩu mới không giống nhau.').waitFor();

    // The server's policy error is shown next to the new password.
    const weak = `${OFFICER.login}-2025`;
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill(weak);
    await page.getByLabel('Nhập lại mật khẩu mới').fill(weak);
    await page.getByRole('button', { name: 'Đặt mật khẩu mới' }).click();
    await page.locator('#forced-new-error').getByText('Mật khẩu không được chứa tên đăng nhập').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'forced-new');

    await page.getByLabel('Mật khẩu mới', { exact: true }).fill(OFFICER_PASSWORD);
    await page.getByLabel('Nhập lại mật khẩu mới').fill(OFFICER_PASSWORD);
    await page.getByRole('button', { name: 'Đặt mật khẩu mới' }).click();
    await page.waitForURL(/\/tai-khoan$/);
    await page.getByRole('heading', { level: 1, name: 'Tài khoản của bạn' }).waitFor();
    await page.getByText('Đã đổi mật khẩu.').waitFor();
    assert.equal(await page.locator('#account-role').innerText(), 'Cán bộ tiếp nhận');
    await page.locator('#account-summary').getByText('Phường Hoàn Kiếm').waitFor();
    await page.locator('.site-header').getByRole('link', { name: `Tài khoản: ${OFFICER.login}` }).waitFor();
    const bad2 = await axeCheck(page, 'account (officer)');
    assert.deepEqual(bad2.map((v) => v.id), []);
    await shot(page, 'identity-account');

    // In English the role title comes from the dictionary.
    await page.getByRole('button', { name: /English/ }).click();
    assert.equal(await page.locator('#account-role').innerText(), 'Reception officer');
    await page.getByRole('button', { name: /Tiếng Việt/i }).click();
  });

  test('a non-administrator has no admin entry and is told they are not allowed', async () => {
    const page = officerPage;
    assert.equal(await page.locator('.site-nav').getByRole('link', { name: 'Quản trị tài khoản' }).count(), 0);
    await page.goto(server.url + '/quan-tri/tai-khoan');
    await page.getByRole('heading', { level: 1, name: 'Quản trị tài khoản' }).waitFor();
    const alert = page.locator('main [role="alert"]');
    await alert.getByText('Không có quyền truy cập').waitFor();
    assert.match(await alert.innerText(), /chỉ dành cho quản trị hệ thống/);
    assert.equal(await page.locator('table').count(), 0);
    assert.equal(await page.locator('#new-login').count(), 0);
  });

  test('the officer turns on the second factor; sign-in then asks for the 6-digit code', async () => {
    const page = officerPage;
    await page.goto(server.url + '/tai-khoan');
    await page.getByRole('button', { name: 'Bật xác thực hai lớp' }).click();
    const grouped = (await page.locator('#totp-secret').innerText()).trim();
    assert.match(grouped, /^([A-Z2-7]{4} )+[A-Z2-7]{1,4}$/, `grouped in blocks of 4: ${grouped}`);
    totpSecret = grouped.replace(/\s/g, '');
    const uri = (await page.locator('#totp-uri').innerText()).trim();
    assert.ok(uri.startsWith('otpauth://totp/'), uri);
    assert.ok(uri.includes(`secret=${totpSecret}`), uri);
    await shot(page, 'identity-totp-enrolment');

    await page.getByLabel('Mã xác thực (6 chữ số)').fill('12');
    await page.getByRole('button', { name: 'Xác nhận và bật' }).click();
    await page.getByText('Mã xác thực gồm đúng 6 chữ số.').waitFor();

    steps.usedStep = nowStep();
    await page.getByLabel('Mã xác thực (6 chữ số)').fill(totp(totpSecret, steps.usedStep));
    await page.getByRole('button', { name: 'Xác nhận và bật' }).click();
    await page.getByText('Đã bật xác thực hai lớp.').waitFor();

    await signOutFromHeader(page);
    await signInThroughPage(page, OFFICER.login, OFFICER_PASSWORD);
    const code = page.getByLabel('Mã xác thực (6 chữ số)');
    await code.waitFor();
    await page.getByText('Tài khoản này dùng xác thực hai lớp.').waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'signin-code', 'focus moves to the code');
    await shot(page, 'identity-sign-in-code');
    assert.match(page.url(), /\/dang-nhap$/);

    // A wrong code: clear message, the password must be typed again.
    const right = totp(totpSecret, Math.max(nowStep(), steps.usedStep + 1));
    await code.fill(right === '000000' ? '111111' : '000000');
    await page.locator('main').getByRole('button', { name: 'Đăng nhập' }).click();
    await page.locator('main [role="alert"]').getByText(/Mật khẩu hoặc mã xác thực không đúng/).waitFor();

    await page.getByLabel('Mật khẩu', { exact: true }).fill(OFFICER_PASSWORD);
    await code.fill(await freshCode(totpSecret, steps));
    await page.locator('main').getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/tai-khoan$/);
    assert.equal(await page.locator('#account-role').innerText(), 'Cán bộ tiếp nhận');
  });

  test('with a second factor, changing the password leads back to sign-in, login filled in', async () => {
    const page = officerPage;
    await page.getByLabel('Mật khẩu hiện tại').fill('not the password at all');
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill('cay da dau dinh lang xua');
    await page.getByLabel('Nhập lại mật khẩu mới').fill('cay da dau dinh lang xua');
    await page.getByRole('button', { name: 'Đổi mật khẩu', exact: true }).click();
    await page.locator('#pw-current-error').getByText('Mật khẩu hiện tại không đúng').waitFor();

    await page.getByLabel('Mật khẩu hiện tại').fill(officerPassword);
    await page.getByRole('button', { name: 'Đổi mật khẩu', exact: true }).click();
    officerPassword = 'cay da dau dinh lang xua';
    await page.waitForURL(/\/dang-nhap$/);
    await page.getByText('Mật khẩu đã được đổi. Vui lòng đăng nhập lại bằng mật khẩu mới.').waitFor();
    assert.equal(await page.getByLabel('Tên đăng nhập').inputValue(), OFFICER.login);
    await page.getByLabel('Mật khẩu', { exact: true }).fill(officerPassword);
    await page.locator('main').getByRole('button', { name: 'Đăng nhập' }).click();
    const code = page.getByLabel('Mã xác thực (6 chữ số)');
    await code.fill(await freshCode(totpSecret, steps));
    await page.locator('main').getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(/\/tai-khoan$/);
    assert.equal(await page.locator('#account-role').innerText(), 'Cán bộ tiếp nhận');
  });

  test('the administrator disables, enables and resets the officer (new password shown once)', async () => {
    const page = adminPage;
    await signInThroughPage(page, ADMIN.login, ADMIN.password);
    await page.waitForURL(/\/tai-khoan$/);
    await page.goto(server.url + '/quan-tri/tai-khoan');
    const row = page.locator(`tr[data-login="${OFFICER.login}"]`);
    await row.waitFor();
    assert.match(await row.innerText(), /Có xác thực hai lớp/);
    assert.doesNotMatch(await row.innerText(), /Chưa đổi mật khẩu ban đầu/);
    // No disable button on one's own row.
    assert.equal(await page.locator(`tr[data-login="${ADMIN.login}"]`).getByRole('button', { name: /Vô hiệu hóa/ }).count(), 0);

    await row.getByRole('button', { name: `Vô hiệu hóa tài khoản ${OFFICER.login}` }).click();
    await page.getByText(`Vô hiệu hóa tài khoản ${OFFICER.login}? Mọi phiên đăng nhập`).waitFor();
    await page.locator('.confirm-row').getByRole('button', { name: `Vô hiệu hóa tài khoản ${OFFICER.login}` }).click();
    await page.getByText(`Đã vô hiệu hóa tài khoản ${OFFICER.login}.`).waitFor();
    await row.getByText('Đã vô hiệu hóa').waitFor();

    // The officer's open session has ended: the next page load asks to sign in.
    await officerPage.reload();
    await officerPage.getByText('Bạn cần đăng nhập để xem trang này.').waitFor();

    await row.getByRole('button', { name: `Kích hoạt lại tài khoản ${OFFICER.login}` }).click();
    await page.getByText(`Đã kích hoạt lại tài khoản ${OFFICER.login}.`).waitFor();
    await row.getByText('Đang hoạt động').waitFor();

    await row.getByRole('button', { name: `Đặt lại mật khẩu tài khoản ${OFFICER.login}` }).click();
    await page.locator('.confirm-row').getByRole('button', { name: `Đặt lại mật khẩu tài khoản ${OFFICER.login}` }).click();
    const box = page.locator('.secret-box');
    await box.getByRole('heading', { name: `Mật khẩu ban đầu của ${OFFICER.login}` }).waitFor();
    const fresh = (await box.locator('#initial-password').innerText()).trim();
    assert.match(fresh, /^[a-z2-9]{5}(-[a-z2-9]{5}){3}$/);
    assert.notEqual(fresh, initialPassword);
    await row.getByText('Chưa đổi mật khẩu ban đầu').waitFor();
    await box.getByRole('button', { name: 'Đã ghi lại, ẩn mật khẩu' }).click();
    assert.equal(await page.locator('.secret-box').count(), 0, 'shown once: gone when dismissed');
    await page.reload();
    await row.waitFor();
    assert.equal(await page.locator('#initial-password').count(), 0, 'not shown again after a reload');
  });

  test('a locked account is told how many seconds to wait', async () => {
    const login = `khoa${run}`;
    const created = await api('/api/v1/accounts', {
      method: 'POST',
      body: { login, display_name: 'Tài khoản sẽ bị khóa', role: 'citizen', password: 'mat-khau-dung-roi' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    // Five failures in a row lock the account.
    for (let i = 0; i < 5; i++) {
      const res = await fetch(server.url + '/api/v1/auth/sign-in', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ login, password: `sai-${i}` }),
      });
      assert.ok([401, 429].includes(res.status), String(res.status));
    }
    const page = await newPage();
    await signInThroughPage(page, login, 'mat-khau-dung-roi');
    const alert = page.locator('main [role="alert"]');
    await alert.getByText('Tạm thời chưa thể đăng nhập').waitFor();
    assert.match(await alert.innerText(), /Tài khoản tạm khóa do nhập sai nhiều lần; thử lại sau \d+ giây/);
    await page.getByRole('button', { name: /English/ }).click();
    await alert.getByText(/try again in \d+ seconds/).waitFor();
    assert.match(page.url(), /\/dang-nhap$/);

    // The administrators' list shows the lock, and "Unlock" lifts it.
    await adminPage.goto(server.url + '/quan-tri/tai-khoan');
    const row = adminPage.locator(`tr[data-login="${login}"]`);
    await row.getByText(/Tạm khóa đến/).waitFor();
    await row.getByRole('button', { name: `Mở khóa tài khoản ${login}` }).click();
    await row.getByText('Đang hoạt động').waitFor();
    await page.locator('main').getByRole('button', { name: 'Sign in' }).waitFor();
    await page.getByLabel('Password', { exact: true }).fill('mat-khau-dung-roi');
    await page.locator('main').getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/tai-khoan$/);
    await page.getByRole('heading', { level: 1, name: 'Your account' }).waitFor();
    assert.equal(await page.locator('#account-role').innerText(), 'Citizen or organisation');
    await page.context().close();
  });

  test('the administrator changes the password on the account page and stays signed in', async () => {
    const page = adminPage;
    await page.goto(server.url + '/tai-khoan');
    await page.getByLabel('Mật khẩu hiện tại').fill(ADMIN.password);
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill('123456789');
    await page.getByLabel('Nhập lại mật khẩu mới').fill('123456789');
    await page.getByRole('button', { name: 'Đổi mật khẩu', exact: true }).click();
    await page.locator('#pw-new-error').getByText('Mật khẩu phải có ít nhất 10 ký tự').waitFor();
    await page.getByRole('button', { name: /English/ }).click();
    await page.locator('#pw-new-error').getByText('The password must have at least 10 characters').waitFor();
    await page.getByRole('button', { name: /Tiếng Việt/i }).click();

    const next = 'thay-mat-khau-quan-tri-moi';
    await page.getByLabel('Mật khẩu mới', { exact: true }).fill(next);
    await page.getByLabel('Nhập lại mật khẩu mới').fill(next);
    await page.getByRole('button', { name: 'Đổi mật khẩu', exact: true }).click();
    await page.getByText('Đã đổi mật khẩu. Các phiên đăng nhập khác của bạn đã kết thúc.').waitFor();
    ADMIN.password = next;
    assert.match(page.url(), /\/tai-khoan$/);
    assert.equal(await page.getByLabel('Mật khẩu hiện tại').inputValue(), '', 'the form is emptied');
    // Still signed in (a new session): a reload shows the account, and admin pages work.
    await page.reload();
    await page.locator('.site-header').getByRole('link', { name: `Tài khoản: ${ADMIN.login}` }).waitFor();
    await page.goto(server.url + '/quan-tri/tai-khoan');
    await page.locator(`tr[data-login="${ADMIN.login}"]`).waitFor();
  });

  test('admin accounts page at 375 px, English, large text: readable, no axe violations', async () => {
    // Same session, separate profile, so that the language and text size chosen here stay here.
    const context = await browser.newContext({
      viewport: { width: 375, height: 800 },
      bypassCSP: true,
      storageState: await adminPage.context().storageState(),
    });
    await context.addInitScript(() => {
      localStorage.setItem('motcua.lang', 'en');
      localStorage.setItem('motcua.largeText', '1');
    });
    const page = await context.newPage();
    await page.goto(server.url + '/quan-tri/tai-khoan');
    await page.getByRole('heading', { level: 1, name: 'Account administration' }).waitFor();
    const row = page.locator(`tr[data-login="${OFFICER.login}"]`);
    await row.waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
    // The row's buttons are on screen without scrolling sideways.
    const box = await row.getByRole('button', { name: `Reset password account ${OFFICER.login}` }).boundingBox();
    assert.ok(box && box.x + box.width <= 375, JSON.stringify(box));
    const bad = await axeCheck(page, 'admin accounts en large 375');
    assert.deepEqual(bad.map((v) => v.id), []);
    await shot(page, 'identity-admin-accounts-en-375-large');
    await context.close();
  });

  test('sign out everywhere ends the other sessions too', async () => {
    const other = await newPage();
    await signInThroughPage(other, ADMIN.login, ADMIN.password);
    await other.waitForURL(/\/tai-khoan$/);
    await adminPage.goto(server.url + '/tai-khoan');
    await adminPage.getByRole('button', { name: 'Đăng xuất khỏi mọi thiết bị' }).click();
    await adminPage.waitForURL(/\/dang-nhap$/);
    await adminPage.getByText('Bạn đã đăng xuất khỏi mọi thiết bị.').waitFor();
    await other.reload();
    await other.getByText('Bạn cần đăng nhập để xem trang này.').waitFor();
    await other.context().close();
  });

  test('sign-in page: large text, English, 320 px: no horizontal scrolling, no axe violations', async () => {
    const page = await newPage({ width: 320, height: 640, bypassCSP: true, lang: 'en' });
    await page.goto(server.url + '/dang-nhap');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: /Large text/ }).click();
    await headerReady(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
    const bad = await axeCheck(page, 'sign-in en large 320');
    assert.deepEqual(bad.map((v) => v.id), []);
    await shot(page, 'identity-sign-in-en-320-large');
    await page.context().close();
  });

  after(async () => {
    await adminPage?.context().close();
    await officerPage?.context().close();
  });
});

test('too many failed sign-ins from one address: the page says how long to wait', async () => {
  const limited = await startServer({ env: { MOTCUA_SIGN_IN_BURST: '2' } });
  const page = await newPage();
  try {
    await page.goto(limited.url + '/dang-nhap');
    for (let i = 0; i < 3; i++) {
      await page.getByLabel('Tên đăng nhập').fill('khongco');
      await page.getByLabel('Mật khẩu', { exact: true }).fill(`sai-${i}`);
      const [res] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/sign-in')),
        page.locator('main').getByRole('button', { name: 'Đăng nhập' }).click(),
      ]);
      assert.equal(res.status(), i < 2 ? 401 : 429);
      await page.locator('main [role="alert"]').waitFor();
    }
    const alert = page.locator('main [role="alert"]');
    await alert.getByText('Tạm thời chưa thể đăng nhập').waitFor();
    assert.match(await alert.innerText(), /Quá nhiều lần đăng nhập sai từ địa chỉ này; thử lại sau \d+ giây/);
  } finally {
    await page.context().close();
    await limited.stop();
  }
});
