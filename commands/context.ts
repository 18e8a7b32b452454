import { z } from 'zod';
import type { Command } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';

// Placeholder until the command is built (issue 3).
export default {
  name: 'context',
  description: 'context',
  descriptionZh: 'context',
  options: z.object({}),
  run() {
    throw new UserError('not_ready', '/context is not available yet.');
  },
} satisfies Command;
