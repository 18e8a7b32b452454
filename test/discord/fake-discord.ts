import { randomBytes } from 'node:crypto';
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
  /**
   * The clock interaction tokens expire by (15 minutes, receiving-and-responding.mdx,
   * "Followup Messages"); `advance()` moves it on, so that a test need not wait.
   */
  now?: () => number;
  /** The shard count GET /gateway/bot recommends (`shards`); 1 unless given. */
  recommendedShards?: number;
  /**
   * Whether the app has User Install ticked on the Developer Portal (Installation): when not,
   * a global command that asks for integration type 1 is refused, as Discord refuses it.
   */
  userInstall?: boolean;
}

/**
 * Where an interaction comes from (receiving-and-responding.mdx, Interaction Context Types):
 * a server (GUILD, 0), a DM with the bot (BOT_DM, 1), or a group DM or a DM between other
 * users (PRIVATE_CHANNEL, 2).
 */
export type FakeContext = 'guild' | 'bot-dm' | 'private-channel';

/** Where an interaction arrives from, and who installed the app there. */
export interface FakeWhere {
  context?: FakeContext;
  /** Which installations authorized it: the server's (0), the user's own (1), or both. */
  install?: 'guild' | 'user' | 'both';
  /** The app's permissions there, as a decimal bitfield string (`app_permissions`). */
  appPermissions?: string;
  /** The member's permissions in a server (`member.permissions`). */
  memberPermissions?: string;
  guildLocale?: string;
  /** In a server, the interaction comes from a public thread (channel type 11) of the channel. */
  thread?: boolean;
  /** In a server, the IDs of the member's roles (`member.roles`); see `guildRoles` for their names. */
  roles?: string[];
  /** In a server, which one (the fake's own server by default): for a second server's team. */
  guildId?: string;
}

/** An attachment as Discord puts it in a message or in `resolved.attachments` (resources/message.mdx, Attachment Object). */
export interface FakeAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
}

/** A message as the fake keeps it: what users see, and who. */
export interface StoredMessage {
  id: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  /** Seen only by the user of the interaction (EPHEMERAL). */
  ephemeral: boolean;
  deleted: boolean;
  /** Still Discord's "thinking…" placeholder of a deferral. */
  loading: boolean;
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
/** Interaction tokens "are valid for 15 minutes" (receiving-and-responding.mdx, "Followup Messages"). */
export const INTERACTION_TOKEN_TTL_MS = 15 * 60_000;
/**
 * "Apps are limited to 5 followup messages per interaction if it was initiated from a
 * user-installed app and isn't installed in the server" (receiving-and-responding.mdx, Create Followup Message).
 */
export const USER_INSTALL_FOLLOW_UPS_MAX = 5;
const EPHEMERAL = 1 << 6;
/** Permission bits (topics/permissions.mdx, Permission Flags). */
export const PERMISSIONS = {
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  EMBED_LINKS: 1n << 14n,
  ATTACH_FILES: 1n << 15n,
  READ_MESSAGE_HISTORY: 1n << 16n,
  MENTION_EVERYONE: 1n << 17n,
  USE_EXTERNAL_EMOJIS: 1n << 18n,
  USE_APPLICATION_COMMANDS: 1n << 31n,
  SEND_MESSAGES_IN_THREADS: 1n << 38n,
  USE_EXTERNAL_APPS: 1n << 50n,
} as const;
/** A server channel where the app may do everything the fake's answers need. */
const GUILD_PERMISSIONS = '2248473465835073';
/**
 * "app_permissions includes ATTACH_FILES | EMBED_LINKS | MENTION_EVERYONE permissions for
 * (G)DMs with other users, and additionally includes USE_EXTERNAL_EMOJIS for DMs with the
 * app's bot user" (receiving-and-responding.mdx, Interaction Structure). Only those bits: the
 * docs promise no others there.
 */
const PRIVATE_CHANNEL_PERMISSIONS = String(PERMISSIONS.ATTACH_FILES | PERMISSIONS.EMBED_LINKS | PERMISSIONS.MENTION_EVERYONE);
const BOT_DM_PERMISSIONS = String(BigInt(PRIVATE_CHANNEL_PERMISSIONS) | PERMISSIONS.USE_EXTERNAL_EMOJIS);
const GUILD_ID = '200000000000000001';
const CHANNEL_ID = '300000000000000001';
const PARENT_CHANNEL_ID = '300000000000000002';

/** What the fake knows of an interaction it dispatched. */
interface Tracked {
  id: string;
  createdAt: number;
  /** Only the user installed the app: follow-ups are capped. */
  userInstallOnly: boolean;
  /** none → answered; 'deferred' until the placeholder is first edited (the first follow-up edits it). */
  state: 'new' | 'deferred' | 'deferred-update' | 'answered';
  /** The message @original stands for: the answer, or for a component, the message it is on. */
  original: string | undefined;
  followUps: number;
}
/** One shard's gateway connection and session: what a RESUME may pick up again, unless it was invalidated. */
interface ShardLink {
  /** [shard_id, num_shards] as the IDENTIFY gave it. */
  shard: [number, number];
  socket: WebSocket | undefined;
  session: { id: string; resumable: boolean; history: GatewayPayload[] } | undefined;
  sequence: number;
}

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
  /** Each shard's connection and session, by shard ID: one client per shard, or one client with all. */
  private readonly links = new Map<number, ShardLink>();
  private sessions = 0;
  private readonly recommendedShards: number;
  private readonly failures: Failure[] = [];
  private nextId = 1;
  /** Every message the app has posted, by ID, as users see it. */
  private readonly messages = new Map<string, Posted>();
  /** Interactions dispatched, by token. */
  private readonly interactions = new Map<string, Tracked>();
  private readonly clock: () => number;
  private clockOffset = 0;
  private readonly userInstall: boolean;
  /** Registered application commands, by route (global, or one server's). */
  readonly commands = new Map<string, Array<Record<string, unknown>>>();
  /** The servers the bot is in, as GET /users/@me/guilds lists them. */
  botGuilds: string[] = [];
  /** Interactions whose 3 s window has passed: Discord answers their callbacks with 404 Unknown interaction. */
  private readonly expired = new Set<string>();
  /** The server's roles, as GET /guilds/{id}/roles lists them (names are what LIBRARY_ROLE matches). */
  guildRoles: Array<{ id: string; name: string }> = [];
  /** Files uploaded to the CDN, by path; each URL is valid only with the signature the fake issued. */
  private readonly cdnFiles = new Map<string, { bytes: Uint8Array; contentType: string | undefined; signature: string; stall: boolean }>();
  /** Every request for a CDN file, by path, and whether it was served. */
  readonly cdnRequests = new AwaitableLog<{ path: string; served: boolean; headers: IncomingMessage['headers'] }>();

