/*
 * A real PostgreSQL for a test file: the bench starts one the same way, so the logic lives in
 * bench/postgres.ts, which imports nothing of the tests.
 */
export { freePort, type LocalPostgres as TestPostgres, startPostgres } from '../../bench/postgres.js';
