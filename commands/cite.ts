import { z } from 'zod';
import type { Command } from '../src/core/command.js';
import { UserError } from '../src/core/errors.js';

// Placeholder until the command is built (issue 3).
export default {
  name: 'cite',
  description: 'cite',
  descriptionZh: 'cite',
  options: z.object({}),
  run() {
    throw new UserError('not_ready', '/cite is not available yet.');
  },
} satisfies Command;