  private constructor(options: FakeDiscordOptions) {
    this.applicationId = options.applicationId ?? '100000000000000001';
    this.botUser.id = this.applicationId;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 41_250;
    this.token = options.token ?? 'fake-token';
    this.clock = options.now ?? Date.now;
    this.userInstall = options.userInstall ?? true;
    this.recommendedShards = options.recommendedShards ?? 1;
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

  /**
   * A file uploaded to a channel, served from the fake's CDN as Discord's is: a signed URL
   * (`ex`, `is`, `hm`, "Attachment CDN URLs", reference.mdx), without which the CDN answers 404
   * and "This content is no longer available.".
   */
  attachment(filename: string, bytes: Uint8Array, contentType?: string, options: { stall?: boolean } = {}): FakeAttachment {
    const id = snowflake(Date.now(), this.nextId++);
    const path = `/attachments/${CHANNEL_ID}/${id}/${encodeURIComponent(filename)}`;
    const signature = randomBytes(16).toString('hex');
    // `stall`: the CDN sends the headers and half the bytes, then nothing more (a download that never ends).
    this.cdnFiles.set(path, { bytes, contentType, signature, stall: options.stall === true });
    const expires = Math.floor(Date.now() / 1000) + 86_400;
    const url = `http://127.0.0.1:${this.port}${path}?ex=${expires.toString(16)}&is=${Math.floor(Date.now() / 1000).toString(16)}&hm=${signature}&`;
    return { id, filename, size: bytes.byteLength, url, proxy_url: url, ...(contentType ? { content_type: contentType } : {}) };
  }

  /** Serves a CDN file to a signed GET, with its length and type as the CDN gives them. */
  private serveCdn(req: IncomingMessage, url: URL, res: ServerResponse): void {
    const file = this.cdnFiles.get(url.pathname);
    const served = req.method === 'GET' && file !== undefined && url.searchParams.get('hm') === file.signature;
    this.cdnRequests.push({ path: url.pathname, served, headers: req.headers });
    if (!served || !file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('This content is no longer available.');
      return;
    }
    res.writeHead(200, { 'content-type': file.contentType ?? 'application/octet-stream', 'content-length': String(file.bytes.byteLength) });
    if (file.stall) res.write(file.bytes.subarray(0, file.bytes.byteLength >> 1));
    else res.end(file.bytes);
  }

  // ── gateway ────────────────────────────────────────────────────────────────

  private send(socket: WebSocket, payload: GatewayPayload): void {
    socket.send(JSON.stringify(payload));
  }

  /** A shard's link, which must have identified. */
  private link(shard: number): ShardLink & { socket: WebSocket } {
    const link = this.links.get(shard);
    if (!link?.socket) throw new Error(`fake-discord: no gateway connection for shard ${shard} to dispatch on`);
    return link as ShardLink & { socket: WebSocket };
  }

  /**
   * The shard a server's events go to: "shard_id = (guild_id >> 22) % num_shards", and "DMs will
   * only be sent to shard 0" (topics/gateway.md, Sharding), by each identified shard's own count.
   */
  shardOf(guildId: string | undefined): number {
    if (guildId === undefined) return 0;
    for (const link of this.links.values()) {
      const [id, count] = link.shard;
      if ((BigInt(guildId) >> 22n) % BigInt(count) === BigInt(id)) return id;
    }
    throw new Error(`fake-discord: no identified shard owns server ${guildId}`);
  }

  /**
   * Sends a dispatch on a shard's live connection. While the connection is down the dispatch is
   * only kept in the session's history, as Discord keeps it, to be replayed when the client resumes.
   */
  private dispatch(t: string, d: unknown, shard = 0): void {
    const link = this.link(shard);
    const payload: GatewayPayload = { op: 0, t, s: ++link.sequence, d };
    if (link.session) {
      link.session.history.push(payload);
      if (link.session.history.length > REPLAY_MAX) link.session.history.shift();
    }
    if (link.socket.readyState === WebSocket.OPEN) link.socket.send(JSON.stringify(payload));
  }

  /** An interaction, to the shard that owns its server (DMs to shard 0). */
  private dispatchInteraction(payload: object): void {
    const guildId = (payload as { guild_id?: unknown }).guild_id;
    this.dispatch('INTERACTION_CREATE', payload, this.shardOf(typeof guildId === 'string' ? guildId : undefined));
  }

  /**
   * Drops a shard's gateway connection from Discord's side: without a close frame (the client
   * sees 1006, as when a network path dies) or with `code` (4000 "unknown error" is resumable).
   */
  dropGateway(code?: number, shard = 0): void {
    const { socket } = this.link(shard);
    if (code === undefined) socket.terminate();
    else socket.close(code, 'fake-discord: dropped');
  }

  /**
   * Ends a shard's session: a RESUME is answered with INVALID_SESSION (op 9, not resumable), and
   * when connected the client is told so at once, as Discord does. Either way it must IDENTIFY again.
   */
  invalidateSession(shard = 0): void {
    const link = this.links.get(shard);
    if (link?.session) link.session.resumable = false;
    if (link?.socket?.readyState === WebSocket.OPEN) this.send(link.socket, { op: 9, d: false });
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

  /** Shards whose RESUMEs wait unanswered (see `holdShard`), with what to do once released. */
  private readonly heldShards = new Map<number, Array<() => void>>();

  /**
   * Leaves a shard's RESUMEs unanswered until `release()`, as a Discord node slow to take one
   * shard back while the others are served.
   */
  holdShard(shard: number): { release(): void } {
    this.heldShards.set(shard, []);
    return {
      release: () => {
        const waiting = this.heldShards.get(shard) ?? [];
        this.heldShards.delete(shard);
        for (const resume of waiting) resume();
      },
    };
  }

  /** Refuses the next matching request(s) with `status`: an outage (5xx) or a rate limit (429). */
  failNext(failure: Failure): void {
    this.failures.push({ ...failure, times: failure.times ?? 1 });
  }

  /** Forgets recorded requests and stored messages, so a long run measures the bot's memory and not the fake's. */
  clearRecords(): void {
    this.requests.clear();
    this.gatewayPayloads.clear();
    this.messages.clear();
    this.interactions.clear();
  }

  /** The fake's time: the injected clock plus what `advance` added. */
  now(): number {
    return this.clock() + this.clockOffset;
  }

  /** Moves the fake's clock on (interaction tokens expire by it). */
  advance(ms: number): void {
    this.clockOffset += ms;
  }

  /** A message as users see it now, or undefined when the app never posted it. */
  message(id: string): StoredMessage | undefined {
    const m = this.messages.get(id);
    return m && toStored(m);
  }

  /** A message the app posted, as Discord sends it inside an interaction (a button's `message`). */
  messagePayload(id: string): Record<string, unknown> {
    const m = this.messages.get(id);
    if (!m) throw new Error(`fake-discord: no message ${id}`);
    return structuredClone(m.raw);
  }

  /**
   * Every message an interaction produced, as users see them now: its original response and
   * follow-ups (for a component, the message it is on is its original).
   */
  shown(interaction: { token: string }): StoredMessage[] {
    const tracked = this.interactions.get(interaction.token);
    return [...this.messages.values()].filter((m) => m.token === interaction.token || m.raw.id === tracked?.original).map(toStored);
  }

  /** A RESUME picks up the shard whose session it names, on the new connection. */
  private resume(socket: WebSocket, d: { session_id?: string; seq?: number }): void {
    const link = [...this.links.values()].find((l) => l.session?.id === d.session_id);
    const held = link ? this.heldShards.get(link.shard[0]) : undefined;
    if (held) {
      held.push(() => this.resume(socket, d));
      return;
    }
    const session = link?.session;
    const oldest = session?.history[0]?.s ?? (link?.sequence ?? 0) + 1;
    const seq = d.seq ?? 0;
    if (!link || !session?.resumable || seq + 1 < oldest) {
      this.send(socket, { op: 9, d: false });
      return;
    }
    link.socket = socket;
    for (const missed of session.history) if ((missed.s ?? 0) > seq) this.send(socket, missed);
    this.dispatch('RESUMED', {}, link.shard[0]);
  }

  /**
   * An IDENTIFY starts a shard's session: `shard` is [shard_id, num_shards], [0, 1] when absent.
   * A shard ID not below the count is closed with 4010 "Invalid shard" (topics/opcodes-and-status-codes.md).
   */
  private identify(socket: WebSocket, d: { shard?: [number, number] }): void {
    const shard = d.shard ?? [0, 1];
    const [id, count] = shard;
    if (!Number.isInteger(id) || !Number.isInteger(count) || id < 0 || count < 1 || id >= count) {
      socket.close(4010, 'Invalid shard.');
      return;
    }
    // A new session starts its sequence over and cannot pick up the old one's events.
    const link: ShardLink = { shard, socket, session: { id: `fake-session-${++this.sessions}`, resumable: true, history: [] }, sequence: 0 };
    this.links.set(id, link);
    this.dispatch(
      'READY',
      {
        v: 10,
        user: { id: this.botUser.id, username: this.botUser.username, discriminator: '0', global_name: null, avatar: null, bot: true, flags: 0 },
        guilds: [],
        session_id: link.session?.id,
        resume_gateway_url: this.gatewayUrl,
        shard,
        application: { id: this.applicationId, flags: 0 },
      },
      id,
    );
  }

  private onGateway(socket: WebSocket): void {
    socket.on('close', (code) => this.gatewayCloses.push(code));
    socket.on('message', (data) => {
      const payload = JSON.parse(String(data)) as GatewayPayload;
      this.gatewayPayloads.push(payload);
      if (payload.op === 1) this.send(socket, { op: 11, d: null });
      if (payload.op === 6) this.resume(socket, payload.d as { session_id?: string; seq?: number });
      if (payload.op === 2) this.identify(socket, payload.d as { shard?: [number, number] });
    });
    socket.send(JSON.stringify({ op: 10, d: { heartbeat_interval: this.heartbeatIntervalMs } }));
  }

  // ── interactions ───────────────────────────────────────────────────────────

  /**
   * The fields every interaction carries, in the shape Discord gives them in each context
   * (receiving-and-responding.mdx, Interaction Structure): in a server `member`, `guild_id`
   * and `guild_locale`; in a DM or group DM `user` and no `guild_id`; always `app_permissions`,
   * `authorizing_integration_owners` and `context`.
   */
  private base(type: number, user: FakeUser, locale: string, createdAt: number, where: FakeWhere = {}) {
    const id = snowflake(createdAt, this.nextId++);
    const context = where.context ?? 'guild';
    const guildId = where.guildId ?? GUILD_ID;
    const install = where.install ?? (context === 'private-channel' ? 'user' : 'guild');
    if (context === 'private-channel' && install !== 'user') throw new Error('fake-discord: only a user install reaches a group DM');
    const apiUser = { id: user.id, username: user.username, discriminator: '0', global_name: null, avatar: null };
    // GUILD_INSTALL is the server's ID in a server and "0" in a DM with the bot; USER_INSTALL is the authorizing user's ID.
    const owners: Record<string, string> = {};
    if (install !== 'user') owners['0'] = context === 'guild' ? guildId : '0';
    if (install !== 'guild') owners['1'] = user.id;
    const common = {
      id,
      application_id: this.applicationId,
      type,
      token: `token-${id}`,
      version: 1,
      locale,
      channel_id: CHANNEL_ID,
      entitlements: [],
      authorizing_integration_owners: owners,
      attachment_size_limit: 10_485_760,
    };
    this.interactions.set(common.token, {
      id,
      createdAt: this.now() - (Date.now() - createdAt),
      userInstallOnly: install === 'user',
      state: 'new',
      original: undefined,
      followUps: 0,
    });
    // Discord forgets an interaction after 15 minutes; the fake keeps the latest few thousand.
    if (this.interactions.size > ACKNOWLEDGED_MAX) this.interactions.delete(this.interactions.keys().next().value as string);
    if (context === 'guild') {
      return {
        ...common,
        guild_locale: where.guildLocale ?? 'en-US',
        guild_id: guildId,
        guild: { id: guildId, locale: where.guildLocale ?? 'en-US', features: [] },
        channel: where.thread
          ? {
              id: CHANNEL_ID,
              type: 11,
              guild_id: guildId,
              name: 'a thread',
              parent_id: PARENT_CHANNEL_ID,
              thread_metadata: { archived: false, locked: false, auto_archive_duration: 1440, archive_timestamp: '2025-01-01T00:00:00.000Z' },
            }
          : { id: CHANNEL_ID, type: 0, guild_id: guildId, name: 'research' },
        member: {
          user: apiUser,
          roles: where.roles ?? [],
          permissions: where.memberPermissions ?? GUILD_PERMISSIONS,
          joined_at: '2025-01-01T00:00:00.000Z',
          deaf: false,
          mute: false,
          flags: 0,
        },
        app_permissions: where.appPermissions ?? GUILD_PERMISSIONS,
        context: 0,
      };
    }
    const channel =
      context === 'bot-dm'
        ? { id: CHANNEL_ID, type: 1, recipients: [apiUser], flags: 0 }
        : { id: CHANNEL_ID, type: 3, name: null, recipients: [apiUser], owner_id: user.id, flags: 0 };
    return {
      ...common,
      user: apiUser,
      channel,
      app_permissions: where.appPermissions ?? (context === 'bot-dm' ? BOT_DM_PERMISSIONS : PRIVATE_CHANNEL_PERMISSIONS),
      context: context === 'bot-dm' ? 1 : 2,
    };
  }

  /**
   * A slash command as Discord would send it, tracked but not dispatched: for tests of the
   * fake's REST rules alone, without a gateway connection.
   */
  pendingInteraction(input: { user: FakeUser; where?: FakeWhere; createdAt?: number }): { id: string; token: string; payload: Record<string, unknown> } {
    const payload = this.base(2, input.user, 'en-US', input.createdAt ?? Date.now(), input.where);
    return { id: payload.id, token: payload.token, payload };
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
    where?: FakeWhere;
    /** The subcommand (`/library add`): the options then sit inside it, as Discord nests them. */
    subcommand?: string;
    /** Attachment options (type 11), by name: their IDs as values, the attachments in `resolved.attachments`. */
    attachments?: Record<string, FakeAttachment>;
  }): { id: string; token: string } {
    const attachments = Object.entries(input.attachments ?? {});
    const options = [
      ...Object.entries(input.options ?? {}).map(([name, value]) => ({ name, type: optionType(value), value })),
      ...attachments.map(([name, a]) => ({ name, type: 11, value: a.id })),
    ];
    const payload = {
      ...this.base(2, input.user, input.locale ?? 'en-US', input.createdAt ?? Date.now(), input.where),
      data: {
        id: '400000000000000001',
        name: input.name,
        type: 1,
        options: input.subcommand ? [{ name: input.subcommand, type: 1, options }] : options,
        ...(attachments.length > 0 ? { resolved: { attachments: Object.fromEntries(attachments.map(([, a]) => [a.id, a])) } } : {}),
      },
    };
    if (input.expired) this.expired.add(payload.id);
    this.dispatchInteraction(payload);
    return { id: payload.id, token: payload.token };
  }

  /** Dispatches an autocomplete request with `focused` as the option being typed. */
  autocomplete(input: {
    name: string;
    options?: Record<string, string | number | boolean>;
    focused: string;
    user: FakeUser;
    locale?: string;
    where?: FakeWhere;
    subcommand?: string;
  }): {
    id: string;
    token: string;
  } {
    const options = Object.entries(input.options ?? {}).map(([name, value]) => ({
      name,
      type: optionType(value),
      value,
      ...(name === input.focused ? { focused: true } : {}),
    }));
    const payload = {
      ...this.base(4, input.user, input.locale ?? 'en-US', Date.now(), input.where),
      data: {
        id: '400000000000000001',
        name: input.name,
        type: 1,
        options: input.subcommand ? [{ name: input.subcommand, type: 1, options }] : options,
      },
    };
    this.dispatchInteraction(payload);
    return { id: payload.id, token: payload.token };
  }

  /** Dispatches a button press on a message the bot posted earlier. */
  button(input: {
    customId: string;
    user: FakeUser;
    /** The message the button is on: `{}` for one the fake does not know, or one the app posted (see `message`). */
    message: Record<string, unknown>;
    locale?: string;
    createdAt?: number;
    where?: FakeWhere;
  }): {
    id: string;
    token: string;
  } {
    const payload = {
      ...this.base(3, input.user, input.locale ?? 'en-US', input.createdAt ?? Date.now(), input.where),
      message: input.message,
      data: { custom_id: input.customId, component_type: 2 },
    };
    const on = typeof input.message.id === 'string' ? input.message.id : undefined;
    const tracked = this.interactions.get(payload.token);
    if (tracked && on && this.messages.has(on)) tracked.original = on;
    this.dispatchInteraction(payload);
    return { id: payload.id, token: payload.token };
  }

  /** Dispatches the message context-menu command `name` on a message with the given content. */
  messageCommand(input: {
    name: string;
    content: string;
    author: FakeUser;
    user: FakeUser;
    locale?: string;
    where?: FakeWhere;
    /** Files the message carries, from `attachment()`. */
    attachments?: FakeAttachment[];
  }): {
    id: string;
    token: string;
  } {
    const target = snowflake(Date.now(), this.nextId++);
    const payload = {
      ...this.base(2, input.user, input.locale ?? 'en-US', Date.now(), input.where),
      data: {
        id: '400000000000000002',
        name: input.name,
        type: 3,
        target_id: target,
        resolved: {
          messages: {
            [target]: this.messageObject(target, {
              content: input.content,
              attachments: input.attachments ?? [],
              author: { id: input.author.id, username: input.author.username, discriminator: '0', global_name: null, avatar: null },
            }),
          },
        },
      },
    };
    this.dispatchInteraction(payload);
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
    if (url.pathname.startsWith('/attachments/')) {
      this.serveCdn(req, url, res);
      return;
    }
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
    if (reply.status >= 400 && reply.status < 500 && reply.status !== 429)
      recorded.refused = (reply as { refused?: string }).refused ?? (reply.body as { message: string }).message;
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

  private respond(r: RecordedRequest): Reply {
    const { method, route } = r;
    const body = (r.body ?? {}) as Record<string, unknown>;
    const authorized = r.headers.authorization === `Bot ${this.token}`;
    if (method === 'GET' && route === '/gateway/bot') {
      if (!authorized) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      return {
        status: 200,
        body: {
          url: this.gatewayUrl,
          shards: this.recommendedShards,
          session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 },
        },
      };
    }
    if (method === 'POST' && /^\/interactions\/\d+\/[^/]+\/callback$/u.test(route)) return this.callbackRoute(route, body);
    const webhook = /^\/webhooks\/(\d+)\/([^/]+)(?:\/messages\/(%40original|@original|\d+))?$/u.exec(route);
    if (webhook) return this.webhookRoute(method, webhook[2] as string, webhook[3], body);
    if (/^\/applications\/\d+(\/guilds\/\d+)?\/commands$/u.test(route) && (method === 'PUT' || method === 'GET')) {
      if (!authorized) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      if (method === 'GET') return { status: 200, body: this.commands.get(route) ?? [] };
      const invalid = commandsProblem(r.body, { global: !route.includes('/guilds/'), userInstall: this.userInstall });
      if (invalid) return refusal(invalid);
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
    const roles = /^\/guilds\/(\d+)\/roles$/u.exec(route);
    if (method === 'GET' && roles) {
      if (!authorized) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      if (roles[1] !== GUILD_ID) return { status: 404, body: { message: 'Unknown Guild', code: 10004 } };
      return {
        status: 200,
        body: this.guildRoles.map((r, position) => ({
          ...r,
          color: 0,
          hoist: false,
          position,
          permissions: '0',
          managed: false,
          mentionable: false,
          flags: 0,
        })),
      };
    }
    if (method === 'GET' && route === '/users/@me/guilds') {
      if (!authorized) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
      // Paged as user.mdx documents Get Current User Guilds: `before`/`after` a guild ID (one at a
      // time), `limit` 1–200, 200 by default, in ID order.
      const limit = r.query.has('limit') ? Number(r.query.get('limit')) : 200;
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) return refusal('limit: Must be between 1 and 200.');
      const before = r.query.get('before');
      const after = r.query.get('after');
      if (before !== null && after !== null) return refusal('before: before and after are mutually exclusive.');
      const sorted = [...this.botGuilds].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      const page =
        before !== null
          ? sorted.filter((id) => BigInt(id) < BigInt(before)).slice(-limit)
          : sorted.filter((id) => after === null || BigInt(id) > BigInt(after)).slice(0, limit);
      return { status: 200, body: page.map((id) => ({ id, name: `server ${id}`, icon: null, owner: false, permissions: '0', features: [] })) };
    }
    return { status: 404, body: { message: `fake-discord: no route for ${method} ${route}`, code: 0 } };
  }

  /** Stores a message the app posted for an interaction. */
  private post(token: string, data: Json, ephemeral: boolean, loading = false): Posted {
    const raw = this.messageObject(snowflake(Date.now(), this.nextId++), { ...data, flags: ephemeral ? EPHEMERAL : 0 });
    delete raw.allowed_mentions;
    const posted: Posted = { raw, token, loading, deleted: false };
    this.messages.set(raw.id as string, posted);
    return posted;
  }

  private edit(posted: Posted, data: Json): Json {
    // "an existing message's ephemeral state cannot be changed" (receiving-and-responding.mdx, Create Followup Message).
    const { flags: _flags, allowed_mentions: _mentions, ...rest } = data;
    posted.raw = { ...posted.raw, ...rest, edited_timestamp: new Date().toISOString() };
    posted.loading = false;
    return posted.raw;
  }

  /** POST /interactions/{id}/{token}/callback (receiving-and-responding.mdx, Create Interaction Response). */
  private callbackRoute(route: string, body: Json): Reply {
    const [, , id, token] = route.split('/') as [string, string, string, string];
    const tracked = this.interactions.get(token);
    if (this.expired.has(id) || !tracked || tracked.id !== id) return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
    const data = (body.data ?? {}) as Json;
    const problem =
      body.type === 4 || body.type === 7
        ? messageProblem(data, { callback: true })
        : body.type === 5
          ? deferProblem(data)
          : body.type === 6
            ? null
            : body.type === 8
              ? choicesProblem(data)
              : `type: Value "${String(body.type)}" is not a valid enum value.`;
    if (problem) return refusal(problem);
    if (tracked.state !== 'new') return { status: 400, body: { message: 'Interaction has already been acknowledged.', code: 40060 } };
    tracked.state = 'answered';
    const ephemeral = ((Number(data.flags ?? 0) & EPHEMERAL) !== 0) as boolean;
    if (body.type === 4) tracked.original = this.post(token, data, ephemeral).raw.id as string;
    if (body.type === 5) {
      tracked.state = 'deferred';
      tracked.original = this.post(token, {}, ephemeral, true).raw.id as string;
    }
    if (body.type === 6) tracked.state = 'deferred-update';
    if (body.type === 7) {
      // UPDATE_MESSAGE edits the message the component is on.
      const on = tracked.original ? this.messages.get(tracked.original) : undefined;
      if (on) this.edit(on, data);
      else tracked.original = this.post(token, data, ephemeral).raw.id as string;
    }
    return { status: 204 };
  }

  /** The interaction webhook: edit or delete @original, create a follow-up (receiving-and-responding.mdx, "Followup Messages"). */
  private webhookRoute(method: string, token: string, target: string | undefined, body: Json): Reply {
    const tracked = this.interactions.get(token);
    if (!tracked) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    if (this.now() - tracked.createdAt > INTERACTION_TOKEN_TTL_MS) return { status: 401, body: { message: 'Invalid Webhook Token', code: 50027 } };
    if (tracked.state === 'new') return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    if (method === 'POST' && target === undefined) {
      const problem = messageProblem(body);
      if (problem) return refusal(problem);
      const original = tracked.original ? this.messages.get(tracked.original) : undefined;
      // "When using this endpoint directly after responding to an interaction with
      // DEFERRED_CHANNEL_MESSAGE_WITH_SOURCE, this endpoint will function as Edit Original
      // Interaction Response … The ephemeral flag will be ignored" (Create Followup Message).
      if (tracked.state === 'deferred' && original?.loading) {
        tracked.state = 'answered';
        return { status: 200, body: this.edit(original, body) };
      }
      if (tracked.userInstallOnly && tracked.followUps >= USER_INSTALL_FOLLOW_UPS_MAX) {
        return { status: 400, body: { message: 'This interaction has hit the maximum number of follow up messages', code: 40094 } };
      }
      tracked.followUps++;
      return { status: 200, body: this.post(token, body, (Number(body.flags ?? 0) & EPHEMERAL) !== 0).raw };
    }
    const id = target === '%40original' || target === '@original' ? tracked.original : target;
    const posted = id ? this.messages.get(id) : undefined;
    if (!posted || posted.deleted || (target !== undefined && !id)) return { status: 404, body: { message: 'Unknown Message', code: 10008 } };
    if (method === 'GET') return { status: 200, body: posted.raw };
    if (method === 'PATCH') {
      const problem = messageProblem(body, { edit: true });
      if (problem) return refusal(problem);
      if (tracked.state === 'deferred') tracked.state = 'answered';
      return { status: 200, body: this.edit(posted, body) };
    }
    if (method === 'DELETE') {
      posted.deleted = true;
      if (tracked.state === 'deferred') tracked.state = 'answered';
      return { status: 204 };
    }
    return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
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

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };

/** A posted message and what the fake knows of it beyond Discord's object. */
interface Posted {
  raw: Record<string, unknown>;
  /** The token of the interaction that posted it. */
  token: string;
  loading: boolean;
  deleted: boolean;
}

function toStored(p: Posted): StoredMessage {
  return {
    id: p.raw.id as string,
    content: typeof p.raw.content === 'string' ? p.raw.content : '',
    embeds: Array.isArray(p.raw.embeds) ? p.raw.embeds : [],
    components: Array.isArray(p.raw.components) ? p.raw.components : [],
    ephemeral: (Number(p.raw.flags ?? 0) & EPHEMERAL) !== 0,
    deleted: p.deleted,
    loading: p.loading,
  };
}

function optionType(value: string | number | boolean): number {
  if (typeof value === 'boolean') return 5;
  if (typeof value === 'number') return Number.isInteger(value) ? 4 : 10;
  return 3;
}

/**
 * A 400 in Discord's error shape: `Invalid Form Body` (50035) with the offending field's path
 * in `errors` (topics/opcodes-and-status-codes.mdx, JSON Error Codes, "Example JSON Error
 * Response"), which discord.js flattens into its message (`embeds.0.title[…]: …`). The
 * `_errors` codes are the fake's own guess where the docs list none. A problem with no path
 * (`Cannot send an empty message`) is its own error code.
 */
export function refusal(problem: string): Reply & { refused: string } {
  const at = problem.indexOf(': ');
  if (problem === 'Cannot send an empty message') return { status: 400, body: { message: problem, code: 50006 }, refused: problem };
  const path = at === -1 ? [] : problem.slice(0, at).split('.');
  const message = at === -1 ? problem : problem.slice(at + 2);
  const code = /or fewer in length/u.test(message) ? 'BASE_TYPE_MAX_LENGTH' : /between/u.test(message) ? 'BASE_TYPE_BAD_LENGTH' : 'INVALID_FORM_BODY';
  let errors: Json = { _errors: [{ code, message }] };
  for (const key of [...path].reverse()) errors = { [key]: errors };
  return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors }, refused: problem };
}

