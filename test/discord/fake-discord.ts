import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';

/**
 * A loopback fake of Discord: the REST routes the bot uses and a JSON gateway, on one
 * 127.0.0.1 port. It is a fake of the outside world only; the bot under test runs the real
 * discord.js client against it. Everything it receives is recorded, and a test awaits the
 * requests it expects instead of sleeping.
 *
 * Details a real discord.js 14.28 client depends on:
 * - A 204 must carry no JSON content-type, or @discordjs/rest tries to parse an empty body.
 * - `@original` arrives percent-encoded as `%40original`.
 * - Interaction callbacks and interaction webhooks carry no Authorization header.
 * - The gateway URL gets `?v=10&encoding=json` appended.
 * - READY must hold `application` ({id, flags}), `user`, `session_id`, `resume_gateway_url`
 *   and `guilds`; with `guilds: []` the client turns ready at once.
 * - After a dropped connection @discordjs/ws waits 500 ms, reconnects to `resume_gateway_url`
 *   and sends RESUME (op 6); a fresh IDENTIFY waits for its identify throttle, up to 6.5 s
 *   after the previous one.
 */

/** One HTTP request as the fake received it. */
export interface RecordedRequest {
  method: string;
  /** Path below the API version, e.g. `/interactions/1/tok/callback`; percent-encoding kept. */
  route: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  /** Parsed JSON body, or undefined when there was none. */
  body: unknown;
  /** The status the fake answered with; 400 when the body breaks one of Discord's limits. */
  status: number;
  /** Why the fake refused the body, in Discord's words where it has them. */
  refused?: string;
  /** Set when the request took effect although its answer was a failure (see `Failure.afterProcessing`). */
  processed?: true;
}

/** A gateway payload as sent by the client. */
export interface GatewayPayload {
  op: number;
  d: unknown;
  s?: number | null;
  t?: string | null;
}

export interface FakeDiscordOptions {
  applicationId?: string;
  /** The bot token the fake accepts; any other gets a 401, as from Discord. */
  token?: string;
  /** HELLO's heartbeat interval; discord.js sends its first heartbeat after a random fraction of it. */
  heartbeatIntervalMs?: number;
  /** The loopback port to listen on; a free one by default. */
  port?: number;
}

/** A request the fake will refuse, see `failNext`. */
export interface Failure {
  match: (request: { method: string; route: string }) => boolean;
  status: number;
  /** Seconds, for a 429: sent as `retry_after` in the body and the Retry-After header, as Discord does. */
  retryAfter?: number;
  /** How many matching requests to refuse; 1 unless given. */
  times?: number;
  /** The request takes effect and only its answer is the failure, as when a response is lost on the way back. */
  afterProcessing?: boolean;
}

/** A user as the fake puts it into interactions. */
export interface FakeUser {
  id: string;
  username: string;
}

const DISCORD_EPOCH = 1420070400000n;
/** Dispatches kept for replay on RESUME; an older sequence cannot be resumed, as on Discord. */
const REPLAY_MAX = 200;
const ACKNOWLEDGED_MAX = 5000;
const API_PREFIX = '/api/v10';

/** A snowflake for a given creation time; discord.js reads an interaction's age from it. */
export function snowflake(createdAt: number, increment = 0): string {
  return String(((BigInt(createdAt) - DISCORD_EPOCH) << 22n) | BigInt(increment & 0xfff));
}

type Waiter<T> = { match: (item: T) => boolean; resolve: (item: T) => void };

/** A list that can be awaited: `next(pred)` resolves with the first item, past or future, that matches and was not taken yet. */
export class AwaitableLog<T> {
  readonly items: T[] = [];
  private readonly taken = new Set<T>();
  private waiters: Array<Waiter<T>> = [];
  private readonly listeners = new Set<(item: T) => void>();

  push(item: T): void {
    this.items.push(item);
    for (const listener of this.listeners) listener(item);
    const waiter = this.waiters.find((w) => w.match(item));
    if (waiter) {
      this.waiters = this.waiters.filter((w) => w !== waiter);
      this.taken.add(item);
      waiter.resolve(item);
    }
  }

