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
 * state folder (DATA_DIR/discord-buttons, the default), in a file named by the hash, so the
 * button works after a restart and on every replica sharing the folder for 30 days. Only a
 * state found in neither is answered with a polite "expired" note.
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

export type Resolved = { state: ButtonState } | { expired: true } | { unknown: true };

/** Encodes button states into custom_ids, keeping the few that do not fit in a bounded LRU cache and, with a folder, on disk. */
export interface ButtonStore {
  customId(state: ButtonState): string;
  resolve(customId: string): Resolved;
}

/** Kept state files older than this are gone with the messages that showed their buttons. */
const STATE_FILE_MAX_AGE_MS = 30 * 24 * 3600_000;

/** The state a kept file holds, checked when read: the folder may be shared and edited. */
function readStateFile(path: string): ButtonState | null {
  try {
    const value = JSON.parse(readFileSync(path, 'utf8')) as Partial<ButtonState>;
    if (typeof value.kind !== 'string' || typeof value.owner !== 'string' || typeof value.command !== 'string' || typeof value.input !== 'object') return null;
    return value as ButtonState;
  } catch {
    return null;
  }
}

/**
 * `dir`, when given, keeps the states too long for a custom_id on disk as well as in memory,
 * so that their buttons still work after a restart and on every replica that shares the
 * folder (DATA_DIR). Without it the in-process LRU is all there is, and such a button answers
 * "expired" after a restart.
 */
export function createButtonStore(capacity = 5000, dir?: string): ButtonStore {
  // A Map iterates in insertion order, so re-inserting on use makes its first key the least recently used.
  const cache = new Map<string, ButtonState>();
  const fileOf = (key: string) => join(dir as string, `${key.slice(VERSION.length + 1)}.json`);
  if (dir) {
    mkdirSync(dir, { recursive: true });
    const now = Date.now();
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (now - statSync(path).mtimeMs > STATE_FILE_MAX_AGE_MS) rmSync(path, { force: true });
    }
  }
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
      // The name is the state's hash, so writing it again is writing the same; a partial file is renamed in whole.
      if (dir && !cache.has(key)) {
        const partial = `${fileOf(key)}.${process.pid}.partial`;
        writeFileSync(partial, JSON.stringify(state));
        renameSync(partial, fileOf(key));
      }
      remember(key, state);
      return key;
    },
    resolve(customId) {
      if (customId.startsWith(`${VERSION}#`)) {
        const state = cache.get(customId) ?? (dir && /^[\w-]+$/u.test(customId.slice(VERSION.length + 1)) ? readStateFile(fileOf(customId)) : null);
        if (!state) return { expired: true };
        remember(customId, state);
        return { state };
      }
      const state = decodeState(customId);
      return state ? { state } : { unknown: true };
    },
  };
}