type Json = Record<string, unknown>;

const text = (v: unknown): string => (typeof v === 'string' ? v : '');
/** Embed limits are "measured inclusively", without leading and trailing whitespace (message.mdx, Embed Limits). */
const embedText = (v: unknown): number => text(v).trim().length;

/** Message flags an interaction response may set (receiving-and-responding.mdx, Messages): SUPPRESS_EMBEDS, EPHEMERAL, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE, IS_COMPONENTS_V2. */
const RESPONSE_FLAGS = (1 << 2) | EPHEMERAL | (1 << 12) | (1 << 13) | (1 << 15);
const MENTION_TYPES = new Set(['roles', 'users', 'everyone']);

/** A deferral "the only valid message flag you may use is EPHEMERAL" (receiving-and-responding.mdx, Messages). */
function deferProblem(data: Json): string | null {
  const flags = Number(data.flags ?? 0);
  if ((flags & ~EPHEMERAL) !== 0) return 'data.flags: Only EPHEMERAL may be set when deferring.';
  return null;
}

/** The allowed mentions object (message.mdx, Allowed Mentions Object). */
function mentionsProblem(a: unknown): string | null {
  if (a === undefined || a === null) return null;
  if (typeof a !== 'object' || Array.isArray(a)) return 'allowed_mentions: Must be an object.';
  const { parse, roles, users, replied_user: repliedUser, ...unknown } = a as Json;
  if (Object.keys(unknown).length > 0) return `allowed_mentions.${Object.keys(unknown)[0]}: Unknown field.`;
  if (parse !== undefined && (!Array.isArray(parse) || parse.some((p) => !MENTION_TYPES.has(String(p))))) {
    return 'allowed_mentions.parse: Must be an array of "roles", "users" and "everyone".';
  }
  for (const [name, ids] of [
    ['roles', roles],
    ['users', users],
  ] as const) {
    if (ids === undefined) continue;
    if (!Array.isArray(ids) || ids.some((id) => !/^\d+$/u.test(String(id)))) return `allowed_mentions.${name}: Must be an array of snowflakes.`;
    if (ids.length > 100) return `allowed_mentions.${name}: Must be 100 or fewer in length.`;
    // "the parse field is mutually exclusive with the other fields" (message.mdx, Allowed Mentions Examples).
    if (Array.isArray(parse) && parse.includes(name)) return `allowed_mentions: parse:["${name}"] and ${name}: [ids] are mutually exclusive.`;
  }
  if (repliedUser !== undefined && typeof repliedUser !== 'boolean') return 'allowed_mentions.replied_user: Must be a boolean.';
  return null;
}

