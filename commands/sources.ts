import { z } from 'zod';
import type { Command } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';

// Placeholder until the command is built (issue 3).
export default {
  name: 'sources',
  description: 'sources',
  descriptionZh: 'sources',
  options: z.object({}),
  run() {
    throw new UserError('not_ready', '/sources is not available yet.');
  },
} satisfies Command;
