/**
 * `npm run corpus:publish [-- --corpus DIR | DIR] [--watch]`: the operator's indexer when
 * replicas share a database (DATABASE_URL). Publishes the folder's corpus files as the shared
 * corpus (adds, replaces, removes), which every replica then serves within seconds; with
 * --watch it stays and publishes each change. A folder that would not load (no essay in it)
 * is refused, and the replicas keep what they serve.
 */
import { type FSWatcher, watch } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadEnvFile, parseConfig } from '../src/config.js';
import { loadCorpus, whyUnservable } from '../src/core/corpus/load.js';
import { isUserError } from '../src/core/dispatch/errors.js';
import { wordsFor } from '../src/core/words/index.js';
import { publishCorpus } from '../src/db/corpus.js';
import { type Database, openDatabase } from '../src/db/database.js';
import { runMain } from './run-main.js';

const t = wordsFor('en').operator.database.publish;
const quiet = {
  info: () => undefined,
  debug: () => undefined,
  warn: (o: object, m?: string) => console.warn(m ?? '', o),
  error: (o: object, m?: string) => console.error(m ?? '', o),
};

/** Publishes `dir` once; the exit code a one-shot run ends with. */
async function publishOnce(database: Database, dir: string): Promise<number> {
  const why = whyUnservable(await loadCorpus(dir));
  if (why) {
    console.error(why);
    return 1;
  }
  const done = await publishCorpus(database, dir);
  if (!done || done.added.length + done.replaced.length + done.removed.length === 0) console.log(t.unchanged);
  else console.log(t.published(done.added.length, done.replaced.length, done.removed.length));
  return 0;
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs<{ options: { corpus: { type: 'string' }; watch: { type: 'boolean' } }; allowPositionals: true }>>;
  try {
    args = parseArgs({ options: { corpus: { type: 'string' }, watch: { type: 'boolean' } }, allowPositionals: true });
  } catch (error) {
    console.error(`corpus:publish: ${(error as Error).message}\n${t.usage}`);
    return 2;
  }
  if (args.positionals.length > 1) {
    console.error(t.usage);
    return 2;
  }
  loadEnvFile();
  const config = parseConfig(process.env, { corpusDir: args.values.corpus ?? args.positionals[0] });
  if (!config.database) {
    console.error(t.needsDatabase);
    return 2;
  }
  const database = await openDatabase(config.database.url, quiet);
  const code = await publishOnce(database, config.corpusDir);
  if (!args.values.watch) {
    await database.close();
    return code;
  }
  console.log(t.watching(config.corpusDir));
  let timer: NodeJS.Timeout | undefined;
  let running = Promise.resolve(0);
  const watcher: FSWatcher = watch(config.corpusDir, () => {
    clearTimeout(timer);
    // Editors write a file in several steps: a change is published once they are done.
    timer = setTimeout(() => {
      running = running.then(() =>
        publishOnce(database, config.corpusDir).catch((error: unknown) => {
          console.error(isUserError(error) ? error.message : error);
          return 1;
        }),
      );
    }, 300);
  });
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  watcher.close();
  await running;
  await database.close();
  return 0;
}

runMain(main);
