// Browser tests of the citizen portal against the real server (see server.mjs, browser.mjs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { startServer, webDist } from './server.mjs';
import { axeCheck, launchBrowser, screenshot } from './browser.mjs';

const JS_BUDGET = 150 * 1024;

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  const code = await server?.stop();
  if (code !== 0 && code !== null) console.log(`server exit code ${code}; output:\n${server.output()}`);
});

/**
 * A fresh, isolated page (own localStorage) at the given width.
 * clientSide: load / and then route to `pathname` in the app (as a click would), so that a test of one
 * page does not also depend on the server's index.html fallback, which has its own test.
 * bypassCSP: needed to inject axe-core (the server sends a strict Content-Security-Policy).
 */
async function openPage(pathname = '/', { width = 1280, height = 900, clientSide = false, bypassCSP = false } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, locale: 'vi-VN', bypassCSP });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') console.log(`console error on ${pathname}: ${m.text()}`);
  });
  if (clientSide) {
    await page.goto(server.url + '/');
    await page.waitForSelector('main h1');
    await page.evaluate((p) => {
      history.pushState(null, '', p);
      dispatchEvent(new PopStateEvent('popstate'));
    }, pathname);
  } else {
    await page.goto(server.url + pathname);
  }
  await page.waitForSelector('main h1');
  return page;
}

/** Waits until the catalogue shows results for the current URL (no request in flight). */
async function settled(page) {
  await page.waitForSelector('section.results[aria-busy="false"]');
}

/** Types a query like a person and waits for its results. */
async function search(page, q) {
  const box = page.getByRole('searchbox');
  await box.fill('');
  await box.pressSequentially(q, { delay: 15 });
  await page.waitForFunction((q) => new URLSearchParams(location.search).get('q') === q, q);
  await settled(page);
}

async function resultNames(page) {
  return page.locator('.result-name').allInnerTexts();
}

async function totalShown(page) {
  const text = await page.locator('.result-count').innerText();
  const m = /\d+/.exec(text);
  return m ? Number(m[0]) : 0;
}

describe('catalogue search', () => {
  for (const q of ['dang ky tam tru', 'đăng ký tạm trú']) {
    test(`"${q}" finds Đăng ký tạm trú in the top 3 with a highlight`, async () => {
      const page = await openPage('/');
      await search(page, q);
      const names = (await resultNames(page)).slice(0, 3);
      const i = names.findIndex((n) => n.trim() === 'Đăng ký tạm trú');
      assert.ok(i >= 0, `top 3 were ${JSON.stringify(names)}`);
      const marks = await page.locator('.result-name').nth(i).locator('mark').count();
      assert.ok(marks > 0, 'matched words are in <mark>');
      assert.match(page.url(), /[?&]q=/);
      await page.context().close();
    });
  }

  test('"làm sổ đỏ" returns a land-use certificate procedure', async () => {
    const page = await openPage('/');
    await search(page, 'làm sổ đỏ');
    const names = (await resultNames(page)).slice(0, 5);
    assert.ok(
      names.some((n) => /Giấy chứng nhận|quyền sử dụng đất|đất đai/i.test(n)),
      `top 5 were ${JSON.stringify(names)}`,
    );
    await page.context().close();
  });

  test('a query that matches nothing surely shows the gentle note', async () => {
    const page = await openPage('/');
    await search(page, 'qwxz zzkq vvbb');
    await page.getByText('Không tìm thấy thủ tục phù hợp chắc chắn').waitFor();
    await page.context().close();
  });

  test('level filter narrows results, is kept in the URL, and back restores', async () => {
    const page = await openPage('/');
    await settled(page);
    const all = await totalShown(page);
    assert.ok(all > 0, 'the catalogue is not empty');
    await page.getByLabel('Cấp thực hiện').selectOption('central_police');
    await page.waitForFunction(() => location.search.includes('level=central_police'));
    await settled(page);
    const some = await totalShown(page);
    assert.ok(some < all, `level filter: ${some} < ${all}`);
    const badges = await page.locator('.result .badge-level').allInnerTexts();
    assert.ok(badges.every((b) => b === 'Công an Trung ương'), JSON.stringify(badges));
    await page.goBack();
    await page.waitForFunction(() => !location.search.includes('level='));
    await settled(page);
    assert.equal(await totalShown(page), all);
    assert.equal(await page.getByLabel('Cấp thực hiện').inputValue(), '');
    await page.context().close();
  });

  test('load more appends the next page', async () => {
    const page = await openPage('/');
    await settled(page);
    const total = await totalShown(page);
    if (total <= 20) return; // small catalogue: nothing to page
    assert.equal(await page.locator('.result').count(), 20);
    await page.getByRole('button', { name: 'Xem thêm' }).click();
    await page.waitForFunction(() => document.querySelectorAll('.result').length > 20);
    await page.context().close();
  });

  test('a link with ?q= restores the query in the box', async () => {
    const page = await openPage('/?q=' + encodeURIComponent('tạm trú'));
    await settled(page);
    assert.equal(await page.getByRole('searchbox').inputValue(), 'tạm trú');
    assert.ok((await resultNames(page)).some((n) => n.includes('tạm trú')));
    await page.context().close();
  });

  test('an API problem is shown in the current language', async () => {
    const page = await openPage('/?level=bogus');
    await page.locator('.error').waitFor();
    assert.match(await page.locator('.error').innerText(), /Yêu cầu không hợp lệ/);
    await page.getByRole('button', { name: /English/ }).click();
    assert.match(await page.locator('.error').innerText(), /Invalid request/);
    await page.context().close();
  });

  test('a network error shows a retry button that works', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    let fail = true;
    await page.route('**/api/v1/procedures?*', (route) => (fail ? route.abort('connectionrefused') : route.continue()));
    await page.goto(server.url + '/');
    const retry = page.getByRole('button', { name: 'Thử lại' });
    await retry.waitFor();
    assert.match(await page.locator('.error').innerText(), /Không kết nối được/);
    fail = false;
    await retry.click();
    await page.locator('.result').first().waitFor();
    await context.close();
  });
});

