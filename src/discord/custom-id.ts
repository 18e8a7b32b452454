import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionKind } from '../core/reply/model.js';

/** Discord's limit on a component's custom_id, in characters. */
export const DISCORD_CUSTOM_ID_MAX = 100;

/** Everything needed to answer a button press, possibly long after the message was sent. */
export interface ButtonState {
  kind: ActionKind;
  /** The user who ran the command; only they may page its results. */
  owner: string;
  /** The reply the button sits on was private, so its answers are too. */
  ephemeral: boolean;
  command: string;
  input: Record<string, string | number | boolean>;
}

/*
 * custom_id format, version 1:  y1|<kind>|<e or p>|<owner>|<command>|<key=value&…>
 * Keys and values are percent-encoded only in `% | & =`, so that Chinese text stays one
 * character per character: Discord counts characters, and a query of a dozen Hanzi must
 * still fit in 100. Numbers and booleans travel as text; the core's input parser reads them
 * back. When the state is longer than 100 characters, the id is `y1#<hash>` and the state
 * waits in the button store (createButtonStore): in a bounded in-memory cache and, with a
 * state folder (DATA_DIR/discord-buttons, the default) in a file named by the hash, or with
 * DATABASE_URL in PostgreSQL's discord_buttons, so the button works after a restart and on
 * every replica sharing the folder or the database for 30 days. Only a state found in neither
 * is answered with a polite "expired" note.
 */
const VERSION = 'y1';
const KINDS: Record<ActionKind, string> = { more: 'm', context: 'c', sources: 's', share: 'p' };
const KIND_OF = new Map(Object.entries(KINDS).map(([k, v]) => [v, k as ActionKind]));

