import { createInterface } from 'node:readline';
import type { Bot, Requester } from '../core/dispatch/bot.js';
import type { Locale } from '../core/reply/model.js';
import { wordsFor } from '../core/words/index.js';
import { renderReply } from './render.js';

export const PROMPT = 'yinzheng> ';

export interface ConsoleIo {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** ANSI colour: for a TTY when NO_COLOR is unset. */
  color: boolean;
  /** Terminal columns. */
  width: number;
  /** A person at a terminal: show a prompt and line editing. Otherwise read a pipe line by line. */
  interactive: boolean;
  locale?: Locale;
}

const QUIT = new Set(['exit', 'quit', '/exit', '/quit']);

/**
 * The local console bot: each line typed (or piped in) is a command, with or without its
 * leading `/`, answered with the reply a chat user would see. Resolves at `exit`, `quit`
 * or the end of the input.
 */
export async function runConsole(bot: Bot, io: ConsoleIo): Promise<void> {
  const locale = io.locale ?? 'en';
  const who: Requester = { platform: 'console', userId: 'console', locale };
  const rl = createInterface({ input: io.input, output: io.interactive ? io.output : undefined, terminal: io.interactive, prompt: PROMPT });
  const write = (text: string) => io.output.write(`${text}\n`);
  // Without a listener readline answers Ctrl+C by pausing the input, which would leave the
  // console waiting forever on a stream that never reads again.
  rl.on('SIGINT', () => rl.close());
  if (io.interactive) {
    write(wordsFor(locale).operator.console.welcome);
    rl.prompt();
  }
  try {
    for await (const line of rl) {
      const text = line.trim();
      if (QUIT.has(text.toLowerCase())) break;
      if (text !== '') {
        const reply = bot.runLine(text, who);
        write(renderReply(reply, { width: io.width, color: io.color, locale, commands: bot.commands }));
        // A blank line between answers keeps piped output readable as separate replies.
        write('');
      }
      if (io.interactive) rl.prompt();
    }
  } finally {
    rl.close();
  }
}
