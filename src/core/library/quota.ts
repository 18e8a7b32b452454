/**
 * The default quota of one library: some forty journal issues as PDFs. A file of its own so
 * that the config can name it without loading the library store, which a CLI answer never
 * uses.
 */
export const DEFAULT_LIBRARY_MAX_MB = 200;
