import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, test } from 'vitest';
import { registry } from '../../commands/index.js';
import { PROMPT, runConsole } from '../../src/console/console.js';
import { renderReply } from '../../src/console/render.js';
import { loadCorpus } from '../../src/core/corpus/load.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { botOver, requester } from '../support/bot.js';

const who = requester('en', 'console', 'console');
let bot: Bot;

beforeAll(async () => {
  const corpus = await loadCorpus('data/essays');
  bot = botOver(corpus);
});

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on('data', (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString('utf8');
}

/** What the console prints for one line: the rendered reply and a blank line. */
function answer(line: string, width = 80): string {
  return `${renderReply(bot.runLine(line, who), { width, color: false, locale: 'en', commands: registry })}\n\n`;
}

describe('runConsole reading a pipe', () => {
  test('answers each line, with or without the slash, skips empty lines and ends at EOF', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const text = collect(output);
    const done = runConsole(bot, { input, output, color: false, width: 80, interactive: false });
    input.end('/quote 智能鸿沟\n\n   \nessays\n/help cite\n');
    await done;
    expect(text()).toBe(answer('/quote 智能鸿沟') + answer('essays') + answer('/help cite'));
    expect(text()).toContain('│ “智能鸿沟”的存在与扩大');
    expect(text()).not.toContain(PROMPT);
  });

  test('stops at exit or quit without waiting for the end of the input', async () => {
    for (const word of ['exit', 'quit', '/quit']) {
      const input = new PassThrough();
      const output = new PassThrough();
      const text = collect(output);
      const done = runConsole(bot, { input, output, color: false, width: 80, interactive: false });
      input.write(`essays\n${word}\n/help\n`);
      await done;
      expect(text()).toBe(answer('essays'));
    }
  });

  test('a bad line answers with its message and the console goes on', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const text = collect(output);
    const done = runConsole(bot, { input, output, color: false, width: 80, interactive: false });
    input.end('/quote ！？\nfrobnicate\nessays\n');
    await done;
    expect(text()).toBe(
      `/quote query has no letters or digits: type words from the essays.\n\nThere is no such command. Try /help for the list.\n\n${answer('essays')}`,
    );
  });

  test('wraps to the width it is given and colours only when asked', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const text = collect(output);
    const done = runConsole(bot, { input, output, color: true, width: 40, interactive: false });
    input.end('/quote 智能鸿沟 count:1\n');
    await done;
    expect(text()).toContain('\u001b[1;33m智能鸿沟\u001b[0m');
    expect(text()).toBe(`${renderReply(bot.runLine('/quote 智能鸿沟 count:1', who), { width: 40, color: true, locale: 'en', commands: registry })}\n\n`);
  });
});

describe('runConsole at a terminal', () => {
  test('greets, prompts before each line and after each answer, and leaves at exit', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const text = collect(output);
    const done = runConsole(bot, { input, output, color: false, width: 80, interactive: true });
    input.write('/essays\r');
    input.write('exit\r');
    await done;
    const out = text();
    expect(out).toMatch(/^yinzheng — type \/help for the commands, exit to leave\.\n/u);
    expect(out.split(PROMPT).length - 1).toBe(2);
    expect(out).toContain(answer('/essays').trimEnd().split('\n')[0] as string);
    expect(out).toContain('Passage IDs: chen-zhimin-ylph.1–chen-zhimin-ylph.16');
  });
  test('Ctrl+C leaves the console', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const done = runConsole(bot, { input, output, color: false, width: 80, interactive: true });
    input.write('\u0003');
    await done;
    expect(input.listenerCount('keypress')).toBe(0);
  });
});

describe('npm start without chat tokens', () => {
  test('answers a piped command and exits', async () => {
    const child = spawn(process.execPath, ['dist/src/main.js'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: '1' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stdin.end('/quote 智能鸿沟\n');
    const [code] = (await once(child, 'exit')) as [number | null];
    const stdout = Buffer.concat(out).toString('utf8');
    expect(code).toBe(0);
    expect(stdout).toContain('│ “智能鸿沟”的存在与扩大');
    expect(stdout).toContain('— 陈志敏（复旦大学国际关系与公共事务学院教授、全球人工智能创新治理中心执行主任）');
    expect(stdout).toContain('《引领普惠向善的人工智能全球治理：中国的角色》');
    expect(stdout).not.toContain('\u001b[');
  });
});
