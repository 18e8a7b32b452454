import { PDF_LIMITS } from '../corpus/pdf.js';
import type { Locale } from '../reply/model.js';
import { type Words, wordsFor } from '../words/index.js';

/*
 * A file a chat user uploads, fetched as hostile input: whoever sent it may have named an
 * executable `issue.pdf`, lied in Content-Length, or left the connection open. The limits are
 * checked before the bytes are kept (Content-Length, then a cap while streaming), the type is
 * read from the bytes and the name is rebuilt from what is left of it after cleaning. Nothing
 * here throws for bad input: every refusal is a result with a message that says what to do.
 */

/** What a file added to a library is, by its bytes. */
export type LibraryFileType = 'pdf' | 'txt';

/**
 * The largest text file: an issue of twenty essays as UTF-8 is about 2 MB, so 10 MB leaves
 * room for a whole volume while keeping a pasted dump of something else out.
 */
export const TEXT_MAX_BYTES = 10 * 1024 * 1024;

/** A slow link still moves 50 MB (the PDF limit) in two minutes at about 3.5 Mbit/s. */
export const DOWNLOAD_TIME_LIMIT_MS = 120_000;

/** Long enough for a journal's title and issue, short enough for a list line and any file system (255 bytes). */
export const NAME_MAX_CHARACTERS = 80;

/** The per-type size limits: PDFs as the corpus reader limits them, text as above. */
export interface IntakeLimits {
  pdfBytes: number;
  txtBytes: number;
  timeoutMs: number;
}

export const INTAKE_LIMITS: IntakeLimits = { pdfBytes: PDF_LIMITS.maxBytes, txtBytes: TEXT_MAX_BYTES, timeoutMs: DOWNLOAD_TIME_LIMIT_MS };

/** Why a file was refused: a code for logs and tests, a message for the user. */
export type IntakeRefusalCode = 'tooLarge' | 'notEssay' | 'webPage' | 'empty' | 'timeout' | 'forbidden' | 'http' | 'unreachable';

export type IntakeResult =
  | { ok: true; file: { name: string; type: LibraryFileType; bytes: Uint8Array } }
  | { ok: false; code: IntakeRefusalCode; message: string };

/** Where a file is fetched from, as the platform gives it. */
export interface DownloadRequest {
  url: string;
  /** Slack's `url_private_download` needs `Authorization: Bearer <bot token>`; Discord's CDN needs none. */
  headers?: Record<string, string>;
  /** The name the uploader gave: only cleaned and shown, never trusted for the type. */
  name: string;
  locale?: Locale;
  limits?: IntakeLimits;
}

const PDF_MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The type a file's bytes show, or null for anything else (an executable, an image, an
 * archive, text in another encoding): a PDF by its header, text by being UTF-8 without NUL.
 */
export function sniffType(bytes: Uint8Array): LibraryFileType | null {
  if (PDF_MAGIC.every((b, i) => bytes[i] === b)) return 'pdf';
  if (bytes.includes(0)) return null;
  try {
    UTF8.decode(bytes);
    return 'txt';
  } catch {
    return null;
  }
}

/** A web page where a file was expected: Slack's sign-in page when the token is missing or refused. */
function isWebPage(bytes: Uint8Array, contentType: string | null): boolean {
  if (contentType !== null && /^\s*text\/html\b/iu.test(contentType)) return true;
  const head = new TextDecoder()
    .decode(bytes.subarray(0, 512))
    .replace(/^\uFEFF/u, '')
    .trimStart()
    .toLowerCase();
  return head.startsWith('<!doctype html') || head.startsWith('<html');
}

