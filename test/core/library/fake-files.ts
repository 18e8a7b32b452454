import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/*
 * A loopback fake of where the platforms keep uploaded files, serving bytes as they do:
 * - Discord's CDN (`/attachments/<channel>/<attachment>/<name>?ex=…&is=…&hm=…`): no
 *   authorization, but only the signed URL the API handed out; without its `ex`, `is` and `hm`
 *   the CDN answers 404 "This content is no longer available.".
 * - Slack's `url_private_download` (`/files-pri/<team>-<file>/download/<name>`): only with
 *   `Authorization: Bearer <bot token>` of a token with files:read (Slack Platform Blog,
 *   "Important Changes to Files in the Web API", 2015); without it, or with another token,
 *   what comes back is Slack's sign-in page (a redirect, then a 200 of HTML), not the file.
 * Each file also says how it is sent, to play a hostile or broken host: whole with its length,
 * chunked without one, with a Content-Length larger than the limit, endlessly, or stalled after
 * the first bytes with the connection held open.
 */

export type Delivery =
  /** Content-Length and the whole body. */
  | 'whole'
  /** No Content-Length (chunked): the size is known only by reading. */
  | 'chunked'
  /** Chunked, and never ending: 64 KiB after 64 KiB until the client goes. */
  | 'endless'
  /** The headers and the first bytes, then nothing, the connection held open. */
  | 'stall'
  /** Content-Length says this many bytes; the first few are sent, then nothing. */
  | { declared: number };

interface Served {
  bytes: Uint8Array;
  contentType: string;
  delivery: Delivery;
  /** Slack's files need the bot token. */
  token: string | null;
}

export interface FakeFiles {
  /** The bot token the fake's Slack workspace issued. */
  readonly slackToken: string;
  /** An attachment's URL as Discord's API gives it (signed). */
  discordAttachment(name: string, bytes: Uint8Array, options?: { contentType?: string; delivery?: Delivery }): string;
  /** A file's `url_private_download` as Slack's API gives it. */
  slackFile(name: string, bytes: Uint8Array, options?: { contentType?: string; delivery?: Delivery }): string;
  /** Every request's path and Authorization header, in order. */
  readonly requests: Array<{ path: string; authorization: string | undefined }>;
  close(): Promise<void>;
}

const SIGN_IN_PAGE = '<!DOCTYPE html><html lang="en"><head><title>Slack</title></head><body><h1>Sign in to your workspace</h1></body></html>';

function contentTypeOf(name: string): string {
  if (name.endsWith('.pdf')) return 'application/pdf';
  if (name.endsWith('.txt')) return 'text/plain; charset=utf-8';
  return 'application/octet-stream';
}

function send(res: ServerResponse, file: Served): void {
  const { bytes, delivery } = file;
  res.setHeader('Content-Type', file.contentType);
  if (delivery === 'whole') {
    res.setHeader('Content-Length', bytes.byteLength);
    res.end(bytes);
  } else if (delivery === 'chunked') {
    // Given whole to end(), node would add the Content-Length itself.
    res.write(bytes);
    res.end();
  } else if (delivery === 'endless') {
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    const more = () => {
      while (!res.destroyed && res.write(chunk));
    };
    res.on('drain', more);
    res.write(bytes);
    more();
  } else if (delivery === 'stall') {
    res.flushHeaders();
    res.write(bytes.subarray(0, 16));
  } else {
    res.setHeader('Content-Length', delivery.declared);
    res.flushHeaders();
    res.write(bytes.subarray(0, 16));
  }
}

export async function startFakeFiles(): Promise<FakeFiles> {
  const slackToken = `xoxb-fake-${randomBytes(6).toString('hex')}`;
  const files = new Map<string, Served>();
  const requests: FakeFiles['requests'] = [];
  let next = 1_000_000_000_000_000_000n;

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    requests.push({ path: url.pathname + url.search, authorization: req.headers.authorization });
    if (url.pathname === '/signin') {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(SIGN_IN_PAGE);
      return;
    }
    const file = files.get(url.pathname);
    if (url.pathname.startsWith('/attachments/')) {
      const signed = file && ['ex', 'is', 'hm'].every((k) => url.searchParams.get(k) === signatures.get(url.pathname)?.[k]);
      if (!file || !signed) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('This content is no longer available.');
        return;
      }
      send(res, file);
      return;
    }
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/html; charset=utf-8' }).end(SIGN_IN_PAGE);
      return;
    }
    if (req.headers.authorization !== `Bearer ${file.token}`) {
      res.writeHead(302, { Location: `/signin?redir=${encodeURIComponent(url.pathname)}` }).end();
      return;
    }
    send(res, file);
  };

  const signatures = new Map<string, Record<string, string>>();
  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    slackToken,
    requests,
    discordAttachment(name, bytes, options = {}) {
      const path = `/attachments/${next++}/${next++}/${encodeURIComponent(name)}`;
      const signature = { ex: randomBytes(4).toString('hex'), is: randomBytes(4).toString('hex'), hm: randomBytes(32).toString('hex') };
      signatures.set(path, signature);
      files.set(path, { bytes, contentType: options.contentType ?? contentTypeOf(name), delivery: options.delivery ?? 'whole', token: null });
      return `${base}${path}?${new URLSearchParams(signature)}&`;
    },
    slackFile(name, bytes, options = {}) {
      const id = randomBytes(5).toString('hex').toUpperCase();
      const path = `/files-pri/T0FAKE-F${id}/download/${encodeURIComponent(name)}`;
      files.set(path, { bytes, contentType: options.contentType ?? contentTypeOf(name), delivery: options.delivery ?? 'whole', token: slackToken });
      return `${base}${path}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        // Stalled and endless responses hold their sockets: they go with the server.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