describe('procedure page', () => {
  test('clicking a result opens the procedure with documents and time limit; back keeps the query', async () => {
    const page = await openPage('/');
    await search(page, 'dang ky tam tru');
    await page.locator('.result-name a', { hasText: /^Đăng ký tạm trú$/ }).first().click();
    await page.waitForURL(/\/thu-tuc\/1\.004194$/);
    await page.getByRole('heading', { level: 1, name: 'Đăng ký tạm trú' }).waitFor();
    assert.ok((await page.locator('ol.documents li').count()) > 0, 'documents listed');
    const facts = await page.locator('.proc-facts').innerText();
    assert.match(facts, /Thời hạn giải quyết/);
    assert.match(facts, /ngày làm việc|Trong ngày|Chưa xác định/);
    assert.match(facts, /1\.004194/);
    await page.getByRole('link', { name: /Quay lại kết quả tìm kiếm/ }).click();
    await page.waitForFunction(() => location.pathname === '/' && location.search.includes('q='));
    assert.equal(await page.getByRole('searchbox').inputValue(), 'dang ky tam tru');
    await page.context().close();
  });

  test('direct load of /thu-tuc/1.004194 works (SPA fallback)', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const res = await page.goto(server.url + '/thu-tuc/1.004194');
    assert.equal(res.status(), 200, 'the server answers index.html for a client route whose last segment has a dot');
    await page.getByRole('heading', { level: 1, name: 'Đăng ký tạm trú' }).waitFor();
    assert.match(await page.locator('.proc-facts').innerText(), /15\.000 đ|Miễn phí|Chưa xác định/);
    await context.close();
  });

  test('an unknown code shows the not-found message', async () => {
    const page = await openPage('/thu-tuc/9.999999', { clientSide: true });
    await page.getByRole('heading', { level: 1, name: 'Không tìm thấy thủ tục' }).waitFor();
    assert.match(await page.locator('main').innerText(), /9\.999999/);
    await page.context().close();
  });

  test('an unknown route shows the not-found page', async () => {
    const page = await openPage('/khong-co-trang-nay');
    await page.getByRole('heading', { level: 1, name: 'Không tìm thấy trang' }).waitFor();
    await page.context().close();
  });
});

describe('service points', () => {
  test('lists service points and filters by kind', async () => {
    const page = await openPage('/diem-phuc-vu');
    await page.getByRole('heading', { level: 1, name: 'Điểm phục vụ' }).waitFor();
    await page.waitForFunction(() => !document.querySelector('.result-count')?.textContent?.includes('Đang tải'));
    const all = await page.locator('.card').count();
    if (all > 0) {
      await page.getByLabel('Loại điểm phục vụ').selectOption('centre_branch');
      await page.waitForFunction(() => location.search.includes('kind=centre_branch'));
      await page.waitForFunction(() => !document.querySelector('.result-count')?.textContent?.includes('Đang tải'));
      const kinds = await page.locator('.card .badge-level').allInnerTexts();
      assert.ok(kinds.every((k) => k === 'Chi nhánh Trung tâm'), JSON.stringify(kinds));
    }
    await page.context().close();
  });
});