// Control characters (C0, DEL, C1) and the bidirectional overrides that make a name read
// differently from what it is (`evil\u202Efdp.exe`).
const UNSAFE_CHARACTERS = /[\p{Cc}\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
// Reserved by Windows or shells, so a folder copied elsewhere keeps working.
const RESERVED_CHARACTERS = /[<>:"|?*\\/]/gu;

/**
 * A safe file name for `type`: the uploader's name without any folders, control characters or
 * characters a file system reserves, no leading dots (so nothing hides or climbs), at most
 * NAME_MAX_CHARACTERS, and the extension of the type the bytes showed, whatever the name said.
 */
export function cleanName(name: string, type: LibraryFileType): string {
  const base = name.normalize('NFC').split(/[\\/]/u).pop() ?? '';
  const long = base
    .replace(UNSAFE_CHARACTERS, '')
    .replace(RESERVED_CHARACTERS, '_')
    .replace(/\s+/gu, ' ')
    .replace(/\.(?:pdf|txt)$/iu, '')
    .replace(/\.{2,}/gu, '.');
  // Cut before the ends are trimmed, so that cleaning a clean name leaves it as it is.
  const stem = cut(long).replace(/^[.\s]+|[.\s]+$/gu, '');
  return `${stem === '' ? 'file' : stem}.${type}`;
}

/** At most NAME_MAX_CHARACTERS less the extension, and 240 bytes of UTF-8 (file systems count bytes). */
function cut(stem: string): string {
  let out = '';
  let bytes = 0;
  for (const c of Array.from(stem).slice(0, NAME_MAX_CHARACTERS - 4)) {
    bytes += Buffer.byteLength(c);
    if (bytes > 240) break;
    out += c;
  }
  return out;
}

/** Whether a name is one cleanName can make: the store refuses any other. */
export function isCleanName(name: string): boolean {
  const type = name.endsWith('.pdf') ? 'pdf' : name.endsWith('.txt') ? 'txt' : null;
  return type !== null && cleanName(name, type) === name;
}

const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

type Refusal = Extract<IntakeResult, { ok: false }>;

function refusal(code: IntakeRefusalCode, locale: Locale, message: (t: Words['library']['refusals']) => string): Refusal {
  return { ok: false, code, message: message(wordsFor(locale).library.refusals) };
}

// The size is not said: past the cap, only the bytes read so far are known.
function tooLarge(max: number, kind: LibraryFileType | 'any', locale: Locale): Refusal {
  return refusal('tooLarge', locale, (t) => t.tooLarge(megabytes(max), t.kinds[kind]));
}

function statusRefusal(status: number, locale: Locale): Refusal {
  // Slack answers a request without the bot token with its sign-in page or 401/403.
  if (status === 401 || status === 403) return refusal('forbidden', locale, (t) => t.forbidden(status));
  return refusal('http', locale, (t) => t.http(status));
}

/**
 * Fetches an uploaded file and checks it: the size against the larger limit before reading,
 * then against its type's limit as the bytes come, the whole within the time limit, the type
 * from the bytes. Never throws.
 *
 * The URL must be the platform's own, from its payload (an attachment's `url`, a file's
 * `url_private_download`), never one a user typed. fetch follows its redirects and drops the
 * Authorization header when one leaves the origin, so the bot token goes nowhere else.
 */
export async function downloadFile(request: DownloadRequest): Promise<IntakeResult> {
  const locale = request.locale ?? 'en';
  const limits = request.limits ?? INTAKE_LIMITS;
  const cap = new AbortController();
  const signal = AbortSignal.any([AbortSignal.timeout(limits.timeoutMs), cap.signal]);
  const timedOut = () => refusal('timeout', locale, (t) => t.timeout(limits.timeoutMs / 1000));
  let response: Response;
  try {
    response = await fetch(request.url, { headers: request.headers, signal });
  } catch {
    return signal.aborted ? timedOut() : refusal('unreachable', locale, (t) => t.unreachable);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    return statusRefusal(response.status, locale);
  }
  const largest = Math.max(limits.pdfBytes, limits.txtBytes);
  const length = response.headers.get('content-length');
  // A length the server states is refused before a byte is read; a missing or lying one is
  // caught by the cap below.
  if (length !== null && Number(length) > largest) {
    cap.abort();
    await response.body?.cancel().catch(() => {});
    return tooLarge(largest, 'any', locale);
  }
  const read = await readCapped(response, limits, cap, locale);
  // The stream fails when the time limit aborts it: that is the time limit, not the network.
  if (!read.ok) return read.code === 'unreachable' && signal.aborted ? timedOut() : read;
  return judge(read.bytes, { name: request.name, contentType: response.headers.get('content-type'), locale, limits });
}

type Read = { ok: true; bytes: Uint8Array } | Refusal;

/** Reads the body, stopping as soon as it passes the limit of the type its first bytes show. */
async function readCapped(response: Response, limits: IntakeLimits, cap: AbortController, locale: Locale): Promise<Read> {
  if (!response.body) return { ok: true, bytes: new Uint8Array(0) };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  let max = Math.max(limits.pdfBytes, limits.txtBytes);
  let kind: LibraryFileType | 'any' = 'any';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      total += value.byteLength;
      if (kind === 'any' && total >= PDF_MAGIC.length) {
        kind = isPdfStart(chunks) ? 'pdf' : 'txt';
        max = kind === 'pdf' ? limits.pdfBytes : limits.txtBytes;
      }
      if (total > max) {
        cap.abort();
        await reader.cancel().catch(() => {});
        return tooLarge(max, kind, locale);
      }
    }
  } catch {
    return refusal('unreachable', locale, (t) => t.unreachable);
  }
  return { ok: true, bytes: Buffer.concat(chunks, total) };
}

function isPdfStart(chunks: Uint8Array[]): boolean {
  const head = Buffer.concat(chunks).subarray(0, PDF_MAGIC.length);
  return PDF_MAGIC.every((b, i) => head[i] === b);
}

/** The downloaded bytes as a file of the library, or why not: judged by the bytes, never by the name. */
export function judge(bytes: Uint8Array, from: { name: string; contentType?: string | null; locale?: Locale; limits?: IntakeLimits }): IntakeResult {
  const locale = from.locale ?? 'en';
  const limits = from.limits ?? INTAKE_LIMITS;
  if (bytes.byteLength === 0) return refusal('empty', locale, (t) => t.empty);
  const type = sniffType(bytes);
  if (type !== 'pdf' && isWebPage(bytes, from.contentType ?? null)) return refusal('webPage', locale, (t) => t.webPage);
  if (type === null) return refusal('notEssay', locale, (t) => t.notEssay);
  const max = type === 'pdf' ? limits.pdfBytes : limits.txtBytes;
  if (bytes.byteLength > max) return tooLarge(max, type, locale);
  return { ok: true, file: { name: cleanName(from.name, type), type, bytes } };
}
