import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { cleanName, downloadFile, INTAKE_LIMITS, type IntakeLimits, isCleanName, judge, sniffType, TEXT_MAX_BYTES } from '../../../src/core/library/intake.js';
import { type FakeFiles, startFakeFiles } from './fake-files.js';

const PDF = readFileSync(new URL('../../fixtures/articles/chromium-article.pdf', import.meta.url));
const TXT = readFileSync(new URL('../../fixtures/corpus/conventions.txt', import.meta.url));
const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(256, 0x90)]);

/** Small limits, so that "too large" takes kilobytes, not 50 MB: the PDF fixture fits, twice it does not. */
const LIMITS: IntakeLimits = { pdfBytes: 300_000, txtBytes: 100_000, timeoutMs: 5_000 };

let fake: FakeFiles;
beforeAll(async () => {
  fake = await startFakeFiles();
});
afterAll(() => fake.close());

describe('the loopback file hosts are as strict as the platforms', () => {
  test('Discord’s CDN serves an attachment only at its signed URL', async () => {
    const url = fake.discordAttachment('a.txt', TXT);
    expect(Buffer.from(await (await fetch(url)).arrayBuffer())).toEqual(TXT);
    const unsigned = await fetch(url.split('?')[0] as string);
    expect([unsigned.status, await unsigned.text()]).toEqual([404, 'This content is no longer available.']);
  });

  test('Slack serves url_private_download only with the bot token; without it, its sign-in page', async () => {
    const url = fake.slackFile('a.txt', TXT);
    const withToken = await fetch(url, { headers: { Authorization: `Bearer ${fake.slackToken}` } });
    expect(withToken.headers.get('content-length')).toBe(String(TXT.byteLength));
    expect(Buffer.from(await withToken.arrayBuffer())).toEqual(TXT);
    const without = await fetch(url, { redirect: 'manual' });
    expect([without.status, without.headers.get('location')]).toEqual([302, `/signin?redir=${encodeURIComponent(new URL(url).pathname)}`]);
    const wrong = await fetch(url, { headers: { Authorization: 'Bearer xoxb-another' } });
    expect([wrong.status, wrong.headers.get('content-type'), (await wrong.text()).startsWith('<!DOCTYPE html>')]).toEqual([
      200,
      'text/html; charset=utf-8',
      true,
    ]);
  });
});