/**
 * The limits Discord enforces on a message (message.mdx, Embed Limits and Create Message;
 * components/reference.mdx, Action Row and Button), so that a payload Discord would refuse is
 * refused here too instead of passing the end-to-end tests.
 */
export function messageProblem(m: Json, how: { edit?: boolean; callback?: boolean } = {}): string | null {
  const content = text(m.content);
  const embeds = Array.isArray(m.embeds) ? (m.embeds as Json[]) : [];
  const rows = Array.isArray(m.components) ? (m.components as Json[]) : [];
  if (content.length > 2000) return 'content: Must be 2000 or fewer in length.';
  if (!how.edit && content === '' && embeds.length === 0 && rows.length === 0) return 'Cannot send an empty message';
  if (m.flags !== undefined && m.flags !== null && (Number(m.flags) & ~RESPONSE_FLAGS) !== 0) return 'flags: Invalid flags for a message an app sends.';
  const mentions = mentionsProblem(m.allowed_mentions);
  if (mentions) return mentions;
  if (embeds.length > 10) return 'embeds: Must be 10 or fewer in length.';
  let total = 0;
  for (const [i, e] of embeds.entries()) {
    const fields = Array.isArray(e.fields) ? (e.fields as Json[]) : [];
    const footer = (e.footer ?? {}) as Json;
    const author = (e.author ?? {}) as Json;
    if (embedText(e.title) > 256) return `embeds.${i}.title: Must be 256 or fewer in length.`;
    if (embedText(e.description) > 4096) return `embeds.${i}.description: Must be 4096 or fewer in length.`;
    if (fields.length > 25) return `embeds.${i}.fields: Must be 25 or fewer in length.`;
    if (e.footer !== undefined && (embedText(footer.text) < 1 || embedText(footer.text) > 2048))
      return `embeds.${i}.footer.text: Must be between 1 and 2048 in length.`;
    if (e.author !== undefined && (embedText(author.name) < 1 || embedText(author.name) > 256))
      return `embeds.${i}.author.name: Must be between 1 and 256 in length.`;
    if (embedText(e.title) + embedText(e.description) + fields.length === 0 && e.footer === undefined && e.author === undefined && e.image === undefined)
      return `embeds.${i}: Embed is empty.`;
    total += embedText(e.title) + embedText(e.description) + embedText(footer.text) + embedText(author.name);
    for (const [j, f] of fields.entries()) {
      const name = embedText(f.name);
      const value = embedText(f.value);
      if (name < 1 || name > 256) return `embeds.${i}.fields.${j}.name: Must be between 1 and 256 in length.`;
      if (value < 1 || value > 1024) return `embeds.${i}.fields.${j}.value: Must be between 1 and 1024 in length.`;
      total += name + value;
    }
  }
  // "the combined sum of characters in all title, description, field.name, field.value, footer.text, and author.name fields across all embeds … must not exceed 6000".
  if (total > 6000) return 'embeds: Embed size exceeds maximum size of 6000';
  // "Legacy messages allow up to 5 action rows as top-level components" (components/reference.mdx).
  if (rows.length > 5) return 'components: Must be 5 or fewer in length.';
  const ids = new Set<string>();
  for (const [i, row] of rows.entries()) {
    const buttons = Array.isArray(row.components) ? (row.components as Json[]) : [];
    // "An Action Row can contain up to 5 Buttons" (components/reference.mdx, Action Row).
    if (row.type !== 1) return `components.${i}.type: A top-level component must be an action row (type 1).`;
    if (buttons.length < 1 || buttons.length > 5) return `components.${i}.components: Must be between 1 and 5 in length.`;
    for (const [j, b] of buttons.entries()) {
      const at = `components.${i}.components.${j}`;
      if (b.type !== 2) return `${at}.type: The fake knows buttons (type 2) only.`;
      const style = Number(b.style);
      if (!(style >= 1 && style <= 6)) return `${at}.style: Value "${String(b.style)}" is not a valid enum value.`;
      const label = text(b.label);
      // Button: "label? … max 80 characters"; "custom_id? … 1-100 characters"; a link button has a url and no custom_id.
      if (label.length > 80) return `${at}.label: Must be 80 or fewer in length.`;
      if (style === 5) {
        if (typeof b.url !== 'string' || b.custom_id !== undefined) return `${at}: A link button has a url and no custom_id.`;
        continue;
      }
      const id = text(b.custom_id);
      if (id.length < 1 || id.length > 100) return `${at}.custom_id: Must be between 1 and 100 in length.`;
      if (label === '' && b.emoji === undefined) return `${at}.label: A button needs a label or an emoji.`;
      // "Multiple components on the same message must not share the same custom_id."
      if (ids.has(id)) return `${at}.custom_id: Component custom id cannot be duplicated`;
      ids.add(id);
    }
  }
  return null;
}