  /** Calls `listener` with every item pushed from now on; returns a function that stops it. */
  watch(listener: (item: T) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Forgets the items recorded so far (waiters stay), so a long run does not keep them all. */
  clear(): void {
    this.items.length = 0;
    this.taken.clear();
  }

  /** Resolves with the first matching item not yet handed out by `next`. */
  next(match: (item: T) => boolean): Promise<T> {
    const found = this.items.find((i) => !this.taken.has(i) && match(i));
    if (found) {
      this.taken.add(found);
      return Promise.resolve(found);
    }
    return new Promise((resolve) => this.waiters.push({ match, resolve }));
  }
}

export class FakeDiscord {
  readonly applicationId: string;
  readonly requests = new AwaitableLog<RecordedRequest>();
  readonly gatewayPayloads = new AwaitableLog<GatewayPayload>();
  readonly botUser: FakeUser = { id: '', username: 'yinzheng' };
  /** The URL of each gateway connection, as the client asked for it. */
  readonly gatewayConnections: string[] = [];
  /** Close codes of gateway connections, as the client closed them. */
  readonly gatewayCloses = new AwaitableLog<number>();
  /** Each gateway connection refused while `refuseGateway` is set, as when Discord is out of reach. */
  readonly refusedGateways = new AwaitableLog<number>();
  /** Refuses gateway connections (the upgrade fails with 503), so the client keeps trying. */
  refuseGateway = false;
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly heartbeatIntervalMs: number;
  private readonly token: string;
  private socket: WebSocket | undefined;
  /** The gateway session: what a RESUME may pick up again, unless it was invalidated. */
  private session: { id: string; resumable: boolean; history: GatewayPayload[] } | undefined;
  private sessions = 0;
  private readonly failures: Failure[] = [];
  private sequence = 0;
  private nextId = 1;
  private readonly messages = new Map<string, Record<string, unknown>>();
  /** Registered application commands, by route (global, or one server's). */
  readonly commands = new Map<string, Array<Record<string, unknown>>>();
  /** The servers the bot is in, as GET /users/@me/guilds lists them. */
  botGuilds: string[] = [];
  /** Interactions whose 3 s window has passed: Discord answers their callbacks with 404 Unknown interaction. */
  private readonly expired = new Set<string>();
  /** Interactions whose callback Discord has taken; a second callback is refused, as on Discord. */
  private readonly acknowledged = new Set<string>();

  private constructor(options: FakeDiscordOptions) {
    this.applicationId = options.applicationId ?? '100000000000000001';
    this.botUser.id = this.applicationId;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.token = options.token ?? 'fake-token';
    this.server = createServer((req, res) => void this.handle(req, res));
    this.wss = new WebSocketServer({
      server: this.server,
      verifyClient: (_info, done) => {
        if (!this.refuseGateway) return done(true);
        this.refusedGateways.push(this.refusedGateways.items.length + 1);
        done(false, 503);
      },
    });
    this.wss.on('connection', (socket, req) => {
      this.gatewayConnections.push(req.url ?? '');
      this.onGateway(socket);
    });
  }