describe('downloadFile', () => {
  test('a PDF from Discord’s CDN and a text file from Slack with the bot token are accepted, typed by their bytes', async () => {
    const pdf = await downloadFile({ url: fake.discordAttachment('中国外交 2024.pdf', PDF), name: '中国外交 2024.pdf', limits: LIMITS });
    expect(pdf).toEqual({ ok: true, file: { name: '中国外交 2024.pdf', type: 'pdf', bytes: PDF } });
    const txt = await downloadFile({
      url: fake.slackFile('conventions.txt', TXT),
      headers: { Authorization: `Bearer ${fake.slackToken}` },
      name: 'conventions.txt',
      limits: LIMITS,
    });
    expect(txt).toEqual({ ok: true, file: { name: 'conventions.txt', type: 'txt', bytes: TXT } });
  });

  test('Slack without the bot token: its sign-in page is refused, not kept as text', async () => {
    const result = await downloadFile({ url: fake.slackFile('conventions.txt', TXT), name: 'conventions.txt', limits: LIMITS });
    expect(result).toEqual({
      ok: false,
      code: 'webPage',
      message:
        'The platform sent a web page (a sign-in page?) instead of the file. Try again; if it keeps happening, the bot’s operator should check that the bot may read files (on Slack, the files:read scope).',
    });
  });

  test('over the limit by Content-Length: refused before the body is read', async () => {
    // The host sends 16 bytes and holds the connection: reading on would end in the time limit.
    const url = fake.discordAttachment('big.pdf', PDF, { delivery: { declared: 400_000 } });
    const result = await downloadFile({ url, name: 'big.pdf', limits: { ...LIMITS, timeoutMs: 10_000 } });
    expect(result).toEqual({
      ok: false,
      code: 'tooLarge',
      message: 'This file is over the 0.3 MB a file may have. Split it into issues or essays and add each.',
    });
  });

  test('over the limit without a Content-Length: the streamed cap stops an endless body', async () => {
    const url = fake.discordAttachment('endless.txt', TXT, { delivery: 'endless' });
    const result = await downloadFile({ url, name: 'endless.txt', limits: { ...LIMITS, timeoutMs: 10_000 } });
    expect(result).toEqual({
      ok: false,
      code: 'tooLarge',
      message: 'This file is over the 0.1 MB a text file may have. Split it into issues or essays and add each.',
    });
  });

  test('a text file over the text limit but under the PDF limit, sent chunked: capped at the text limit', async () => {
    const big = Buffer.alloc(LIMITS.txtBytes + 1, 0x61);
    const url = fake.discordAttachment('long.txt', big, { delivery: 'chunked' });
    const probe = await fetch(url);
    expect(probe.headers.get('content-length')).toBeNull();
    await probe.body?.cancel();
    const result = await downloadFile({ url, name: 'long.txt', limits: LIMITS });
    expect(result.ok ? null : result.code).toBe('tooLarge');
    const fits = await downloadFile({ url: fake.discordAttachment('fits.txt', big.subarray(1), { delivery: 'chunked' }), name: 'fits.txt', limits: LIMITS });
    expect(fits.ok && fits.file.bytes.byteLength).toBe(LIMITS.txtBytes);
  });

  test('a download that never ends: the time limit fires', async () => {
    const url = fake.discordAttachment('slow.pdf', PDF, { delivery: 'stall' });
    const started = performance.now();
    const result = await downloadFile({ url, name: 'slow.pdf', limits: { ...LIMITS, timeoutMs: 200 } });
    expect(result).toEqual({ ok: false, code: 'timeout', message: 'The file did not finish downloading within 0.2 s. Try again, or add a smaller file.' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  test('an executable named .pdf is refused by its bytes', async () => {
    const result = await downloadFile({ url: fake.discordAttachment('issue.pdf', ELF), name: 'issue.pdf', limits: LIMITS });
    expect(result).toEqual({
      ok: false,
      code: 'notEssay',
      message:
        'This file is neither a PDF nor UTF-8 text (its bytes say so, whatever its name says). Add the journal’s PDF, or the text saved as UTF-8 (.txt).',
    });
  });

  test('a host that answers 404, and one that is not there', async () => {
    const gone = await downloadFile({ url: `${fake.discordAttachment('x.txt', TXT).split('?')[0]}?ex=1&is=2&hm=3`, name: 'x.txt', limits: LIMITS });
    expect(gone).toEqual({ ok: false, code: 'http', message: 'The file could not be fetched (HTTP 404). Upload it again and retry.' });
    const nowhere = await downloadFile({ url: 'http://127.0.0.1:1/none.txt', name: 'none.txt', limits: LIMITS });
    expect(nowhere.ok ? null : nowhere.code).toBe('unreachable');
  });

  test('a redirect to another host does not take the bot token along', async () => {
    const seen: Array<string | undefined> = [];
    const other = createServer((req, res) => {
      seen.push(req.headers.authorization);
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(TXT);
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${(other.address() as AddressInfo).port}/file.txt`;
    const redirecting = createServer((_req, res) => res.writeHead(302, { Location: target }).end());
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/files-pri/T0-F1/download/a.txt`;
      const result = await downloadFile({ url, headers: { Authorization: `Bearer ${fake.slackToken}` }, name: 'a.txt', limits: LIMITS });
      expect([result.ok, seen]).toEqual([true, [undefined]]);
    } finally {
      for (const server of [other, redirecting]) {
        server.closeAllConnections();
        server.close();
      }
    }
  });

  test('a refusal speaks the requester’s language', async () => {
    const result = await downloadFile({ url: fake.discordAttachment('issue.pdf', ELF), name: 'issue.pdf', limits: LIMITS, locale: 'zh-CN' });
    expect(result.ok ? null : result.message).toBe(
      '此文件既不是 PDF 也不是 UTF-8 文本（由文件内容判断，与文件名无关）。请添加期刊的 PDF，或另存为 UTF-8 的文本（.txt）。',
    );
  });
});

describe('the type comes from the bytes', () => {
  test.each([
    ['a PDF header', Buffer.from('%PDF-1.7\n'), 'pdf'],
    ['UTF-8 text', Buffer.from('数字治理'), 'txt'],
    ['an ELF executable', ELF, null],
    ['a Windows executable', Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), null],
    ['GB18030 text', Buffer.from([0xca, 0xfd, 0xd7, 0xd6]), null],
    ['text with a NUL', Buffer.from('ab\0cd'), null],
    ['a ZIP archive', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00]), null],
  ])('%s', (_what, bytes, type) => {
    expect(sniffType(bytes)).toBe(type);
  });

  test('a text file named .pdf becomes .txt; a PDF named .txt becomes .pdf', () => {
    expect(judge(TXT, { name: 'essay.pdf' })).toMatchObject({ ok: true, file: { name: 'essay.txt', type: 'txt' } });
    expect(judge(PDF, { name: 'essay.txt' })).toMatchObject({ ok: true, file: { name: 'essay.pdf', type: 'pdf' } });
  });

  test('an empty file and an HTML page are refused', () => {
    expect(judge(new Uint8Array(0), { name: 'a.txt' })).toMatchObject({ ok: false, code: 'empty' });
    expect(judge(Buffer.from('  <html><body>hi</body></html>'), { name: 'a.txt' })).toMatchObject({ ok: false, code: 'webPage' });
  });

  test('the limits are the PDF reader’s and 10 MB of text', () => {
    expect(INTAKE_LIMITS).toEqual({ pdfBytes: 50 * 1024 * 1024, txtBytes: 10 * 1024 * 1024, timeoutMs: 120_000 });
    expect(TEXT_MAX_BYTES).toBe(10 * 1024 * 1024);
  });
});

describe('cleanName', () => {
  test.each([
    ['../../etc/passwd', 'txt', 'passwd.txt'],
    ['..\\..\\windows\\evil.pdf', 'pdf', 'evil.pdf'],
    ['..', 'pdf', 'file.pdf'],
    ['...pdf', 'pdf', 'file.pdf'],
    ['.hidden.txt', 'txt', 'hidden.txt'],
    ['a\u0000b\u0007c\u001b[31m\u007f\u0085.pdf', 'pdf', 'abc[31m.pdf'],
    ['report\u202Efdp.exe', 'pdf', 'reportfdp.exe.pdf'],
    ['a..b.txt', 'txt', 'a.b.txt'],
    ['manifest.json', 'txt', 'manifest.json.txt'],
    ['issue: 1 | 2?.pdf', 'pdf', 'issue_ 1 _ 2_.pdf'],
    ['  tabs\tand\nlines  .pdf', 'pdf', 'tabsandlines.pdf'],
    ['中国外交 2024 年第 3 期.PDF', 'pdf', '中国外交 2024 年第 3 期.pdf'],
  ] as const)('%j → %s', (name, type, clean) => {
    expect(cleanName(name, type)).toBe(clean);
    expect(isCleanName(clean)).toBe(true);
  });

  test('long names are cut to 80 characters and 240 bytes of the stem', () => {
    const long = cleanName(`${'字'.repeat(200)}.pdf`, 'pdf');
    expect(long).toBe(`${'字'.repeat(76)}.pdf`);
    const astral = cleanName(`${'𠀀'.repeat(200)}.txt`, 'txt');
    expect([Array.from(astral).length, Buffer.byteLength(astral)]).toEqual([64, 240 + 4]);
    expect(isCleanName(long) && isCleanName(astral)).toBe(true);
  });

  test('names no cleaning makes are not clean', () => {
    for (const name of ['../a.pdf', '.a.pdf', 'a.exe', 'manifest.json', 'a\nb.txt', '']) expect(isCleanName(name)).toBe(false);
  });
});
