import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { en } from '../../src/core/words/en.js';
import { appMention, FakeSlack, postSigned, postSignedEvent, type ResponsePost, slashCommand } from '../slack/fake-slack.js';
import { freePort, startPostgres, type TestPostgres } from '../support/postgres.js';

/*
 * Two replicas as an operator runs them: two `npm start` processes (the built main.js) in
 * Slack's HTTP mode, each with its own DATA_DIR and CACHE_DIR, sharing nothing but
 * DATABASE_URL. The first seeds the shared corpus from its CORPUS_DIR; a file a team adds
 * through one replica is served by the other; a file the operator publishes with
 * `npm run corpus:publish` reaches both; the database restarted mid-traffic loses nothing
 * acknowledged, and both replicas recover by themselves.
 */

const BOT_TOKEN = 'xoxb-1-replica-bot-token';
const SECRET = 'replica-signing-secret-0123456789';
/** The most a file added through one replica may take to be served by the other (the figure). */
const SERVED_WITHIN_MS = 5_000;
const CONTINUATION = '已经在多个国家展开';
/** Each test essay's one phrase and its author. */
const AUTHOR_OF: Record<string, string> = { 量子外交试验: '李四', 海底光缆安全: '王五', 深海资源共治: '赵六' };
const essay = (title: string, author: string, phrase: string) => `${title}\n\n${author}\n\n${phrase}${CONTINUATION}，其规则尚在形成之中。\n`;

interface Replica {
  child: ChildProcess;
  url: string;
  logs: string[];
}

let pg: TestPostgres;
let fake: FakeSlack;
let url: string;
const folders: string[] = [];
const replicas: Replica[] = [];
let n = 0;

async function folder(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

/** `npm start` (the built main.js) in Slack's HTTP mode on a port of its own, with its own DATA_DIR and CACHE_DIR. */
async function startMain(port: number, env: Record<string, string>): Promise<ChildProcess> {
  return spawn(process.execPath, ['dist/src/main.js'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: fake.apiUrl,
      PORT: String(port),
      DATA_DIR: await folder('yz-replica-data-'),
      CACHE_DIR: await folder('yz-replica-cache-'),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Starts a replica; resolves once it says it is connected to Slack. */
async function startReplica(corpusDir: string): Promise<Replica> {
  const port = await freePort();
  const child = await startMain(port, { DATABASE_URL: url, CORPUS_DIR: corpusDir, RATE_LIMIT_BURST: '1000', LOG_LEVEL: 'info' });
  const replica: Replica = { child, url: `http://127.0.0.1:${port}/slack/events`, logs: [] };
  replicas.push(replica);
  // The log is JSON lines on stderr (src/logger.ts).
  let buffered = '';
  const connected = new Promise<void>((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        replica.logs.push(line);
        if (line.includes('"connected to Slack"')) resolve();
      }
    });
    child.stdout?.on('data', (chunk: Buffer) => replica.logs.push(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`replica exited (${code}):\n${replica.logs.join('\n')}`)));
  });
  await connected;
  return replica;
}

/** `/yinzheng <text>` to a replica; its answer's text. */
async function ask(replica: Replica, text: string): Promise<string> {
  const id = `replica-${++n}`;
  const sent = await postSigned(replica.url, slashCommand('/yinzheng', text, fake.responseUrl(id)), {
    secret: SECRET,
    timestamp: Math.floor(Date.now() / 1000),
  });
  expect(sent.status).toBe(200);
  const posts: ResponsePost[] = await fake.responses.until(1, (r) => r.id === id);
  return JSON.stringify(posts.map((p) => p.body));
}

/**
 * Whether an answer quotes the essay with `phrase`: its continuation and its author's name are
 * there, which a "nothing found" answer (that says the query back) never holds.
 */
const quotes = (answer: string, phrase: string) => answer.includes(CONTINUATION) && answer.includes(AUTHOR_OF[phrase] ?? '\0');

/** Asks until the answer holds `phrase`; the milliseconds that took. Fails past `withinMs`. */
async function untilServed(replica: Replica, phrase: string, withinMs: number): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (quotes(await ask(replica, `quote ${phrase} count:1`), phrase)) return performance.now() - started;
    if (performance.now() - started > withinMs) throw new Error(`"${phrase}" was not served within ${withinMs} ms`);
  }
}

/** `@yinzheng add` with a file, through a replica; resolves with the private answer's text. */
async function addThrough(replica: Replica, name: string, bytes: Uint8Array): Promise<string> {
  const file = fake.upload(name, bytes, 'text/plain');
  const ts = `17000${String(++n).padStart(5, '0')}.000100`;
  const sent = await postSignedEvent(replica.url, appMention('<@U0BOT> add', { ts, userId: 'U0ADMIN', files: [file] }), SECRET);
  expect(sent.status).toBe(200);
  const [posted] = await fake.messages.until(1, (m) => m.method === 'chat.postEphemeral' && JSON.stringify(m).includes(name));
  return JSON.stringify(posted);
}

