import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadCorpus } from '../src/core/corpus/load.js';
import { loadHere } from '../src/core/corpus/reload.js';
import { watchCorpus } from '../src/core/corpus/watch.js';
import { createIndex } from '../src/core/search/corpus-index.js';
import { createMetrics } from '../src/metrics.js';
import { botOver, quietLogger, requester } from './support/bot.js';
import { parsePrometheus } from './support/prometheus.js';

const sources = { version: '9.9.9', build: 'source', corpusVersion: () => null };

describe('the metrics', () => {
  test('a command no one has is counted as `unknown`, never under the name typed', async () => {
    const metrics = createMetrics(sources);
    const corpus = await loadCorpus('test/fixtures/corpus');
    const bot = botOver(corpus, { observe: metrics.request });
    bot.runLine('/zzqx-secret-text 智能', requester('en', 'discord', 'U1'));
    bot.runLine('/essays', requester('en', 'console', 'console'));
    const samples = parsePrometheus(await metrics.text());
    expect([...samples].filter(([series]) => series.startsWith('yinzheng_requests_total{'))).toEqual([
      ['yinzheng_requests_total{platform="discord",command="unknown",outcome="unknown_command"}', 1],
      ['yinzheng_requests_total{platform="console",command="essays",outcome="ok"}', 1],
    ]);
    expect(await metrics.text()).not.toContain('zzqx');
    // While the corpus loads there is no corpus_info, and with no database no database_up.
    expect([...samples.keys()].filter((s) => s.startsWith('yinzheng_corpus_info') || s.startsWith('yinzheng_database_up'))).toEqual([]);
  });

  test('reload durations are counted by outcome, through the watcher a live bot runs', async () => {
    const metrics = createMetrics(sources);
    const dir = await mkdtemp(join(tmpdir(), 'yinzheng-metrics-'));
    await copyFile('data/essays/global-governance-symposium.txt', join(dir, 'symposium.txt'));
    const bot = botOver(await loadCorpus(dir));
    const watcher = watchCorpus(dir, {
      bot,
      logger: quietLogger,
      load: metrics.timeReloads(loadHere({ buildIndex: createIndex })),
    });
    try {
      expect((await watcher.reload()).kind).toBe('unchanged');
      await copyFile('test/fixtures/corpus/conventions.txt', join(dir, 'conventions.txt'));
      expect((await watcher.reload()).kind).toBe('replaced');
      await writeFile(join(dir, 'symposium.txt'), '');
      expect((await watcher.reload()).kind).toBe('kept');
    } finally {
      watcher.close();
      await rm(dir, { recursive: true, force: true });
    }
    const samples = parsePrometheus(await metrics.text());
    expect(['unchanged', 'loaded', 'refused'].map((outcome) => samples.get(`yinzheng_corpus_reload_seconds_count{outcome="${outcome}"}`))).toEqual([1, 1, 1]);
  });

  test('each registry counts apart: two bots in one process do not add up', async () => {
    const a = createMetrics(sources);
    const b = createMetrics(sources);
    a.databaseError('query');
    expect(parsePrometheus(await a.text()).get('yinzheng_database_errors_total{kind="query"}')).toBe(1);
    expect(parsePrometheus(await b.text()).get('yinzheng_database_errors_total{kind="query"}')).toBeUndefined();
  });
});

describe('the Prometheus text reader the tests use', () => {
  test('refuses what a scraper refuses', () => {
    expect(parsePrometheus('# TYPE a counter\na{x="1"} 2\na{x="2"} +Inf\n')).toEqual(
      new Map([
        ['a{x="1"}', 2],
        ['a{x="2"}', Infinity],
      ]),
    );
    expect(() => parsePrometheus('a 1\n')).toThrow('prometheus: a has no TYPE line before it');
    expect(() => parsePrometheus('# TYPE a counter\na{x=1} 1\n')).toThrow('prometheus: not a sample, HELP or TYPE line: "a{x=1} 1"');
    expect(() => parsePrometheus('# TYPE a counter\na 1 2 3\n')).toThrow(/not a sample/u);
    expect(() => parsePrometheus('# TYPE a counter\na 1\na 2\n')).toThrow('prometheus: a appears twice');
  });
});