/** An autocomplete answer: up to 25 choices, names and string values of 1–100 characters (application-commands.mdx, Application Command Option Choice Structure). */
function choicesProblem(data: Json): string | null {
  const choices = Array.isArray(data.choices) ? (data.choices as Json[]) : [];
  if (choices.length > 25) return 'choices: Must be 25 or fewer in length.';
  for (const [i, c] of choices.entries()) {
    if (String(c.name ?? '').length < 1 || String(c.name).length > 100) return `choices.${i}.name: Must be between 1 and 100 in length.`;
    if (String(c.value ?? '').length < 1 || String(c.value).length > 100) return `choices.${i}.value: Must be between 1 and 100 in length.`;
  }
  return null;
}

/**
 * "CHAT_INPUT command names and command option names must match the following regex
 * `^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$` … If there is a lowercase variant of any
 * letters used, you must use those" (application-commands.mdx, Application Command Naming).
 */
const COMMAND_NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
/** The locales Discord accepts as keys of `*_localizations` (reference.mdx, Locales). */
export const DISCORD_LOCALES = new Set(
  'id da de en-GB en-US es-ES es-419 fr hr it lt hu nl no pl pt-BR ro fi sv-SE vi tr cs el bg ru uk hi th zh-CN ja zh-TW ko'.split(' '),
);
/** "100 global CHAT_INPUT commands, 15 global USER commands, 15 global MESSAGE commands", and as many per server (application-commands.mdx, Registering a Command). */
const COMMANDS_MAX: Record<number, number> = { 1: 100, 2: 15, 3: 15 };
/**
 * "Slash commands can have a maximum of 8000 characters for combined name, description, and
 * value properties for each command, its options … and choices. When localization fields
 * are present, only the longest localization for each field (including the default value)
 * is counted" (application-commands.mdx, Limits).
 */
