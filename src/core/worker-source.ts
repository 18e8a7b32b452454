import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Where a worker thread's code is: `src/core/corpus/<name>.js` of the build, found from the
 * caller's own file (a chunk of dist/ or, from source, the .ts beside it). From source (tsx,
 * vitest) the worker runs through tsx, unless YINZHENG_WORKER_DIR names a folder of built
 * workers to use instead (the test suite sets it: compiling a worker through tsx each time
 * took longer than a busy machine gives a test).
 */
export function workerSource(name: string, caller: string): { source: string | URL; eval: boolean } {
  const given = process.env.YINZHENG_WORKER_DIR;
  if (given && existsSync(join(given, `${name}.js`))) return { source: pathToFileURL(join(given, `${name}.js`)), eval: false };
  const here = fileURLToPath(caller);
  if (here.endsWith('.ts')) {
    const tsx = import.meta.resolve('tsx/esm/api');
    const worker = pathToFileURL(join(dirname(here), `${name}.ts`)).href;
    return { source: `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(worker)}); });`, eval: true };
  }
  for (let dir = dirname(here); dir !== dirname(dir); dir = dirname(dir)) {
    const built = join(dir, 'src', 'core', 'corpus', `${name}.js`);
    if (existsSync(built)) return { source: pathToFileURL(built), eval: false };
  }
  throw new Error(`${name}.js is missing from the build: run npm run build`);
}
