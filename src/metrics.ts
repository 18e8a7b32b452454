import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { CorpusLoader } from './core/corpus/reload.js';
import type { RequestEvent } from './core/dispatch/bot.js';

/*
 * The bot's own Prometheus registry (not prom-client's global one, so that two bots in one
 * process, as in tests, count apart). Imported only when a live bot runs: the console and the
 * CLI never load prom-client. Labels are bounded sets (platforms, command names, error codes),
 * never what a user typed: an unknown command counts as `unknown`.
 */

/** A command answered in well under a millisecond, or, with a cold index, in seconds. */
const REQUEST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
/** A reload that finds nothing changed takes milliseconds; a large archive's, a minute. */
const RELOAD_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

export interface Metrics {
  readonly registry: Registry;
  /** Counts an answered request (wire it as `BotOptions.observe`). */
  request(event: RequestEvent): void;
  /** `load`, its durations counted by outcome (unchanged, refused, loaded). */
  timeReloads(load: CorpusLoader): CorpusLoader;
  /** Counts a database failure (wire it as `openDatabase`'s `onError`). */
  databaseError(kind: 'connection' | 'query'): void;
  /** The registry in Prometheus text format. */
  text(): Promise<string>;
}

export interface MetricSources {
  version: string;
  build: string;
  /** The corpus version served, or null while it loads. */
  corpusVersion(): string | null;
  /** Whether the database answers; absent when there is none. */
  databaseUp?: () => boolean;
}

export function createMetrics(sources: MetricSources): Metrics {
  const registry = new Registry();
  const registers = [registry];
  // Event-loop delay (yinzheng_nodejs_eventloop_lag_*), memory, CPU and GC, each scrape.
  collectDefaultMetrics({ register: registry, prefix: 'yinzheng_' });
  const requests = new Counter({
    name: 'yinzheng_requests_total',
    help: 'Requests answered, by platform, command and outcome (ok, empty, or the error code).',
    labelNames: ['platform', 'command', 'outcome'] as const,
    registers,
  });
  const latency = new Histogram({
    name: 'yinzheng_request_seconds',
    help: 'Time to answer a request in the core (parsing, search, reply), by platform and command.',
    labelNames: ['platform', 'command'] as const,
    buckets: REQUEST_BUCKETS,
    registers,
  });
  const rateLimited = new Counter({
    name: 'yinzheng_rate_limited_total',
    help: 'Requests refused by the per-user rate limit, by platform.',
    labelNames: ['platform'] as const,
    registers,
  });
  const reloads = new Histogram({
    name: 'yinzheng_corpus_reload_seconds',
    help: 'Corpus reloads after a change to the folder, by outcome (unchanged, refused, loaded).',
    labelNames: ['outcome'] as const,
    buckets: RELOAD_BUCKETS,
    registers,
  });
  const databaseErrors = new Counter({
    name: 'yinzheng_database_errors_total',
    help: 'Database failures: lost or refused connections, and queries the server refused.',
    labelNames: ['kind'] as const,
    registers,
  });
  new Gauge({
    name: 'yinzheng_build_info',
    help: 'The running version and build (always 1).',
    labelNames: ['version', 'build'] as const,
    registers,
  }).set({ version: sources.version, build: sources.build }, 1);
  new Gauge({
    name: 'yinzheng_corpus_info',
    help: 'The corpus version served (always 1; absent while the corpus loads).',
    labelNames: ['version'] as const,
    registers,
    collect() {
      this.reset();
      const version = sources.corpusVersion();
      if (version !== null) this.set({ version }, 1);
    },
  });
  const { databaseUp } = sources;
  if (databaseUp) {
    new Gauge({
      name: 'yinzheng_database_up',
      help: 'Whether the database answers (1) or not (0).',
      registers,
      collect() {
        this.set(databaseUp() ? 1 : 0);
      },
    });
  }

  return {
    registry,
    request({ platform, command, outcome, seconds }) {
      const name = command ?? 'unknown';
      requests.inc({ platform, command: name, outcome });
      latency.observe({ platform, command: name }, seconds);
      if (outcome === 'rate_limited') rateLimited.inc({ platform });
    },
    timeReloads(load) {
      return async (dir, current, currentIndex) => {
        const end = reloads.startTimer();
        const result = await load(dir, current, currentIndex);
        end({ outcome: result.kind });
        return result;
      };
    },
    databaseError(kind) {
      databaseErrors.inc({ kind });
    },
    text: () => registry.metrics(),
  };
}