const COMMAND_SIZE_MAX = 8000;

const chatName = (name: string): boolean => COMMAND_NAME.test(name) && name === name.toLowerCase();

/** The longest of a field and its localizations. */
function longest(value: unknown, localizations: unknown): number {
  const all = [text(value), ...Object.values((localizations ?? {}) as Record<string, unknown>).map(text)];
  return Math.max(...all.map((t) => t.length));
}

function localizationsProblem(at: string, field: string, map: unknown, valid: (text: string) => string | null): string | null {
  if (map === undefined || map === null) return null;
  for (const [locale, value] of Object.entries(map as Record<string, unknown>)) {
    if (!DISCORD_LOCALES.has(locale)) return `${at}.${field}.${locale}: Invalid locale "${locale}".`;
    const problem = valid(text(value));
    if (problem) return `${at}.${field}.${locale}: ${problem}`;
  }
  return null;
}

const nameRule = (name: string): string | null => (chatName(name) ? null : 'Command name is invalid');
const describeRule = (d: string): string | null => (d.length >= 1 && d.length <= 100 ? null : 'Must be between 1 and 100 in length.');

function optionProblem(at: string, o: Json): { problem: string | null; size: number } {
  const name = text(o.name);
  if (!chatName(name)) return { problem: `${at}.name: Command name is invalid`, size: 0 };
  const ln = localizationsProblem(at, 'name_localizations', o.name_localizations, nameRule);
  if (ln) return { problem: ln, size: 0 };
  const problem = describeRule(text(o.description));
  if (problem) return { problem: `${at}.description: ${problem}`, size: 0 };
  const ld = localizationsProblem(at, 'description_localizations', o.description_localizations, describeRule);
  if (ld) return { problem: ld, size: 0 };
  let size = longest(o.name, o.name_localizations) + longest(o.description, o.description_localizations);
  if (o.autocomplete === true && Array.isArray(o.choices) && o.choices.length > 0) return { problem: `${at}: Autocomplete cannot be set with choices`, size };
  if (o.choices !== undefined) {
    const choices = Array.isArray(o.choices) ? (o.choices as Json[]) : [];
    if (choices.length > 25) return { problem: `${at}.choices: Must be 25 or fewer in length.`, size };
    for (const [k, c] of choices.entries()) {
      const cname = text(c.name);
      if (cname.length < 1 || cname.length > 100) return { problem: `${at}.choices.${k}.name: Must be between 1 and 100 in length.`, size };
      if (typeof c.value === 'string' && c.value.length > 100) return { problem: `${at}.choices.${k}.value: Must be 100 or fewer in length.`, size };
      size += longest(c.name, c.name_localizations) + String(c.value ?? '').length;
    }
  }
  return { problem: null, size };
}

