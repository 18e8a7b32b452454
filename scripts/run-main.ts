import { isUserError } from '../src/core/dispatch/errors.js';

/**
 * Runs a script's `main` and exits with its code; an error it throws is said in one line when
 * it is the user's to fix (a UserError), in full otherwise, and exits with 1.
 */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(isUserError(error) ? error.message : error);
      process.exit(1);
    },
  );
}
