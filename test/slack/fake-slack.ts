import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import type { SocketTuning } from '../../src/slack/bot.js';
import { messageRefusal } from './slack-rules.js';

/*
 * A loopback fake of Slack, as much as the bot meets: the Web API (`POST /api/<method>`),
 * response_url endpoints (`POST /respond/<id>`), and a Socket Mode websocket (`/link`) that
 * says hello, delivers envelopes on demand and collects their acks. Everything the bot sends
 * is recorded, and every record can be awaited, so tests wait for events and never sleep.
 */

export const FAKE_TEAM = { id: 'T0FAKE', domain: 'fake' };
export const FAKE_BOT = { user_id: 'U0BOT', bot_id: 'B0BOT', app_id: 'A0FAKE' };
export const FAKE_CHANNEL = { id: 'C0FAKE', name: 'research' };

/** A list that can be awaited: `until(n, filter)` resolves once n matching items have arrived. */
export class Recorder<T> {
  readonly items: T[] = [];
  private waiters: Array<{ count: number; filter: (t: T) => boolean; resolve: (items: T[]) => void }> = [];
  private readonly listeners = new Set<(item: T) => void>();

  push(item: T): void {
    this.items.push(item);
    for (const listener of this.listeners) listener(item);
    this.waiters = this.waiters.filter((w) => {
      const matching = this.items.filter(w.filter);
      if (matching.length < w.count) return true;
      w.resolve(matching.slice(0, w.count));
      return false;
    });
  }

  /** The first `count` items matching `filter`, once they have arrived. */
  until(count: number, filter: (t: T) => boolean = () => true): Promise<T[]> {
    const matching = this.items.filter(filter);
    if (matching.length >= count) return Promise.resolve(matching.slice(0, count));
    return new Promise((resolve) => this.waiters.push({ count, filter, resolve }));
  }

  clear(): void {
    this.items.length = 0;
  }