/**
 * Discord's rules for a bulk overwrite of commands (application-commands.mdx): naming, 1–100
 * character descriptions, known locales, required options before optional ones, 25 options
 * and choices, the 8,000-character size of a slash command, the number of commands, and
 * `integration_types`/`contexts` "only for globally-scoped commands".
 */
export function commandsProblem(body: unknown, scope: { global: boolean; userInstall: boolean }): string | null {
  if (!Array.isArray(body)) return 'Expected an array of commands';
  const counts = new Map<number, number>();
  const names = new Set<string>();
  for (const [i, c] of (body as Json[]).entries()) {
    const type = c.type === undefined ? 1 : Number(c.type);
    if (!(type in COMMANDS_MAX)) return `${i}.type: Value "${String(c.type)}" is not a valid enum value.`;
    counts.set(type, (counts.get(type) ?? 0) + 1);
    if ((counts.get(type) ?? 0) > (COMMANDS_MAX[type] as number))
      return `${i}: Maximum number of application commands of type ${type} reached (${COMMANDS_MAX[type]}).`;
    const name = text(c.name);
    // Names are unique per type within a scope.
    if (names.has(`${type}:${name}`)) return `${i}.name: Application command names must be unique`;
    names.add(`${type}:${name}`);
    // "Set of permissions represented as a bit set" (application-commands.mdx): a string of digits, or null.
    if (c.default_member_permissions !== undefined && c.default_member_permissions !== null && !/^\d+$/u.test(String(c.default_member_permissions))) {
      return `${i}.default_member_permissions: Could not interpret "${String(c.default_member_permissions)}" as a permission bitfield.`;
    }
    if (typeof c.default_member_permissions === 'number') return `${i}.default_member_permissions: Must be a string.`;
    if (!scope.global && (c.integration_types !== undefined || c.contexts !== undefined)) {
      return `${i}.${c.integration_types !== undefined ? 'integration_types' : 'contexts'}: Only global commands take integration types and contexts.`;
    }
    if (Array.isArray(c.integration_types)) {
      if (c.integration_types.some((t) => t !== 0 && t !== 1)) return `${i}.integration_types: Value is not a valid enum value.`;
      if (c.integration_types.includes(1) && !scope.userInstall) {
        return `${i}.integration_types: The application does not support the User Install integration type.`;
      }
    }
    if (Array.isArray(c.contexts) && c.contexts.some((t) => t !== 0 && t !== 1 && t !== 2)) return `${i}.contexts: Value is not a valid enum value.`;
    if (type !== 1) {
      // USER and MESSAGE commands "may be mixed case and can include spaces".
      if (name.length < 1 || name.length > 32) return `${i}.name: Must be between 1 and 32 in length.`;
      const ln = localizationsProblem(`${i}`, 'name_localizations', c.name_localizations, (n) =>
        n.length >= 1 && n.length <= 32 ? null : 'Must be between 1 and 32 in length.',
      );
      if (ln) return ln;
      continue;
    }
    if (!chatName(name)) return `${i}.name: Command name is invalid`;
    const ln = localizationsProblem(`${i}`, 'name_localizations', c.name_localizations, nameRule);
    if (ln) return ln;
    const d = describeRule(text(c.description));
    if (d) return `${i}.description: ${d}`;
    const ld = localizationsProblem(`${i}`, 'description_localizations', c.description_localizations, describeRule);
    if (ld) return ld;
    const options = Array.isArray(c.options) ? (c.options as Json[]) : [];
    if (options.length > 25) return `${i}.options: Must be 25 or fewer in length.`;
    let size = longest(c.name, c.name_localizations) + longest(c.description, c.description_localizations);
    let optionalSeen = false;
    const optionNames = new Set<string>();
    for (const [j, o] of options.entries()) {
      const checked = optionProblem(`${i}.options.${j}`, o);
      if (checked.problem) return checked.problem;
      size += checked.size;
      if (optionNames.has(text(o.name))) return `${i}.options.${j}.name: Option names must be unique`;
      optionNames.add(text(o.name));
      if (o.required === true && optionalSeen) return `${i}.options.${j}: Required options must be placed before non-required options`;
      if (o.required !== true) optionalSeen = true;
    }
    if (size > COMMAND_SIZE_MAX) return `${i}: Command exceeds maximum size (${COMMAND_SIZE_MAX})`;
  }
  return null;
}
