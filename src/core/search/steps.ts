/*
 * Work written as a generator that yields between small steps, so that it can run at once (a
 * query that needs it now) or in turns of the event loop (a live bot building it while it
 * answers): the essay index, the corpus's authors, a reload's composed arrays.
 */

/** Runs the steps to the end at once. */
export function runSteps<T>(steps: Generator<void, T, void>): T {
  let next = steps.next();
  while (!next.done) next = steps.next();
  return next.value;
}

/** Runs the steps in turns of about `turnMs`, the event loop free between two turns. */
export async function runStepsInTurns<T>(steps: Generator<void, T, void>, turnMs: number): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const until = performance.now() + turnMs;
    do next = steps.next();
    while (!next.done && performance.now() < until);
  }
  return next.value;
}