  /**
   * Calls `listener` with every item pushed from now on; returns the unsubscribe. For load
   * tests, where `until` (which rescans the list for every waiter) would cost more than the bot.
   */
  watch(listener: (item: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export interface ApiCall {
  method: string;
  /** The bearer token the call was made with. */
  token: string | undefined;
  params: Record<string, unknown>;
  /** What the fake answered, as Slack would have: `ok: false` with its error when it refused the call. */
  response: Record<string, unknown>;
}

/** A post to a response_url. */
export interface ResponsePost {
  /** Which response_url: the `id` the test gave it. */
  id: string;
  body: Record<string, unknown>;
  /** Arrival order among everything the fake received, to check what came first. */
  seq: number;
  /** Whether Slack took it; a refused post (a sixth, a late one, a malformed one) is recorded too. */
  accepted: boolean;
}

/** What the app sent back over the socket for one envelope. */
export interface Ack {
  envelope_id: string;
  payload?: unknown;
  seq: number;
}

/**
 * A message the bot posted with the Web API, and who can see it: a public one everyone in the
 * channel, an ephemeral one its `user` only, and only if Slack shows it at all (`shown`).
 */
export interface PostedMessage {
  method: 'chat.postMessage' | 'chat.postEphemeral';
  channel: string;
  /** The thread it was posted in; undefined at the top level of the channel. */
  thread: string | undefined;
  /** The one user who sees an ephemeral message. */
  user: string | undefined;
  text: string;
  blocks: unknown;
  /** False for an ephemeral message Slack accepted but will never show (a thread that does not exist). */
  shown: boolean;
  ts: string;
}

/** response_url ids with this prefix answer 500, as an expired response_url does. */
export const FAILING_RESPONSE_PREFIX = 'expired-';

/**
 * "You can use a response_url up to five times within thirty minutes" (docs.slack.dev,
 * Handling user interaction → Message responses). The window runs from the invocation, which
 * the fake takes to be when the test made the URL.
 */
export const RESPONSE_URL_MAX_POSTS = 5;
export const RESPONSE_URL_WINDOW_MS = 30 * 60_000;

/** The bot scopes an installation grants unless a test says otherwise: the manifest's five. */
export const DEFAULT_BOT_SCOPES = ['app_mentions:read', 'chat:write', 'commands', 'files:read', 'users:read'] as const;

/**
 * Slack's sign-in page, which is what `url_private_download` answers without the bot token, with
 * another workspace's, or with one lacking files:read (Slack Platform Blog, "Important Changes
 * to Files in the Web API", 2015): a web page with status 200, not the file.
 */
export const SIGN_IN_PAGE = '<!DOCTYPE html><html lang="en"><head><title>Slack</title></head><body><h1>Sign in to your workspace</h1></body></html>';

/** A file as Slack puts it in a message's `files` (docs.slack.dev/reference/objects/file-object): what the bot reads of it. */
export interface FakeFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  filetype: string;
  size: number;
  url_private: string;
  url_private_download: string;
  permalink: string;
  mode: 'hosted';
  is_external: false;
}

/**
 * The Web API methods the fake models, each with the token it takes and the scope it needs
 * (each method's reference page on docs.slack.dev, "Scopes"). Any other method is refused with
 * `unknown_method`, as Slack answers a method it does not have: a call the bot makes to a
 * method missing here fails a test until the method is modelled.
 */
const METHODS: Record<string, { token: 'bot' | 'app' | 'none'; scope?: string }> = {
  'auth.test': { token: 'bot' },
  'apps.connections.open': { token: 'app', scope: 'connections:write' },
  'oauth.v2.access': { token: 'none' },
  'chat.postMessage': { token: 'bot', scope: 'chat:write' },
  'chat.postEphemeral': { token: 'bot', scope: 'chat:write' },
  'users.info': { token: 'bot', scope: 'users:read' },
};

export interface FakeSlackOptions {
  botToken: string;
  appToken: string;
  /** An OAuth app's credentials: `oauth.v2.access` exchanges a code for a second workspace's bot token with them. */
  oauth?: { clientId: string; clientSecret: string };
  /** The scopes every bot token is granted; DEFAULT_BOT_SCOPES unless given. */
  scopes?: readonly string[];
  /** The fake's clock in ms, for response_url windows: a test moves it instead of waiting. */
  now?: () => number;
}

/** The workspace an OAuth install adds, and the bot token `oauth.v2.access` gives for it. */
export const SECOND_TEAM = { id: 'T0SECOND', name: 'Second', botToken: 'xoxb-2-second-team', botUserId: 'U0BOT2' };

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Slack's request signature: `v0=` + HMAC-SHA256 of `v0:{timestamp}:{body}` with the signing secret. */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Web API parameters arrive form-encoded, with objects (blocks) as JSON strings, or as JSON. */
function parseParams(body: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.startsWith('application/json')) return JSON.parse(body || '{}') as Record<string, unknown>;
  const params: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    params[key] = /^[[{]/u.test(value) ? JSON.parse(value) : value;
  }
  return params;
}

/** One response_url's use so far. */
interface ResponseUrlUse {
  issuedAt: number;
  posts: number;
}

export class FakeSlack {
  readonly calls = new Recorder<ApiCall>();
  readonly responses = new Recorder<ResponsePost>();
  readonly acks = new Recorder<Ack>();
  /** Every message posted with chat.postMessage or chat.postEphemeral that Slack accepted. */
  readonly messages = new Recorder<PostedMessage>();
  /** Sockets that have been opened and greeted with `hello`. */
  readonly connections = new Recorder<WebSocket>();
  /** Users' Slack locales as users.info reports them (`zh-CN`); others are `en-US`. */
  readonly locales = new Map<string, string>();
  /** Workspace admins and owners, as users.info reports them (`is_admin`, `is_owner`); an owner is an admin too. */
  readonly admins = new Set<string>();
  readonly owners = new Set<string>();
  /** Files uploaded to the workspace, by path, served at their url_private_download. */
  private readonly files = new Map<string, { bytes: Uint8Array; mimetype: string; team: string }>();
  /** Every request for a file: its path, the token it came with, and whether the file was served. */
  readonly fileRequests = new Recorder<{ path: string; token: string | undefined; served: boolean }>();

  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private socket: WebSocket | undefined;
  private base = '';
  private ts = 1_700_000_000;
  private seq = 0;
  private readonly now: () => number;
  /**
   * How the next `apps.connections.open` calls fail, one entry per call: Slack's own trouble as
   * an app meets it, an `ok: false` answer or a 503 from its edge.
   */
  private readonly openFailures: Array<'error' | 'http'> = [];
  /** Acks awaited by `sendEnvelope`, by envelope id. */
  private readonly pendingAcks = new Map<string, (ack: Ack) => void>();
  /** Bot tokens in force, with their workspace; an uninstall revokes them. */
  private readonly botTokens = new Map<string, string>();
  /** Channels the bot is a member of (chat.postMessage elsewhere is `not_in_channel`). */
  private readonly botChannels = new Set<string>([FAKE_CHANNEL.id]);
  /** Channels that exist; a post anywhere else is `channel_not_found`. */
  private readonly channels = new Set<string>([FAKE_CHANNEL.id]);
  /** `channel:ts` of messages that have replies: threads that exist. */
  private readonly threads = new Set<string>();
  private readonly responseUrls = new Map<string, ResponseUrlUse>();
  /** Bot tokens an uninstall revoked. */
  private readonly revoked = new Set<string>();

  private constructor(private readonly options: FakeSlackOptions) {
    this.now = options.now ?? Date.now;
    this.botTokens.set(options.botToken, FAKE_TEAM.id);
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        res.writeHead(500).end(String(error));
      });
    });
    this.wss = new WebSocketServer({ noServer: true });
    this.server.on('upgrade', (req, socket, head) => {
      if (!req.url?.startsWith('/link')) {
        socket.destroy();
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws));
    });
  }

  static async start(options: FakeSlackOptions): Promise<FakeSlack> {
    const fake = new FakeSlack(options);
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.base = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  /** The Web API base to give the bot as SLACK_API_URL. */
  get apiUrl(): string {
    return `${this.base}/api/`;
  }

  /** A response_url whose posts are recorded under `id`; its thirty minutes start now. */
  responseUrl(id: string): string {
    if (!this.responseUrls.has(id)) this.responseUrls.set(id, { issuedAt: this.now(), posts: 0 });
    return `${this.base}/respond/${encodeURIComponent(id)}`;
  }

  /** Sockets the app has closed. */
  readonly closed = new Recorder<WebSocket>();

  /** A file uploaded to the workspace (`team`), as a message's `files` carries it. */
  upload(name: string, bytes: Uint8Array, mimetype: string, team = FAKE_TEAM.id): FakeFile {
    const id = `F${randomUUID().replace(/-/gu, '').slice(0, 10).toUpperCase()}`;
    const path = `/files-pri/${team}-${id}/download/${encodeURIComponent(name)}`;
    this.files.set(path, { bytes, mimetype, team });
    return {
      id,
      name,
      title: name,
      mimetype,
      filetype: name.split('.').pop() ?? '',
      size: bytes.byteLength,
      url_private: `${this.base}/files-pri/${team}-${id}/${encodeURIComponent(name)}`,
      url_private_download: `${this.base}${path}`,
      permalink: `https://${FAKE_TEAM.domain}.slack.com/files/U0BOB/${id}/${encodeURIComponent(name)}`,
      mode: 'hosted',
      is_external: false,
    };
  }

  /**
   * Serves a file at its url_private_download only with `Authorization: Bearer` and a bot token
   * of the file's workspace that has files:read; anything else gets the sign-in page.
   */
  private serveFile(req: IncomingMessage, path: string, res: ServerResponse): void {
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : undefined;
    const file = this.files.get(path);
    const scopes = this.options.scopes ?? DEFAULT_BOT_SCOPES;
    const served =
      req.method === 'GET' && file !== undefined && token !== undefined && this.botTokens.get(token) === file.team && scopes.includes('files:read');
    this.fileRequests.push({ path, token, served });
    if (!served || !file) {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(SIGN_IN_PAGE);
      return;
    }
    res.writeHead(200, { 'content-type': file.mimetype, 'content-length': String(file.bytes.byteLength) }).end(file.bytes);
  }

  /** A channel the bot is not in (or, with `member`, one it is in). */
  addChannel(id: string, member = false): void {
    this.channels.add(id);
    if (member) this.botChannels.add(id);
  }

  /**
   * A user's message posted in a thread, which makes the thread exist; the fake learns of an
   * `app_mention` in a thread by itself when it delivers it over the socket.
   */
  noteReply(channel: string, threadTs: string): void {
    this.threads.add(`${channel}:${threadTs}`);
  }

  /**
   * What `user` sees in `channel` (in `thread`, or at the top level), in order: public messages
   * and the ephemeral ones addressed to them that Slack shows. An ephemeral message posted into
   * a thread that did not exist is not there: Slack accepted it and showed it to no one.
   */
  seenBy(user: string, channel: string, thread?: string): PostedMessage[] {
    return this.messages.items.filter((m) => m.channel === channel && m.thread === thread && m.shown && (m.method === 'chat.postMessage' || m.user === user));
  }

  /**
   * The workspace removes the app: its bot token stops working (`token_revoked`), and Slack
   * sends `tokens_revoked` then `app_uninstalled` to the app (docs.slack.dev/reference/events/
   * app_uninstalled: "You should also receive tokens_revoked events… the order… [is] not
   * guaranteed"). Returns the two Events API bodies, for the test to deliver in either mode.
   */
  uninstall(teamId: string, botUserId: string): [Record<string, unknown>, Record<string, unknown>] {
    for (const [token, team] of this.botTokens) {
      if (team !== teamId) continue;
      this.botTokens.delete(token);
      this.revoked.add(token);
    }
    return [tokensRevoked(teamId, [botUserId]), appUninstalled(teamId)];
  }

  private accept(ws: WebSocket): void {
    this.socket = ws;
    ws.on('close', () => this.closed.push(ws));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as Omit<Ack, 'seq'>;
      const ack = { ...message, seq: ++this.seq };
      this.acks.push(ack);
      this.pendingAcks.get(ack.envelope_id)?.(ack);
      this.pendingAcks.delete(ack.envelope_id);
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, connection_info: { app_id: FAKE_BOT.app_id }, debug_info: { host: 'fake' } }));
    this.connections.push(ws);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.base);
    if (url.pathname.startsWith('/files-pri/')) {
      this.serveFile(req, url.pathname, res);
      return;
    }
    const body = await readBody(req);
    const respond = (data: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(data));
    };
    if (req.method === 'POST' && url.pathname.startsWith('/respond/')) {
      this.respondTo(decodeURIComponent(url.pathname.slice('/respond/'.length)), JSON.parse(body) as Record<string, unknown>, res);
      return;
    }
    const method = /^\/api\/([\w.]+)$/u.exec(url.pathname)?.[1];
    if (req.method !== 'POST' || !method) {
      res.writeHead(404).end();
      return;
    }
    const params = parseParams(body, req.headers['content-type']);
    const header = req.headers.authorization;
    const token = header?.startsWith('Bearer ') ? header.slice(7) : typeof params.token === 'string' ? params.token : undefined;
    if (method === 'apps.connections.open' && this.openFailures[0] === 'http') {
      this.openFailures.shift();
      this.calls.push({ method, token, params, response: { status: 503 } });
      res.writeHead(503).end('service unavailable');
      return;
    }
    const response = this.answer(method, token, params);
    this.calls.push({ method, token, params, response });
    respond(response);
  }

  /**
   * A post to a response_url: refused (HTTP 404) when it is the sixth or comes after thirty
   * minutes, and (HTTP 400) when Slack would refuse the message itself; recorded either way.
   */
  private respondTo(id: string, body: Record<string, unknown>, res: ServerResponse): void {
    const use = this.responseUrls.get(id) ?? { issuedAt: this.now(), posts: 0 };
    this.responseUrls.set(id, use);
    const record = (accepted: boolean) => this.responses.push({ id, body, seq: ++this.seq, accepted });
    if (id.startsWith(FAILING_RESPONSE_PREFIX)) {
      record(false);
      res.writeHead(500).end('expired_url');
      return;
    }
    if (use.posts >= RESPONSE_URL_MAX_POSTS || this.now() - use.issuedAt > RESPONSE_URL_WINDOW_MS) {
      record(false);
      res.writeHead(404).end('expired_url');
      return;
    }
    const refusal = body.delete_original === true ? null : messageRefusal(body);
    if (refusal) {
      record(false);
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify(refusal));
      return;
    }
    use.posts++;
    record(true);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true }));
  }

  /** The workspace a token belongs to, or Slack's refusal of it. */
  private authenticate(method: string, token: string | undefined): { team: string } | { ok: false; error: string } {
    const kind = METHODS[method]?.token;
    if (kind === 'none') return { team: '' };
    if (!token) return { ok: false, error: 'not_authed' };
    if (kind === 'app') {
      if (token === this.options.appToken) return { team: '' };
      return { ok: false, error: token.startsWith('xoxb-') ? 'not_allowed_token_type' : 'invalid_auth' };
    }
    const team = this.botTokens.get(token);
    if (team !== undefined) return { team };
    if (this.revoked.has(token)) return { ok: false, error: 'token_revoked' };
    return { ok: false, error: 'invalid_auth' };
  }

  private answer(method: string, token: string | undefined, params: Record<string, unknown>): Record<string, unknown> {
    const spec = METHODS[method];
    if (!spec) return { ok: false, error: 'unknown_method', req_method: method };
    if (method === 'apps.connections.open' && this.openFailures.shift() === 'error') return { ok: false, error: 'internal_error' };
    const auth = this.authenticate(method, token);
    if (!('team' in auth)) return auth;
    const granted = spec.token === 'bot' ? (this.options.scopes ?? DEFAULT_BOT_SCOPES) : ['connections:write'];
    // As Slack words it: the scope the method needs, and the ones the token has.
    if (spec.scope && !granted.includes(spec.scope)) return { ok: false, error: 'missing_scope', needed: spec.scope, provided: granted.join(',') };
    switch (method) {
      case 'apps.connections.open':
        return { ok: true, url: `${this.base.replace(/^http/u, 'ws')}/link?ticket=${randomUUID()}` };
      case 'oauth.v2.access':
        return this.exchange(params);
      case 'auth.test':
        return auth.team === SECOND_TEAM.id
          ? { ok: true, url: 'https://second.slack.com/', team: SECOND_TEAM.name, team_id: SECOND_TEAM.id, user_id: SECOND_TEAM.botUserId, bot_id: 'B0BOT2' }
          : {
              ok: true,
              url: `https://${FAKE_TEAM.domain}.slack.com/`,
              team: 'Fake',
              user: 'yinzheng',
              team_id: FAKE_TEAM.id,
              user_id: FAKE_BOT.user_id,
              bot_id: FAKE_BOT.bot_id,
            };
      case 'chat.postMessage':
      case 'chat.postEphemeral':
        return this.post(method, params);
      case 'users.info':
        return this.userInfo(auth.team, params);
      default:
        return { ok: false, error: 'unknown_method', req_method: method };
    }
  }

  /**
   * chat.postMessage and chat.postEphemeral, refusing what Slack refuses
   * (docs.slack.dev/reference/methods/chat.postMessage, …/chat.postEphemeral): an unknown
   * channel, a public post where the bot is not a member (`not_in_channel`), an ephemeral
   * message without its user, and any message Slack would not take (slack-rules.ts).
   */
  private post(method: 'chat.postMessage' | 'chat.postEphemeral', params: Record<string, unknown>): Record<string, unknown> {
    const channel = String(params.channel ?? '');
    if (!this.channels.has(channel)) return { ok: false, error: 'channel_not_found' };
    if (method === 'chat.postMessage' && !this.botChannels.has(channel)) return { ok: false, error: 'not_in_channel' };
    if (method === 'chat.postEphemeral' && typeof params.user !== 'string') return { ok: false, error: 'user_not_found' };
    const refusal = messageRefusal(params);
    if (refusal) return refusal;
    const thread = typeof params.thread_ts === 'string' ? params.thread_ts : undefined;
    const ts = this.nextTs();
    // chat.postEphemeral, thread_ts: "Ephemeral messages in threads are only shown if there is
    // already an active thread." Slack still answers ok: true.
    const shown = method === 'chat.postMessage' || thread === undefined || this.threads.has(`${channel}:${thread}`);
    if (method === 'chat.postMessage' && thread !== undefined) this.threads.add(`${channel}:${thread}`);
    this.messages.push({
      method,
      channel,
      thread,
      user: method === 'chat.postEphemeral' ? String(params.user) : undefined,
      text: String(params.text ?? ''),
      blocks: params.blocks,
      shown,
      ts,
    });
    return method === 'chat.postMessage'
      ? { ok: true, channel, ts, message: { text: params.text, blocks: params.blocks, ...(thread ? { thread_ts: thread } : {}) } }
      : { ok: true, message_ts: ts };
  }

  /** users.info as Slack answers it (docs.slack.dev/reference/methods/users.info): `locale` only with include_locale. */
  private userInfo(team: string, params: Record<string, unknown>): Record<string, unknown> {
    const user = String(params.user ?? '');
    if (!/^[UW][A-Z0-9]+$/u.test(user)) return { ok: false, error: 'user_not_found' };
    const locale = this.locales.get(user) ?? 'en-US';
    const withLocale = params.include_locale === true || String(params.include_locale) === 'true';
    return {
      ok: true,
      user: {
        id: user,
        team_id: team,
        name: user.toLowerCase(),
        deleted: false,
        real_name: user.toLowerCase(),
        tz: 'Asia/Shanghai',
        is_bot: false,
        is_admin: this.admins.has(user) || this.owners.has(user),
        is_owner: this.owners.has(user),
        ...(withLocale ? { locale } : {}),
        profile: { display_name: user.toLowerCase(), real_name: user.toLowerCase() },
      },
    };
  }

  /** `oauth.v2.access`: a code for the second workspace's installation, if the client's credentials are right. */
  private exchange(params: Record<string, unknown>): Record<string, unknown> {
    const oauth = this.options.oauth;
    if (!oauth || params.client_id !== oauth.clientId || params.client_secret !== oauth.clientSecret) return { ok: false, error: 'invalid_client_id' };
    if (typeof params.code !== 'string' || params.code === '') return { ok: false, error: 'invalid_code' };
    this.botTokens.set(SECOND_TEAM.botToken, SECOND_TEAM.id);
    return {
      ok: true,
      app_id: FAKE_BOT.app_id,
      authed_user: { id: 'U0INSTALLER' },
      scope: (this.options.scopes ?? DEFAULT_BOT_SCOPES).join(','),
      token_type: 'bot',
      access_token: SECOND_TEAM.botToken,
      bot_user_id: SECOND_TEAM.botUserId,
      team: { id: SECOND_TEAM.id, name: SECOND_TEAM.name },
      enterprise: null,
      is_enterprise_install: false,
    };
  }

  private nextTs(): string {
    this.ts += 1;
    return `${this.ts}.000100`;
  }

  /**
   * Sends an envelope over the Socket Mode connection and resolves with the app's ack.
   * Slack retries an unacknowledged envelope; the fake just waits, and the test's timeout
   * is what fails a missing ack.
   */
  async sendEnvelope(type: 'slash_commands' | 'interactive' | 'events_api', payload: Record<string, unknown>): Promise<Ack> {
    if (this.socket?.readyState !== 1) throw new Error('fake-slack: no open Socket Mode connection');
    const socket = this.socket;
    const event = payload.event as { channel?: unknown; thread_ts?: unknown } | undefined;
    if (type === 'events_api' && typeof event?.channel === 'string' && typeof event.thread_ts === 'string') this.noteReply(event.channel, event.thread_ts);
    const envelope_id = randomUUID();
    // A map rather than `acks.until`, whose rescans would dominate a run of hundreds of envelopes.
    const acked = new Promise<Ack>((resolve) => this.pendingAcks.set(envelope_id, resolve));
    socket.send(JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type === 'slash_commands' }));
    return acked;
  }

  /**
   * Drops every Socket Mode connection at once, without a `disconnect` message or a close
   * frame, as a network failure or a crashed Slack host does.
   */
  dropAll(): void {
    for (const ws of this.wss.clients) ws.terminate();
  }

  /**
   * Makes the next `apps.connections.open` call fail: `'error'` answers `{ ok: false, error:
   * 'internal_error' }`, `'http'` answers HTTP 503. Calls after it succeed again.
   */
  failNextOpen(how: 'error' | 'http'): void {
    this.openFailures.push(how);
  }

  /** Asks the app to reconnect, as Slack does when it recycles a connection. */
  sendDisconnect(): void {
    this.socket?.send(JSON.stringify({ type: 'disconnect', reason: 'refresh_requested' }));
  }

  async close(): Promise<void> {
    for (const ws of this.wss.clients) ws.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** An Events API body as Slack posts it (over HTTP as JSON, in Socket Mode as the envelope's payload). */
function eventCallback(teamId: string, event: Record<string, unknown>): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token',
    team_id: teamId,
    api_app_id: FAKE_BOT.app_id,
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/gu, '').slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    event,
  };
}