function escapePart(text: string): string {
  return text.replace(/[%|&=]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function unescapePart(text: string): string {
  return text.replace(/%([0-9A-F]{2})/gu, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The full, self-contained form of a state; may be longer than Discord allows. */
export function encodeState(state: ButtonState): string {
  const input = Object.entries(state.input)
    .map(([k, v]) => `${escapePart(k)}=${escapePart(String(v))}`)
    .join('&');
  return [VERSION, KINDS[state.kind], state.ephemeral ? 'e' : 'p', state.owner, escapePart(state.command), input].join('|');
}

/** Reads a state written by `encodeState`; null for anything else. */
export function decodeState(id: string): ButtonState | null {
  const parts = id.split('|');
  if (parts.length !== 6 || parts[0] !== VERSION) return null;
  const [, kindCode, visibility, owner, command, input] = parts as [string, string, string, string, string, string];
  const kind = KIND_OF.get(kindCode);
  if (!kind || (visibility !== 'e' && visibility !== 'p') || !/^\d+$/u.test(owner) || command === '') return null;
  const values: Record<string, string> = {};
  for (const pair of input === '' ? [] : input.split('&')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) return null;
    values[unescapePart(pair.slice(0, eq))] = unescapePart(pair.slice(eq + 1));
  }
  return { kind, owner, ephemeral: visibility === 'e', command: unescapePart(command), input: values };
}

/** `unreachable`: the state may exist, but where it is kept cannot be read now (the database is down). */
export type Resolved = { state: ButtonState } | { expired: true } | { unknown: true } | { unreachable: true };

/** Encodes button states into custom_ids, keeping the few that do not fit in a bounded LRU cache and, with a keeper, beyond this process. */
export interface ButtonStore {
  customId(state: ButtonState): string;
  resolve(customId: string): Promise<Resolved>;
  /**
   * Resolves once the states behind `customIds` are kept where every replica and restart finds
   * them; rejects when keeping one failed for good. A message is sent with their buttons only
   * then, so that a button a user sees always has its state somewhere.
   */
  settled(customIds: readonly string[]): Promise<void>;
}

/** Where states too long for a custom_id are kept beyond this process: a folder, or PostgreSQL (src/db/buttons.ts). */
export interface ButtonKeeper {
  /** Keeps `state` under `key` (a hash of it, so keeping it again changes nothing); resolves once kept. */
  put(key: string, state: ButtonState): Promise<void>;
  /** The state kept under `key`, or null when there is none or it has expired. */
  get(key: string): Promise<ButtonState | null>;
}

/** Kept states older than this are gone with the messages that showed their buttons. */
export const BUTTON_STATE_MAX_AGE_MS = 30 * 24 * 3600_000;

/** A kept state, checked when read: the folder may be shared and edited, the table written by another version. */
export function checkedState(value: unknown): ButtonState | null {
  const v = value as Partial<ButtonState> | null;
  if (!v || typeof v.kind !== 'string' || typeof v.owner !== 'string' || typeof v.command !== 'string' || typeof v.input !== 'object') return null;
  return v as ButtonState;
}

/** The state a kept file holds, or null. */
function readStateFile(path: string): ButtonState | null {
  try {
    return checkedState(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
}

/** States kept in a folder (DATA_DIR/discord-buttons), one file per state named by its hash. */
export function folderButtons(dir: string): ButtonKeeper {
  const fileOf = (key: string) => join(dir, `${key.slice(VERSION.length + 1)}.json`);
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (now - statSync(path).mtimeMs > BUTTON_STATE_MAX_AGE_MS) rmSync(path, { force: true });
  }
  return {
    // Written before it returns: a folder is always reachable, and the message waits on nothing.
    put(key, state) {
      // A partial file is renamed in whole, so a reader never sees half a state.
      const partial = `${fileOf(key)}.${process.pid}.partial`;
      writeFileSync(partial, JSON.stringify(state));
      renameSync(partial, fileOf(key));
      return Promise.resolve();
    },
    get(key) {
      return Promise.resolve(/^[\w-]+$/u.test(key.slice(VERSION.length + 1)) ? readStateFile(fileOf(key)) : null);
    },
  };
}

/**
 * `kept`, when given (a folder, or a ButtonKeeper such as the database's), keeps the states too
 * long for a custom_id beyond this process as well as in memory, so that their buttons still
 * work after a restart and on every replica that shares it. Without it the in-process LRU is
 * all there is, and such a button answers "expired" after a restart.
 */
export function createButtonStore(capacity = 5000, kept?: string | ButtonKeeper): ButtonStore {
  // A Map iterates in insertion order, so re-inserting on use makes its first key the least recently used.
  const cache = new Map<string, ButtonState>();
  const keeper = typeof kept === 'string' ? folderButtons(kept) : kept;
  /** Writes not yet landed, by key: a message waits for its own (`settled`). */
  const pending = new Map<string, Promise<void>>();
  /** States whose write failed for good: in memory only, so they are written again when next made. */
  const unkept = new Set<string>();
  const remember = (key: string, state: ButtonState) => {
    cache.delete(key);
    cache.set(key, state);
    while (cache.size > capacity) cache.delete(cache.keys().next().value as string);
  };
  return {
    customId(state) {
      const full = encodeState(state);
      if (full.length <= DISCORD_CUSTOM_ID_MAX) return full;
      const key = `${VERSION}#${createHash('sha256').update(full).digest('base64url').slice(0, 22)}`;
      // The key is the state's hash, so a state still cached is kept already (or being kept).
      if (keeper && (!cache.has(key) || unkept.has(key))) {
        unkept.delete(key);
        const write = keeper.put(key, state).finally(() => {
          if (pending.get(key) === write) pending.delete(key);
        });
        // Awaited by `settled`; a failure nobody awaits is not an unhandled rejection.
        write.catch(() => unkept.add(key));
        pending.set(key, write);
      }
      remember(key, state);
      return key;
    },
    async resolve(customId) {
      if (customId.startsWith(`${VERSION}#`)) {
        let state = cache.get(customId) ?? null;
        if (!state && keeper) {
          try {
            state = await keeper.get(customId);
          } catch {
            return { unreachable: true };
          }
        }
        if (!state) return { expired: true };
        remember(customId, state);
        return { state };
      }
      const state = decodeState(customId);
      return state ? { state } : { unknown: true };
    },
    async settled(customIds) {
      await Promise.all(customIds.map((id) => pending.get(id)));
    },
  };
}
