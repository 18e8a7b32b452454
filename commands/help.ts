import { z } from 'zod';
import type { Command } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';

// Placeholder until the command is built (issue 3).
export default {
  name: 'help',
  description: 'help',
  descriptionZh: 'help',
  options: z.object({}),
  run() {
    throw new UserError('not_ready', '/help is not available yet.');
  },
} satisfies Command;