  static async start(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
    const fake = new FakeDiscord(options);
    fake.server.listen(options.port ?? 0, '127.0.0.1');
    await once(fake.server, 'listening');
    return fake;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The REST base to put in DISCORD_API_BASE. */
  get apiBase(): string {
    return `http://127.0.0.1:${this.port}${API_PREFIX}`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── gateway ────────────────────────────────────────────────────────────────

  private send(payload: GatewayPayload): void {
    if (!this.socket) throw new Error('fake-discord: no gateway connection to dispatch on');
    this.socket.send(JSON.stringify(payload));
  }

  /**
   * Sends a dispatch on the live connection. While the connection is down the dispatch is only
   * kept in the session's history, as Discord keeps it, to be replayed when the client resumes.
   */
  private dispatch(t: string, d: unknown): void {
    if (!this.socket) throw new Error('fake-discord: no gateway connection to dispatch on');
    const payload: GatewayPayload = { op: 0, t, s: ++this.sequence, d };
    if (this.session) {
      this.session.history.push(payload);
      if (this.session.history.length > REPLAY_MAX) this.session.history.shift();
    }
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(payload));
  }

  /**
   * Drops the gateway connection from Discord's side: without a close frame (the client sees
   * 1006, as when a network path dies) or with `code` (4000 "unknown error" is resumable).
   */
  dropGateway(code?: number): void {
    if (!this.socket) throw new Error('fake-discord: no gateway connection to drop');
    if (code === undefined) this.socket.terminate();
    else this.socket.close(code, 'fake-discord: dropped');
  }

  /**
   * Ends the session: a RESUME is answered with INVALID_SESSION (op 9, not resumable), and when
   * connected the client is told so at once, as Discord does. Either way it must IDENTIFY again.
   */
  invalidateSession(): void {
    if (this.session) this.session.resumable = false;
    if (this.socket?.readyState === WebSocket.OPEN) this.send({ op: 9, d: false });
  }

  /**
   * Holds the next matching request unanswered until `release()`, as a slow Discord would:
   * `arrived` settles when it is being held.
   */
  holdNext(match: (request: { method: string; route: string }) => boolean): { arrived: Promise<void>; release(): void } {
    let arrive: () => void = () => undefined;
    let release: () => void = () => undefined;
    const arrived = new Promise<void>((resolve) => {
      arrive = resolve;
    });
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    this.holds.push({ match, arrive, released });
    return { arrived, release };
  }

  private readonly holds: Array<{ match: (request: { method: string; route: string }) => boolean; arrive: () => void; released: Promise<void> }> = [];

  /** Refuses the next matching request(s) with `status`: an outage (5xx) or a rate limit (429). */
  failNext(failure: Failure): void {
    this.failures.push({ ...failure, times: failure.times ?? 1 });
  }

  /** Forgets recorded requests and stored messages, so a long run measures the bot's memory and not the fake's. */
  clearRecords(): void {
    this.requests.clear();
    this.gatewayPayloads.clear();
    this.messages.clear();
  }

  private resume(d: { session_id?: string; seq?: number }): void {
    const session = this.session;
    const oldest = session?.history[0]?.s ?? this.sequence + 1;
    const seq = d.seq ?? 0;
    if (!session?.resumable || session.id !== d.session_id || seq + 1 < oldest) {
      this.send({ op: 9, d: false });
      return;
    }
    for (const missed of session.history) if ((missed.s ?? 0) > seq) this.send(missed);
    this.dispatch('RESUMED', {});
  }

  private onGateway(socket: WebSocket): void {
    this.socket = socket;
    socket.on('close', (code) => this.gatewayCloses.push(code));
    socket.on('message', (data) => {
      const payload = JSON.parse(String(data)) as GatewayPayload;
      this.gatewayPayloads.push(payload);
      if (payload.op === 1) this.send({ op: 11, d: null });
      if (payload.op === 6) this.resume(payload.d as { session_id?: string; seq?: number });
      if (payload.op === 2) {
        // A new session starts its sequence over and cannot pick up the old one's events.
        this.session = { id: `fake-session-${++this.sessions}`, resumable: true, history: [] };
        this.sequence = 0;
        this.dispatch('READY', {
          v: 10,
          user: { id: this.botUser.id, username: this.botUser.username, discriminator: '0', global_name: null, avatar: null, bot: true, flags: 0 },
          guilds: [],
          session_id: this.session.id,
          resume_gateway_url: this.gatewayUrl,
          shard: [0, 1],
          application: { id: this.applicationId, flags: 0 },
        });
      }
    });
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs } }));
  }

  // ── interactions ───────────────────────────────────────────────────────────

  private base(type: number, user: FakeUser, locale: string, createdAt: number) {
    const id = snowflake(createdAt, this.nextId++);
    return {
      id,
      application_id: this.applicationId,
      type,
      token: `token-${id}`,
      version: 1,
      locale,
      guild_locale: 'en-US',
      guild_id: '200000000000000001',
      channel_id: '300000000000000001',
      channel: { id: '300000000000000001', type: 0, guild_id: '200000000000000001', name: 'research' },
      member: {
        user: { id: user.id, username: user.username, discriminator: '0', global_name: null, avatar: null },
        roles: [],
        permissions: '2248473465835073',
        joined_at: '2025-01-01T00:00:00.000Z',
        deaf: false,
        mute: false,
        flags: 0,
      },
      app_permissions: '2248473465835073',
      entitlements: [],
      authorizing_integration_owners: { '0': '200000000000000001' },
      context: 0,
      attachment_size_limit: 10_485_760,
    };
  }

  /** Dispatches a slash command; returns the interaction ID and token to await answers by. */
  slashCommand(input: {
    name: string;
    options?: Record<string, string | number | boolean>;
    user: FakeUser;
    locale?: string;
    createdAt?: number;
    /** Answer its callbacks as Discord does once the 3 s window has passed. */
    expired?: boolean;
  }): { id: string; token: string } {
    const payload = {
      ...this.base(2, input.user, input.locale ?? 'en-US', input.createdAt ?? Date.now()),
      data: {
        id: '400000000000000001',
        name: input.name,
        type: 1,
        options: Object.entries(input.options ?? {}).map(([name, value]) => ({ name, type: optionType(value), value })),
      },
    };
    if (input.expired) this.expired.add(payload.id);
    this.dispatch('INTERACTION_CREATE', payload);
    return { id: payload.id, token: payload.token };
  }

  /** Dispatches an autocomplete request with `focused` as the option being typed. */
  autocomplete(input: { name: string; options?: Record<string, string | number | boolean>; focused: string; user: FakeUser; locale?: string }): {
    id: string;
    token: string;
  } {
    const payload = {
      ...this.base(4, input.user, input.locale ?? 'en-US', Date.now()),
      data: {
        id: '400000000000000001',
        name: input.name,
        type: 1,
        options: Object.entries(input.options ?? {}).map(([name, value]) => ({
          name,
          type: optionType(value),
          value,
          ...(name === input.focused ? { focused: true } : {}),
        })),
      },
    };
    this.dispatch('INTERACTION_CREATE', payload);
    return { id: payload.id, token: payload.token };
  }

  /** Dispatches a button press on a message the bot posted earlier. */
  button(input: { customId: string; user: FakeUser; message: Record<string, unknown>; locale?: string; createdAt?: number }): {
    id: string;
    token: string;
  } {
    const payload = {
      ...this.base(3, input.user, input.locale ?? 'en-US', input.createdAt ?? Date.now()),
      message: input.message,
      data: { custom_id: input.customId, component_type: 2 },
    };
    this.dispatch('INTERACTION_CREATE', payload);
    return { id: payload.id, token: payload.token };
  }

  /** Dispatches the message context-menu command `name` on a message with the given content. */
  messageCommand(input: { name: string; content: string; author: FakeUser; user: FakeUser; locale?: string }): { id: string; token: string } {
    const target = snowflake(Date.now(), this.nextId++);
    const payload = {
      ...this.base(2, input.user, input.locale ?? 'en-US', Date.now()),
      data: {
        id: '400000000000000002',
        name: input.name,
        type: 3,
        target_id: target,
        resolved: {
          messages: {
            [target]: this.messageObject(target, {
              content: input.content,
              author: { id: input.author.id, username: input.author.username, discriminator: '0', global_name: null, avatar: null },
            }),
          },
        },
      },
    };
    this.dispatch('INTERACTION_CREATE', payload);
    return { id: payload.id, token: payload.token };
  }

  // ── REST ───────────────────────────────────────────────────────────────────

  /** The message a webhook request created or edited, as Discord would return it. */
  private messageObject(id: string, data: Record<string, unknown>): Record<string, unknown> {
    return {
      id,
      channel_id: '300000000000000001',
      type: 0,
      content: '',
      embeds: [],
      components: [],
      attachments: [],
      mentions: [],
      mention_roles: [],
      mention_everyone: false,
      pinned: false,
      tts: false,
      flags: 0,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      author: { id: this.botUser.id, username: this.botUser.username, discriminator: '0', global_name: null, avatar: null, bot: true },
      webhook_id: this.applicationId,
      application_id: this.applicationId,
      ...data,
    };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    const route = url.pathname.startsWith(API_PREFIX) ? url.pathname.slice(API_PREFIX.length) : url.pathname;
    const recorded: RecordedRequest = {
      method: req.method ?? 'GET',
      route,
      query: url.searchParams,
      headers: req.headers,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
      status: 0,
    };
    const hold = this.holds.find((h) => h.match(recorded));
    if (hold) {
      this.holds.splice(this.holds.indexOf(hold), 1);
      hold.arrive();
      await hold.released;
    }
    const failure = this.failure(recorded);
    if (failure?.afterProcessing) {
      this.respond(recorded);
      recorded.processed = true;
    }
    const reply = failure?.reply ?? this.respond(recorded);
    recorded.status = reply.status;
    if (reply.status === 400) recorded.refused = (reply.body as { message: string }).message;
    if (reply.status === 204) {
      res.writeHead(204).end();
    } else {
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(JSON.stringify(reply.body));
    }
    // Recorded after the response is written, so that a test awaiting a request also sees its answer delivered.
    this.requests.push(recorded);
  }

  private failure(r: RecordedRequest): { reply: { status: number; body: unknown; headers?: Record<string, string> }; afterProcessing: boolean } | undefined {
    const failure = this.failures.find((f) => f.match(r));
    if (!failure) return undefined;
    failure.times = (failure.times ?? 1) - 1;
    if (failure.times <= 0) this.failures.splice(this.failures.indexOf(failure), 1);
    const afterProcessing = failure.afterProcessing ?? false;
    if (failure.status === 429) {
      const retryAfter = failure.retryAfter ?? 1;
      return {
        reply: {
          status: 429,
          body: { message: 'You are being rate limited.', retry_after: retryAfter, global: false },
          headers: { 'retry-after': String(retryAfter), 'x-ratelimit-scope': 'user' },
        },
        afterProcessing,
      };
    }
    return { reply: { status: failure.status, body: { message: `${failure.status}: fake-discord outage`, code: 0 } }, afterProcessing };
  }

  private respond(r: RecordedRequest): { status: number; body?: unknown; headers?: Record<string, string> } {
    const { method, route } = r;
    const body = (r.body ?? {}) as Record<string, unknown>;
    const authorized = r.headers.authorization === `Bot ${this.token}`;
    if (method === 'GET' && route === '/gateway/bot') {
      if (!authorized) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      return {
        status: 200,
        body: { url: this.gatewayUrl, shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } },
      };
    }
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/u.test(route)) {
      const id = route.split('/')[2] as string;
      if (this.expired.has(id)) return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
      const data = (body.data ?? {}) as Record<string, unknown>;
      const invalid = body.type === 4 || body.type === 7 ? messageProblem(data) : body.type === 8 ? choicesProblem(data) : null;
      if (invalid) return invalidBody(invalid);
      if (this.acknowledged.has(id)) return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
      this.acknowledged.add(id);
      // Discord forgets an interaction after 15 minutes; the fake keeps the latest few thousand.
      if (this.acknowledged.size > ACKNOWLEDGED_MAX) this.acknowledged.delete(this.acknowledged.values().next().value as string);
      const token = route.split('/')[3] as string;
      if (body.type === 4 || body.type === 7) this.messages.set(token, this.messageObject(snowflake(Date.now(), this.nextId++), data));
      if (body.type === 5) this.messages.set(token, this.messageObject(snowflake(Date.now(), this.nextId++), { flags: data.flags ?? 0 }));
      return { status: 204 };
    }
    const original = /^\/webhooks\/(\d+)\/([^/]+)\/messages\/(%40original|@original)$/u.exec(route);
    if (original) {
      const token = original[2] as string;
      const stored = this.messages.get(token) ?? this.messageObject(snowflake(Date.now(), this.nextId++), {});
      if (method === 'PATCH') {
        const invalid = messageProblem(body, { edit: true });
        if (invalid) return invalidBody(invalid);
        const updated = { ...stored, ...body, edited_timestamp: new Date().toISOString() };
        this.messages.set(token, updated);
        return { status: 200, body: updated };
      }
      if (method === 'GET') return { status: 200, body: stored };
      if (method === 'DELETE') {
        this.messages.delete(token);
        return { status: 204 };
      }
    }
    if (method === 'POST' && /^\/webhooks\/\d+\/[^/]+$/u.test(route)) {
      const invalid = messageProblem(body);
      if (invalid) return invalidBody(invalid);
      return { status: 200, body: this.messageObject(snowflake(Date.now(), this.nextId++), body) };
    }
    if (/^\/applications\/\d+(\/guilds\/\d+)?\/commands$/u.test(route) && (method === 'PUT' || method === 'GET')) {
      if (!authorized) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      if (method === 'GET') return { status: 200, body: this.commands.get(route) ?? [] };
      const invalid = commandsProblem(r.body);
      if (invalid) return invalidBody(invalid);
      const commands = Array.isArray(r.body) ? (r.body as Array<Record<string, unknown>>) : [];
      // A PUT replaces every command of its scope, as Discord's bulk overwrite does.
      const stored = commands.map((c, i) => ({
        id: snowflake(Date.now(), i),
        application_id: this.applicationId,
        version: '1',
        default_member_permissions: null,
        ...c,
      }));
      this.commands.set(route, stored);
      return { status: 200, body: stored };
    }
    if (method === 'GET' && route === '/users/@me/guilds') {
      if (!authorized) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      return { status: 200, body: this.botGuilds.map((id) => ({ id, name: `server ${id}`, icon: null, owner: false, permissions: '0', features: [] })) };
    }
    return { status: 404, body: { message: `fake-discord: no route for ${method} ${route}`, code: 0 } };
  }

  /** The next request for an interaction's callback. */
  callback(interaction: { id: string }): Promise<RecordedRequest> {
    return this.requests.next((r) => r.method === 'POST' && r.route.startsWith(`/interactions/${interaction.id}/`));
  }

  /** The next request on an interaction's webhook (edit of the original, or a follow-up). */
  webhook(interaction: { token: string }, method: 'PATCH' | 'POST' | 'GET' | 'DELETE'): Promise<RecordedRequest> {
    return this.requests.next((r) => r.method === method && r.route.startsWith(`/webhooks/${this.applicationId}/${interaction.token}`));
  }
}

