/**
 * The one seed of every property test, so that a run is repeatable: fast-check prints the
 * seed and the path of a failing case in its report, and `FC_SEED=<seed>` replays it (or
 * explores another part of the input space on purpose).
 */
export const PROPERTY_SEED = Number(process.env.FC_SEED ?? 20_261_201);