/** `tokens_revoked` (docs.slack.dev/reference/events/tokens_revoked): user IDs, not tokens, by kind. */
export function tokensRevoked(teamId: string, botUserIds: string[]): Record<string, unknown> {
  return eventCallback(teamId, { type: 'tokens_revoked', tokens: { bot: botUserIds } });
}

/** `app_uninstalled` (docs.slack.dev/reference/events/app_uninstalled): the team_id says which workspace. */
export function appUninstalled(teamId: string): Record<string, unknown> {
  return eventCallback(teamId, { type: 'app_uninstalled' });
}

/** A slash command as Slack sends it (over the socket as the payload, over HTTP as form fields). */
export function slashCommand(command: string, text: string, responseUrl: string, userId = 'U0ALICE'): Record<string, string> {
  return {
    token: 'deprecated-verification-token',
    team_id: FAKE_TEAM.id,
    team_domain: FAKE_TEAM.domain,
    channel_id: FAKE_CHANNEL.id,
    channel_name: FAKE_CHANNEL.name,
    user_id: userId,
    user_name: 'alice',
    command,
    text,
    api_app_id: FAKE_BOT.app_id,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: `trigger-${randomUUID()}`,
  };
}

/** A button in a message the bot posted, as the `actions` entry of a block_actions payload needs it. */
export interface ClickedButton {
  action_id: string;
  value: string;
  text: { type: 'plain_text'; text: string };
}

