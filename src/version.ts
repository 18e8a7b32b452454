import pkg from '../package.json' with { type: 'json' };
import { BUILD_ID } from './core/corpus/parse-cache.js';

/** package.json's version: what the start line and /healthz say is running. */
export const VERSION: string = pkg.version;

/** The bundle's build hash (scripts/build.mjs), or `source` under tsx and vitest. */
export const BUILD: string = BUILD_ID ?? 'source';