describe('language, text size, keyboard', () => {
  test('switching to English shows English names and UI, and is remembered', async () => {
    const page = await openPage('/');
    await page.getByRole('button', { name: /English/ }).click();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.getByRole('heading', { level: 1, name: 'Find an administrative procedure' }).waitFor();
    await search(page, 'temporary residence');
    const names = (await resultNames(page)).slice(0, 3);
    assert.ok(names.includes('Temporary residence registration'), JSON.stringify(names));
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Find an administrative procedure' }).waitFor();
    await page.getByRole('button', { name: /tiếng việt/i }).click();
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'vi');
    await page.context().close();
  });

  test('large text scales the root font size and is remembered', async () => {
    const page = await openPage('/');
    const size = () => page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
    const before = await size();
    const toggle = page.getByRole('button', { name: /Chữ lớn/ });
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
    const larger = await size();
    assert.ok(larger >= before * 1.2, `${before} -> ${larger}`);
    await page.reload();
    await page.waitForSelector('main h1');
    assert.equal(await size(), larger);
    await page.context().close();
  });

  test('keyboard: the skip link comes first, then the search box', async () => {
    const page = await openPage('/');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'q');
    // Typing and Enter from the keyboard alone gives results.
    await page.keyboard.type('tạm trú');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => new URLSearchParams(location.search).get('q') === 'tạm trú');
    await settled(page);
    assert.ok((await page.locator('.result').count()) > 0);
    await page.context().close();
  });

  test('works at 320 px without horizontal scrolling', async () => {
    const page = await openPage('/?q=' + encodeURIComponent('đăng ký tạm trú'), { width: 320, height: 640 });
    await settled(page);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `page is ${overflow}px wider than the viewport`);
    await page.context().close();
  });
});

describe('accessibility (axe: no serious or critical violations)', () => {
  const cases = [
    ['home', '/', null],
    ['results', '/?q=' + encodeURIComponent('đăng ký tạm trú'), null],
    ['procedure', '/thu-tuc/1.004194', 'Đăng ký tạm trú'],
    ['service points', '/diem-phuc-vu', 'Điểm phục vụ'],
    ['not found', '/thu-tuc/9.999999', 'Không tìm thấy thủ tục'],
  ];
  for (const [label, url, h1] of cases) {
    test(label, async () => {
      const page = await openPage(url, { clientSide: url.startsWith('/thu-tuc/'), bypassCSP: true });
      if (h1) await page.getByRole('heading', { level: 1, name: h1 }).waitFor();
      else await settled(page);
      const bad = await axeCheck(page, label);
      assert.deepEqual(bad.map((v) => v.id), []);
      await page.context().close();
    });
  }

  test('results in English, large text', async () => {
    const page = await openPage('/?q=temporary+residence', { bypassCSP: true });
    await page.getByRole('button', { name: /English/ }).click();
    await page.getByRole('button', { name: /Large text/ }).click();
    await settled(page);
    const bad = await axeCheck(page, 'results en large');
    assert.deepEqual(bad.map((v) => v.id), []);
    await page.context().close();
  });
});

test('JS budget: gzip size of the JS loaded on first visit < 150 KB', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const scripts = new Set();
  page.on('response', (r) => {
    const u = new URL(r.url());
    if (u.pathname.endsWith('.js') || (r.headers()['content-type'] ?? '').includes('javascript')) scripts.add(u.pathname);
  });
  await page.goto(server.url + '/', { waitUntil: 'networkidle' });
  await page.waitForSelector('main h1');
  assert.ok(scripts.size > 0, 'some JS was loaded');
  let total = 0;
  for (const p of scripts) {
    const file = path.join(webDist, decodeURIComponent(p));
    const gz = gzipSync(readFileSync(file), { level: 9 }).length;
    console.log(`  ${p}: ${gz} bytes gzip`);
    total += gz;
  }
  console.log(`  first-load JS total: ${(total / 1024).toFixed(1)} KB gzip (budget ${JS_BUDGET / 1024} KB)`);
  assert.ok(total < JS_BUDGET, `${total} bytes`);
  await context.close();
});

describe('screenshots (saved to tests/e2e/screenshots/)', () => {
  const shots = [
    ['home-results', '/?q=' + encodeURIComponent('đăng ký tạm trú')],
    ['procedure', '/thu-tuc/1.004194'],
    ['not-found', '/thu-tuc/9.999999'],
    ['service-points', '/diem-phuc-vu'],
  ];
  for (const lang of ['vi', 'en']) {
    for (const width of [1280, 375]) {
      test(`${lang} ${width}px`, async () => {
        const context = await browser.newContext({ viewport: { width, height: 900 } });
        await context.addInitScript((l) => localStorage.setItem('motcua.lang', l), lang);
        const page = await context.newPage();
        for (const [name, url] of shots) {
          const res = await page.goto(server.url + url, { waitUntil: 'networkidle' });
          if (!res.ok()) {
            // Reach the page through the app if the server's fallback does not serve it (see its own test).
            await page.goto(server.url + '/', { waitUntil: 'networkidle' });
            await page.evaluate((p) => {
              history.pushState(null, '', p);
              dispatchEvent(new PopStateEvent('popstate'));
            }, url);
          }
          await page.waitForSelector('main h1');
          await page.waitForLoadState('networkidle');
          await screenshot(page, `${name}-${lang}-${width}`);
        }
        await context.close();
      });
    }
  }
});