/** A click on a button, as Slack sends it. */
export function blockAction(button: ClickedButton, responseUrl: string, userId = 'U0ALICE', ephemeral = true): Record<string, unknown> {
  return {
    type: 'block_actions',
    user: { id: userId, username: 'alice', name: 'alice', team_id: FAKE_TEAM.id },
    api_app_id: FAKE_BOT.app_id,
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: '1700000000.000100', channel_id: FAKE_CHANNEL.id, is_ephemeral: ephemeral },
    trigger_id: `trigger-${randomUUID()}`,
    team: FAKE_TEAM,
    enterprise: null,
    is_enterprise_install: false,
    channel: FAKE_CHANNEL,
    response_url: responseUrl,
    actions: [{ ...button, block_id: 'yinzheng-actions', type: 'button', action_ts: '1700000001.000200' }],
  };
}

/** The "Find source" message shortcut used on a message with `text`. */
export function messageShortcut(
  callbackId: string,
  text: string,
  responseUrl: string | undefined,
  userId = 'U0ALICE',
  files?: FakeFile[],
): Record<string, unknown> {
  return {
    type: 'message_action',
    callback_id: callbackId,
    trigger_id: `trigger-${randomUUID()}`,
    message_ts: '1700000000.000300',
    ...(responseUrl ? { response_url: responseUrl } : {}),
    message: { type: 'message', user: 'U0BOB', ts: '1700000000.000300', text, ...(files ? { files, upload: true } : {}) },
    user: { id: userId, name: 'alice', team_id: FAKE_TEAM.id },
    channel: FAKE_CHANNEL,
    team: FAKE_TEAM,
    token: 'deprecated-verification-token',
    action_ts: '1700000002.000400',
    is_enterprise_install: false,
  };
}

