import { randomUUID } from 'node:crypto';
import type { RespondArguments, RespondFn, webApi } from '@slack/bolt';
import type { Bot, Logger, Requester } from '../core/dispatch/bot.js';
import type { Locale, Reply } from '../core/reply/model.js';
import { wordsFor } from '../core/words/index.js';
import { type ButtonState, type RenderOptions, replyToBlockKit, type SlackBlock } from './render.js';

/**
 * "You can use a response_url up to five times within thirty minutes" (docs.slack.dev,
 * Handling user interaction → Message responses).
 */
export const RESPONSE_URL_MAX_POSTS = 5;
const RESPONSE_URL_WINDOW_MS = 30 * 60_000;
/** response_urls whose posts are counted; older ones are long expired. */
const RESPONSE_URLS_TRACKED = 10_000;

type WebClient = webApi.WebClient;

/** Posts one message of an answer: through the response_url while it lasts, else in its place another way. */
export type Replier = (args: RespondArguments) => Promise<void>;

/** Where an interaction happened, for answering without its response_url. */
export interface Place {
  channel: string | undefined;
  user: string;
  thread?: string;
}

/** Makes the Replier for one interaction. */
export type ReplierFor = (respond: RespondFn | undefined, url: string | undefined, place: Place, client: WebClient) => Replier;

/*
 * A response_url takes five posts in thirty minutes, whatever path posts them (answers,
 * share, the failure notice). Past that, or with no response_url at all, the answer goes
 * by chat.postEphemeral to the same person in the same place; a deletion has no such
 * substitute and is dropped.
 */
export function createReplierFor(logger: Logger, clock: () => number): ReplierFor {
  const uses = new Map<string, { count: number; since: number }>();
  return (respond, url, place, client) => {
    // The thirty minutes run from the interaction, which is now: the first time this URL is seen.
    if (url && !uses.has(url)) {
      if (uses.size >= RESPONSE_URLS_TRACKED) uses.delete(uses.keys().next().value as string);
      uses.set(url, { count: 0, since: clock() });
    }
    return async (args) => {
      const use = url ? uses.get(url) : undefined;
      // Past five posts or thirty minutes the URL is spent for good (Slack refuses it), never renewed.
      if (respond && use && use.count < RESPONSE_URL_MAX_POSTS && clock() - use.since <= RESPONSE_URL_WINDOW_MS) {
        use.count++;
        await respond(args);
        return;
      }
      if ('delete_original' in args || !place.channel) {
        if (!('delete_original' in args)) logger.warn({ user: place.user }, 'slack: response_url used up and no channel to answer in');
        return;
      }
      const { text, blocks } = args as { text?: string; blocks?: SlackBlock[] };
      await client.chat.postEphemeral({
        channel: place.channel,
        user: place.user,
        text: text ?? '',
        ...(blocks ? { blocks } : {}),
        ...(place.thread ? { thread_ts: place.thread } : {}),
      });
    };
  };
}

/**
 * Who a handler is answering, as far as it knows yet. The asker's language is known only after
 * a lookup inside the work (users.info), so the work records it here once it has it; a failure
 * before that is said in English.
 */
export interface Asker {
  locale: Locale;
}

/** Runs a handler's work, tracked for a graceful stop; a throw is logged and answered briefly, in the asker's language. */
export type Guard = (what: string, respond: Replier | undefined, work: (asker: Asker) => Promise<void>) => Promise<void>;

/** A guard and the work it is running, which a stop waits for. */
export function createGuard(logger: Logger): { guard: Guard; inFlight: ReadonlySet<Promise<unknown>> } {
  const inFlight = new Set<Promise<unknown>>();
  const guard: Guard = async (what, respond, work) => {
    const asker: Asker = { locale: 'en' };
    const task = (async () => {
      try {
        await work(asker);
      } catch (error) {
        logger.error({ err: error, handler: what }, 'slack handler failed');
        if (respond) {
          await respond({ response_type: 'ephemeral', replace_original: false, text: wordsFor(asker.locale).errors.genericFailure }).catch((err: unknown) =>
            logger.error({ err, handler: what }, 'slack: could not answer after a failure'),
          );
        }
      }
    })();
    inFlight.add(task);
    try {
      await task;
    } finally {
      inFlight.delete(task);
    }
  };
  return { guard, inFlight };
}

/** A fresh suffix for an answer's block_ids: Slack wants new ones for each iteration of a message. */
export const revision = () => randomUUID().slice(0, 8);

/**
 * Posts a reply through a response_url, as as many messages as its length needs. `replace`
 * puts the first message in place of the one whose button was clicked (More pages in place).
 */
export async function send(
  respond: Replier,
  reply: Reply,
  opts: Pick<RenderOptions, 'visibility' | 'share'> & { locale: Locale; replace?: boolean },
): Promise<void> {
  const messages = replyToBlockKit(reply, { ...opts, maxMessages: RESPONSE_URL_MAX_POSTS, revision: revision() });
  for (const [i, message] of messages.entries()) {
    const args: RespondArguments = {
      response_type: reply.error ? 'ephemeral' : opts.visibility,
      replace_original: opts.replace === true && i === 0 && !reply.error,
      text: message.text,
      blocks: message.blocks,
    };
    await respond(args);
  }
}

/** The subcommand and the rest of a typed line: `quote 智能鸿沟 author:…` → [`quote`, `智能鸿沟 author:…`]. */
export function splitSubcommand(text: string): [string, string] {
  const m = /^\s*(\S*)\s*([\s\S]*)$/u.exec(text);
  return [(m?.[1] ?? '').replace(/^[/／]/u, '').toLowerCase(), (m?.[2] ?? '').trim()];
}

/**
 * A typed line (`quote 智能鸿沟`) answered: a subcommand, or the list of them for help, nothing
 * or an unknown word. `slashCommand` is the app's command (`/yinzheng`), named in the notice.
 */
export function answerLine(bot: Bot, slashCommand: string, text: string, who: Requester): { reply: Reply; share?: ButtonState } {
  const [sub, rest] = splitSubcommand(text);
  const command = bot.commands.get(sub);
  if (!command || command.hidden || sub === 'help') {
    const help = bot.runLine(`help ${sub === 'help' ? rest : ''}`, who);
    if (sub === '' || sub === 'help') return { reply: help, share: { c: 'help', l: sub === 'help' ? rest : '' } };
    // The word typed is not repeated: it could be anything.
    const unknown = wordsFor(who.locale).slack.unknownSubcommand(slashCommand);
    return { reply: { ...help, message: unknown } };
  }
  return { reply: bot.runLine(`${sub} ${rest}`, who), share: { c: sub, l: rest } };
}

/** Runs the command a button's state names, as it was first asked. */
export function runState(bot: Bot, state: ButtonState, who: Requester): Reply {
  return 'i' in state ? bot.run(state.c, state.i, who) : bot.runLine(`${state.c} ${state.l}`, who);
}