function optionType(value: string | number | boolean): number {
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}

function invalidBody(problem: string): { status: number; body: unknown } {
  return { status: 400, body: { message: `Invalid Form Body: ${problem}`, code: 50035 } };
}

type Json = Record<string, unknown>;

/**
 * The limits Discord enforces on a message, so that a payload Discord would refuse is refused
 * here too (HTTP 400) instead of passing the end-to-end tests.
 */
function messageProblem(m: Json, how: { edit?: boolean } = {}): string | null {
  const content = typeof m.content === 'string' ? m.content : '';
  const embeds = Array.isArray(m.embeds) ? (m.embeds as Json[]) : [];
  const rows = Array.isArray(m.components) ? (m.components as Json[]) : [];
  if (content.length > 2000) return 'content: Must be 2000 or fewer in length.';
  if (!how.edit && content === '' && embeds.length === 0 && rows.length === 0) return 'Cannot send an empty message';
  if (embeds.length > 10) return 'embeds: Must be 10 or fewer in length.';
  let total = 0;
  for (const [i, e] of embeds.entries()) {
    const title = typeof e.title === 'string' ? e.title : '';
    const description = typeof e.description === 'string' ? e.description : '';
    const fields = Array.isArray(e.fields) ? (e.fields as Json[]) : [];
    if (title.length > 256) return `embeds.${i}.title: Must be 256 or fewer in length.`;
    if (description.length > 4096) return `embeds.${i}.description: Must be 4096 or fewer in length.`;
    if (fields.length > 25) return `embeds.${i}.fields: Must be 25 or fewer in length.`;
    if (title === '' && description === '' && fields.length === 0) return `embeds.${i}: Embed is empty.`;
    total += title.length + description.length;
    for (const [j, f] of fields.entries()) {
      const name = String(f.name ?? '');
      const value = String(f.value ?? '');
      if (name.length < 1 || name.length > 256) return `embeds.${i}.fields.${j}.name: Must be between 1 and 256 in length.`;
      if (value.length < 1 || value.length > 1024) return `embeds.${i}.fields.${j}.value: Must be between 1 and 1024 in length.`;
      total += name.length + value.length;
    }
  }
  if (total > 6000) return 'embeds: Embed size exceeds maximum size of 6000';
  if (rows.length > 5) return 'components: Must be 5 or fewer in length.';
  const ids = new Set<string>();
  for (const [i, row] of rows.entries()) {
    const buttons = Array.isArray(row.components) ? (row.components as Json[]) : [];
    if (row.type !== 1 || buttons.length < 1 || buttons.length > 5) return `components.${i}: an action row holds 1 to 5 buttons.`;
    for (const [j, b] of buttons.entries()) {
      const id = String(b.custom_id ?? '');
      const label = String(b.label ?? '');
      if (id.length < 1 || id.length > 100) return `components.${i}.components.${j}.custom_id: Must be between 1 and 100 in length.`;
      if (label.length > 80) return `components.${i}.components.${j}.label: Must be 80 or fewer in length.`;
      if (ids.has(id)) return `components.${i}.components.${j}.custom_id: Component custom id cannot be duplicated`;
      ids.add(id);
    }
  }
  return null;
}

