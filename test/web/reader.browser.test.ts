/// <reference lib="dom" />
// Functions passed to page.evaluate run in the browser, with its DOM.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PROJECT_ROOT } from '../../src/config.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { QuoteResult } from '../../src/core/reply/results.js';
import { replyToDiscord } from '../../src/discord/render.js';
import { startReaderServer } from '../../src/health.js';
import { createReader, type Reader } from '../../src/web/reader.js';
import { sign } from '../../src/web/sign.js';
import { botOver, requester } from '../support/bot.js';

/*
 * The passage reader in a real browser: Debian's chromium driven by playwright-core, opening
 * the link a real rendered Discord reply carries. Screenshots at desktop and phone width are
 * saved in test-output/ for a person to look at.
 */

const SECRET = 'test-reader-secret-0123456789';
const OUTPUT = join(PROJECT_ROOT, 'test-output');
const CHROMIUM = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => p && existsSync(p));
const en = requester('en', 'discord', 'reader-test');

/** An essay whose text tries to run a script and to reverse the text after it. */
const HOSTILE = `\f5

恶意文本的测试文章

赵测试

这一段包含<script>alert("x")</script>标签，还有一个反转控制符\u202E在这里结束。^①

① 测试来源，<https://example.org/a?b=1&c=<x>>。
`;

let browser: Browser;
let bot: Bot;
let reader: Reader;
let server: Awaited<ReturnType<typeof startReaderServer>>;
let base: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'yinzheng-reader-'));
  await copyFile(join(PROJECT_ROOT, 'test', 'fixtures', 'pdf', 'pdfkit-symposium.pdf'), join(dir, 'symposium.pdf'));
  await writeFile(join(dir, 'hostile.txt'), HOSTILE);
  const corpus = await loadCorpus(dir);
  server = await startReaderServer(0, (req, res) => reader.handle(req, res));
  base = `http://127.0.0.1:${server.port}`;
  reader = createReader({ bot: () => bot, publicUrl: base, access: 'signed', secret: SECRET, linkDays: 1 });
  bot = botOver(corpus, { links: reader });
  if (!CHROMIUM) throw new Error('chromium is not installed: npm test installs it (scripts/ensure-test-packages.mjs), or set CHROMIUM_PATH');
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  await mkdir(OUTPUT, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** The reader link of the first quote of a Discord reply, as the user sees it in the message. */
function linkFromDiscord(query: string): { url: string; quote: string } {
  const reply = bot.run('quote', { query, count: 1 }, en);
  const [result] = QuoteResult.array().parse(reply.results);
  const [message] = replyToDiscord(reply, { locale: 'en', ephemeral: false, customId: () => 'x' });
  const description = message?.embeds?.[0]?.description ?? '';
  const url = /\[Open in reader\]\(<([^>]+)>\)/u.exec(description)?.[1];
  if (!url || !result) throw new Error(`no reader link in the rendered reply:\n${description}`);
  return { url, quote: result.quote };
}

describe('the passage reader in chromium', () => {
  test('a quote’s link opens its essay with exactly the quoted words highlighted and in view; a marker’s link opens its note', async () => {
    const { url, quote } = linkFromDiscord('二十国集团与亚太经合组织');
    expect(url.startsWith(`${base}/p/`)).toBe(true);
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      const response = await page.goto(url);
      expect(response?.status()).toBe(200);
      const mark = page.locator('mark#quoted');
      expect(await mark.textContent()).toBe(quote.replace(/^…|…$/gu, ''));
      expect(await mark.evaluate((el) => el.getBoundingClientRect().top >= 0 && el.getBoundingClientRect().bottom <= window.innerHeight)).toBe(true);
      // The page number of the passage stands in the margin.
      expect(await page.locator('p.para:has(mark#quoted) .page').textContent()).toBe('18');
      await page.screenshot({ path: join(OUTPUT, 'reader-desktop.png'), fullPage: false });

      const marker = page.locator('p.para:has(mark#quoted) sup a').first();
      const href = await marker.getAttribute('href');
      expect(href).toMatch(/^#note-\d+$/u);
      await marker.click();
      await page.waitForURL((u) => u.hash === href);
      const note = page.locator(`${href}`);
      expect(await note.evaluate((el) => el.matches(':target'))).toBe(true);
      expect(await note.textContent()).toContain('https://www.un.org/global-digital-compact/');
      expect(await note.locator('a[href^="https://www.un.org/"]').getAttribute('rel')).toBe('noopener noreferrer nofollow');
    } finally {
      await page.close();
    }
  });

  test('at 375 px wide nothing scrolls sideways, Chinese chrome for a Chinese browser', async () => {
    const { url } = linkFromDiscord('也缺乏将本国经验');
    const page = await browser.newPage({ viewport: { width: 375, height: 740 }, locale: 'zh-CN', extraHTTPHeaders: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    try {
      await page.goto(url);
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      expect(await page.locator('.notes h2').textContent()).toBe('注释');
      await page.screenshot({ path: join(OUTPUT, 'reader-phone.png'), fullPage: false });
      await page.goto(reader.essayUrl('wang-haining-szsd'));
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
      await page.screenshot({ path: join(OUTPUT, 'reader-phone-essay.png'), fullPage: true });
    } finally {
      await page.close();
    }
  });

  test('an expired, a forged, an unsigned and a retargeted link get 403 with a plain message', async () => {
    const page = await browser.newPage();
    try {
      const id = 'wang-haining-szsd.3';
      const expires = Math.floor(Date.now() / 1000) - 60;
      const expired = `${base}/p/${id}?exp=${expires}&sig=${sign(SECRET, { target: `p/${id}`, span: '', expires })}`;
      let response = await page.goto(expired);
      expect(response?.status()).toBe(403);
      expect(await page.locator('main').textContent()).toContain('This link has expired');

      const good = new URL(reader.passageUrl(id, [0, 10]));
      for (const bad of [
        (() => {
          const u = new URL(good);
          u.searchParams.set('sig', `${(u.searchParams.get('sig') ?? '').slice(0, -2)}AA`);
          return u;
        })(),
        (() => {
          const u = new URL(good);
          u.searchParams.set('e', '200');
          return u;
        })(),
        new URL(`${base}/p/wang-haining-szsd.4${good.search}`),
        new URL(`${base}/e/wang-haining-szsd`),
        new URL(`${base}/`),
      ]) {
        response = await page.goto(bad.href);
        expect(response?.status()).toBe(403);
        expect(await page.locator('main').textContent()).toContain('opens only from a link the bot gave you');
      }
      response = await page.goto(good.href);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toContain("default-src 'none'");
    } finally {
      await page.close();
    }
  });

  test('hostile corpus text is shown as text: no script runs, a bidi control is shown, not obeyed', async () => {
    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    try {
      const essay = bot.run('essays', {}, en).results as Array<{ id: string; title: string }>;
      const hostile = essay.find((e) => e.title === '恶意文本的测试文章');
      expect(hostile).toBeDefined();
      await page.goto(reader.essayUrl(hostile?.id ?? ''));
      const paragraph = page.locator('p.para').first();
      expect(await paragraph.textContent()).toContain('<script>alert("x")</script>');
      expect(await paragraph.textContent()).toContain('U+202E');
      expect(await page.evaluate(() => document.scripts.length)).toBe(0);
      expect(await page.evaluate(() => document.body.innerHTML.includes('\u202E'))).toBe(false);
      expect(dialogs).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