beforeAll(async () => {
  pg = await startPostgres();
  url = pg.database('replicas');
  fake = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: 'xapp-1-unused' });
  fake.admins.add('U0ADMIN');
});

afterAll(async () => {
  for (const r of replicas) {
    if (r.child.exitCode === null) {
      r.child.kill('SIGTERM');
      await once(r.child, 'exit');
    }
  }
  await fake?.close();
  await pg?.destroy();
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
});

describe('two npm start replicas sharing only PostgreSQL', () => {
  it('serve one corpus, each other’s team files and the operator’s published files, through a database restart', async () => {
    const seed = await folder('yz-seed-');
    await copyFile(new URL('../fixtures/corpus/conventions.txt', import.meta.url), join(seed, 'conventions.txt'));
    const one = await startReplica(seed);
    // The second's own folder is not the corpus: the database's is, seeded by the first.
    const two = await startReplica(await folder('yz-unused-corpus-'));
    expect(one.logs.some((l) => l.includes('seeded it from the corpus folder'))).toBe(true);
    expect(two.logs.some((l) => l.includes('seeded it from the corpus folder'))).toBe(false);
    const start = (l: string) => l.includes('"database: connected"');
    expect(one.logs.some(start) && two.logs.some(start)).toBe(true);
    expect(one.logs.join('\n')).not.toContain(BOT_TOKEN);

    // A team's file added through one replica is served by the other.
    const first = await addThrough(one, 'team-essay.txt', new TextEncoder().encode(essay('团队文章', '李四', '量子外交试验')));
    expect(first).toContain(en.library.chat.added('team-essay.txt'));
    expect(await untilServed(two, '量子外交试验', SERVED_WITHIN_MS)).toBeLessThan(SERVED_WITHIN_MS);

    // The operator publishes a folder: both replicas serve its new file.
    const published = await folder('yz-published-');
    await copyFile(join(seed, 'conventions.txt'), join(published, 'conventions.txt'));
    await writeFile(join(published, 'operator.txt'), essay('运营者文章', '王五', '海底光缆安全'));
    const run = await promisify(execFile)(process.execPath, ['dist/scripts/corpus-publish.js', '--corpus', published], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, DATABASE_URL: url },
    });
    expect(run.stdout).toContain(en.operator.database.publish.published(1, 0, 0));
    for (const r of [one, two]) expect(await untilServed(r, '海底光缆安全', SERVED_WITHIN_MS)).toBeLessThan(SERVED_WITHIN_MS);
    // After a reload, a team sees the operator's essays until its own library is put together
    // again over them (serve.ts), which the first answer with the new file may come before:
    // each replica serves the team's file again before the database goes away.
    for (const r of [one, two]) expect(await untilServed(r, '量子外交试验', SERVED_WITHIN_MS)).toBeLessThan(SERVED_WITHIN_MS);

    // The database restarts in the middle of traffic: answers keep coming from memory, an add
    // made meanwhile is acknowledged once it is kept, and the other replica serves it.
    await pg.stop();
    expect(quotes(await ask(two, 'quote 量子外交试验 count:1'), '量子外交试验')).toBe(true);
    const during = addThrough(two, 'during-outage.txt', new TextEncoder().encode(essay('停机期间', '赵六', '深海资源共治')));
    expect(quotes(await ask(one, 'quote 海底光缆安全 count:1'), '海底光缆安全')).toBe(true);
    await pg.start();
    expect(await during).toContain(en.library.chat.added('during-outage.txt'));
    expect(await untilServed(one, '深海资源共治', SERVED_WITHIN_MS)).toBeLessThan(SERVED_WITHIN_MS);
    for (const r of [one, two]) expect(r.child.exitCode).toBeNull();
  }, 120_000);

  it('a database it cannot reach at start: one line naming DATABASE_URL and what failed, exit code 1, no password', async () => {
    const port = await freePort();
    const child = await startMain(await freePort(), { DATABASE_URL: `postgres://yinzheng:hunter2-secret@127.0.0.1:${port}/nowhere`, LOG_LEVEL: 'silent' });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const [code] = (await once(child, 'close')) as [number | null];
    expect(code).toBe(1);
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^DATABASE_URL: /u);
    expect(lines[0]).toContain(`127.0.0.1:${port}/nowhere`);
    expect(lines[0]).toContain('ECONNREFUSED');
    expect(stderr).not.toContain('hunter2-secret');
    expect(stderr).not.toMatch(/\n\s+at /u);
  });
});