function choicesProblem(data: Json): string | null {
  const choices = Array.isArray(data.choices) ? (data.choices as Json[]) : [];
  if (choices.length > 25) return 'choices: Must be 25 or fewer in length.';
  for (const [i, c] of choices.entries()) {
    if (String(c.name ?? '').length < 1 || String(c.name).length > 100) return `choices.${i}.name: Must be between 1 and 100 in length.`;
    if (String(c.value ?? '').length < 1 || String(c.value).length > 100) return `choices.${i}.value: Must be between 1 and 100 in length.`;
  }
  return null;
}

const COMMAND_NAME = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

/** Discord's rules for a command registration that a bad registry would most likely break. */
function commandsProblem(body: unknown): string | null {
  if (!Array.isArray(body)) return 'Expected an array of commands';
  if (body.length > 100) return 'Must be 100 or fewer in length.';
  for (const [i, c] of (body as Json[]).entries()) {
    const name = String(c.name ?? '');
    if (c.type === 3) {
      if (name.length < 1 || name.length > 32) return `${i}.name: Must be between 1 and 32 in length.`;
      continue;
    }
    if (!COMMAND_NAME.test(name) || name !== name.toLowerCase()) return `${i}.name: Command name is invalid`;
    const description = String(c.description ?? '');
    if (description.length < 1 || description.length > 100) return `${i}.description: Must be between 1 and 100 in length.`;
    const options = Array.isArray(c.options) ? (c.options as Json[]) : [];
    if (options.length > 25) return `${i}.options: Must be 25 or fewer in length.`;
    let optionalSeen = false;
    for (const [j, o] of options.entries()) {
      const oname = String(o.name ?? '');
      if (!COMMAND_NAME.test(oname) || oname !== oname.toLowerCase()) return `${i}.options.${j}.name: Command name is invalid`;
      const od = String(o.description ?? '');
      if (od.length < 1 || od.length > 100) return `${i}.options.${j}.description: Must be between 1 and 100 in length.`;
      if (o.required === true && optionalSeen) return `${i}.options.${j}: Required options must be placed before non-required options`;
      if (o.required !== true) optionalSeen = true;
      if (o.autocomplete === true && Array.isArray(o.choices)) return `${i}.options.${j}: Autocomplete cannot be set with choices`;
      for (const [lang, text] of Object.entries((o.name_localizations ?? {}) as Record<string, string>)) {
        if (!COMMAND_NAME.test(text) || text !== text.toLowerCase()) return `${i}.options.${j}.name_localizations.${lang}: Command name is invalid`;
      }
    }
  }
  return null;
}
