import type { Command } from '../src/core/dispatch/command.js';
import author from './author.js';
import cite from './cite.js';
import context from './context.js';
import essays from './essays.js';
import find from './find.js';
import help from './help.js';
import quote from './quote.js';
import sources from './sources.js';
import verify from './verify.js';
import who from './who.js';

/**
 * The one list of commands. Dispatch, the Discord deploy script, the Slack manifest and the
 * help text all read it, so they cannot drift apart.
 */
export const registry: ReadonlyMap<string, Command> = new Map(
  ([quote, who, author, sources, essays, cite, verify, help, context, find] as Command[]).map((c) => [c.name, c]),
);