/** Posts to the app's HTTP endpoint as Slack does: form-encoded and signed (or forged). */
export async function postSigned(
  url: string,
  form: Record<string, string>,
  signing: { secret: string; timestamp: number; signature?: string },
): Promise<{ status: number; body: string }> {
  const body = new URLSearchParams(form).toString();
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(signing.timestamp),
      'x-slack-signature': signing.signature ?? slackSignature(signing.secret, signing.timestamp, body),
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}

/**
 * A message (or any value holding messages) with the revision the adapter gives each answer's
 * block_ids taken out, to compare it with a rendering made without one.
 */
export function withoutRevisions<T>(value: T): T {
  return JSON.parse(JSON.stringify(value).replace(/"block_id":"yinzheng-actions-[0-9a-f]+"/gu, '"block_id":"yinzheng-actions"')) as T;
}

/** Posts an Events API body to the app's HTTP endpoint as Slack does: JSON, signed. */
export async function postSignedEvent(url: string, event: Record<string, unknown>, secret: string): Promise<{ status: number; body: string }> {
  const body = JSON.stringify(event);
  const timestamp = Math.floor(Date.now() / 1000);
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': slackSignature(secret, timestamp, body),
    },
    body,
  });
  return { status: response.status, body: await response.text() };
}

/**
 * Socket Mode's reconnect waits, shortened for the loopback fake: the client reconnects
 * after half a second instead of five (and pings every sixth of a second, which loopback
 * answers at once), and retries a refused apps.connections.open within tens of
 * milliseconds instead of from a second on.
 */
export const FAST_SOCKET: SocketTuning = { clientPingTimeoutMs: 500, retryConfig: { retries: 100, factor: 1, minTimeout: 20, maxTimeout: 100 } };

/** An `app_mention` event as the Events API delivers it (the envelope payload in Socket Mode, the body over HTTP). */
export function appMention(
  text: string,
  options: { ts: string; threadTs?: string; userId?: string; channel?: string; files?: FakeFile[] },
): Record<string, unknown> {
  return {
    token: 'deprecated-verification-token',
    team_id: FAKE_TEAM.id,
    api_app_id: FAKE_BOT.app_id,
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/gu, '').slice(0, 10).toUpperCase()}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: FAKE_TEAM.id, user_id: FAKE_BOT.user_id, is_bot: true }],
    event: {
      type: 'app_mention',
      user: options.userId ?? 'U0ALICE',
      text,
      ts: options.ts,
      ...(options.threadTs ? { thread_ts: options.threadTs } : {}),
      channel: options.channel ?? FAKE_CHANNEL.id,
      event_ts: options.ts,
      // A mention in a message with files: "files" and "upload" (bolt-js #2056).
      ...(options.files ? { files: options.files, upload: true } : {}),
    },
  };
}
