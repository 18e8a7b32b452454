import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.js';
import { discordCommands } from '../../src/discord/commands.js';
import { FakeDiscord, type FakeWhere, INTERACTION_TOKEN_TTL_MS, USER_INSTALL_FOLLOW_UPS_MAX } from './fake-discord.js';
import { alice } from './support.js';

type Json = Record<string, unknown>;

/**
 * The fake must refuse what Discord refuses (each rule here is one of Discord's documented
 * ones, cited in fake-discord.ts), or the end-to-end tests could pass payloads Discord would not.
 */
describe('fake Discord', () => {
  let fake: FakeDiscord;
  let now = 1_800_000_000_000;
  beforeAll(async () => {
    fake = await FakeDiscord.start({ now: () => now });
  });
  afterAll(async () => {
    await fake.close();
  });

  async function call(method: string, route: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(`${fake.apiBase}${route}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, type: res.headers.get('content-type'), body: text === '' ? undefined : (JSON.parse(text) as Json) };
  }

  const interaction = (where?: FakeWhere) => fake.pendingInteraction({ user: alice, where });
  const callback = (i: { id: string; token: string }, type: number, data?: Json) => call('POST', `/interactions/${i.id}/${i.token}/callback`, { type, data });
  const followUp = (i: { token: string }, body: Json) => call('POST', `/webhooks/${fake.applicationId}/${i.token}`, body);
  const editOriginal = (i: { token: string }, body: Json) => call('PATCH', `/webhooks/${fake.applicationId}/${i.token}/messages/@original`, body);

  describe('message payloads', () => {
    it('answers a valid callback with 204 and no JSON content-type', async () => {
      expect(await callback(interaction(), 4, { content: 'ok' })).toEqual({ status: 204, type: null, body: undefined });
    });

    const button = (extra: Json = {}) => ({ type: 2, style: 1, label: 'a', custom_id: 'id', ...extra });
    const row = (...components: Json[]) => ({ type: 1, components });
    it.each<[string, Json, string]>([
      ['content over 2,000', { content: 'x'.repeat(2001) }, 'content: Must be 2000 or fewer in length.'],
      ['more than 10 embeds', { embeds: Array.from({ length: 11 }, () => ({ description: 'x' })) }, 'embeds: Must be 10 or fewer in length.'],
      ['a title over 256', { embeds: [{ title: 'x'.repeat(257) }] }, 'embeds.0.title: Must be 256 or fewer in length.'],
      ['a description over 4,096', { embeds: [{ description: 'x'.repeat(4097) }] }, 'embeds.0.description: Must be 4096 or fewer in length.'],
      [
        'more than 25 fields',
        { embeds: [{ fields: Array.from({ length: 26 }, () => ({ name: 'n', value: 'v' })) }] },
        'embeds.0.fields: Must be 25 or fewer in length.',
      ],
      [
        'a field name over 256',
        { embeds: [{ fields: [{ name: 'x'.repeat(257), value: 'v' }] }] },
        'embeds.0.fields.0.name: Must be between 1 and 256 in length.',
      ],
      [
        'a field value over 1,024',
        { embeds: [{ fields: [{ name: 'a', value: 'x'.repeat(1025) }] }] },
        'embeds.0.fields.0.value: Must be between 1 and 1024 in length.',
      ],
      [
        'a footer over 2,048',
        { embeds: [{ description: 'd', footer: { text: 'x'.repeat(2049) } }] },
        'embeds.0.footer.text: Must be between 1 and 2048 in length.',
      ],
      [
        'an author name over 256',
        { embeds: [{ description: 'd', author: { name: 'x'.repeat(257) } }] },
        'embeds.0.author.name: Must be between 1 and 256 in length.',
      ],
      [
        'embeds over 6,000 in all',
        { embeds: [{ description: 'x'.repeat(4000) }, { description: 'x'.repeat(1900), footer: { text: 'x'.repeat(101) } }] },
        'embeds: Embed size exceeds maximum size of 6000',
      ],
      [
        'more than 5 action rows',
        { content: 'x', components: Array.from({ length: 6 }, (_, i) => row(button({ custom_id: `b${i}` }))) },
        'components: Must be 5 or fewer in length.',
      ],
      [
        'more than 5 buttons in a row',
        { content: 'x', components: [row(...Array.from({ length: 6 }, (_, i) => button({ custom_id: `b${i}` })))] },
        'components.0.components: Must be between 1 and 5 in length.',
      ],
      [
        'a duplicated custom_id',
        { content: 'x', components: [row(button(), button({ label: 'b' }))] },
        'components.0.components.1.custom_id: Component custom id cannot be duplicated',
      ],
      [
        'a custom_id over 100',
        { content: 'x', components: [row(button({ custom_id: 'x'.repeat(101) }))] },
        'components.0.components.0.custom_id: Must be between 1 and 100 in length.',
      ],
      [
        'a label over 80',
        { content: 'x', components: [row(button({ label: 'x'.repeat(81) }))] },
        'components.0.components.0.label: Must be 80 or fewer in length.',
      ],
      [
        'allowed_mentions parse of an unknown type',
        { content: 'x', allowed_mentions: { parse: ['channels'] } },
        'allowed_mentions.parse: Must be an array of "roles", "users" and "everyone".',
      ],
      [
        'allowed_mentions parse users with a users list',
        { content: 'x', allowed_mentions: { parse: ['users'], users: ['1'] } },
        'allowed_mentions: parse:["users"] and users: [ids] are mutually exclusive.',
      ],
      ['allowed_mentions with an unknown field', { content: 'x', allowed_mentions: { parse: [], channels: [] } }, 'allowed_mentions.channels: Unknown field.'],
      [
        'allowed_mentions roles that are not snowflakes',
        { content: 'x', allowed_mentions: { roles: ['admins'] } },
        'allowed_mentions.roles: Must be an array of snowflakes.',
      ],
      [
        'allowed_mentions replied_user not a boolean',
        { content: 'x', allowed_mentions: { replied_user: 'yes' } },
        'allowed_mentions.replied_user: Must be a boolean.',
      ],
      ['a flag an app may not set', { content: 'x', flags: 1 << 1 }, 'flags: Invalid flags for a message an app sends.'],
      ['an empty embed', { embeds: [{}] }, 'embeds.0: Embed is empty.'],
      [
        'a top-level component that is not an action row',
        { content: 'x', components: [button()] },
        'components.0.type: A top-level component must be an action row (type 1).',
      ],
      ['an empty action row', { content: 'x', components: [row()] }, 'components.0.components: Must be between 1 and 5 in length.'],
      [
        'a component other than a button',
        { content: 'x', components: [row({ type: 3, custom_id: 's' })] },
        'components.0.components.0.type: The fake knows buttons (type 2) only.',
      ],
      [
        'a button style that does not exist',
        { content: 'x', components: [row(button({ style: 7 }))] },
        'components.0.components.0.style: Value "7" is not a valid enum value.',
      ],
      [
        'a link button with a custom_id',
        { content: 'x', components: [row(button({ style: 5, url: 'https://example.org' }))] },
        'components.0.components.0: A link button has a url and no custom_id.',
      ],
      [
        'a button with neither label nor emoji',
        { content: 'x', components: [row(button({ label: '' }))] },
        'components.0.components.0.label: A button needs a label or an emoji.',
      ],
      [
        'allowed_mentions with over 100 users',
        { content: 'x', allowed_mentions: { users: Array.from({ length: 101 }, (_, i) => String(i + 1)) } },
        'allowed_mentions.users: Must be 100 or fewer in length.',
      ],
    ])('refuses %s, in Discord’s error shape', async (_what, data, problem) => {
      const res = await callback(interaction(), 4, data);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ message: 'Invalid Form Body', code: 50035 });
      // The path of the field is the path in `errors`, as discord.js reads it.
      const path = problem.slice(0, problem.indexOf(': ')).split('.');
      let at = (res.body as Json).errors as Json;
      for (const key of path) at = at[key] as Json;
      expect((at._errors as Array<{ message: string }>)[0]?.message).toBe(problem.slice(problem.indexOf(': ') + 2));
      // The same rules hold for follow-ups and edits.
      const answered = interaction();
      await callback(answered, 4, { content: 'ok' });
      expect((await followUp(answered, data)).status).toBe(400);
      expect((await editOriginal(answered, data)).status).toBe(400);
    });

    it('refuses an empty message with 50006', async () => {
      expect(await callback(interaction(), 4, { content: '' })).toMatchObject({ status: 400, body: { message: 'Cannot send an empty message', code: 50006 } });
    });

    it('takes the longest payload Discord allows', async () => {
      const field = { name: 'n'.repeat(256), value: 'v'.repeat(1024) };
      const full = {
        content: 'x'.repeat(2000),
        embeds: [{ title: 't'.repeat(256), description: 'd'.repeat(4096), fields: [field] }, { description: 'd'.repeat(6000 - 256 - 4096 - 1280) }],
        components: Array.from({ length: 5 }, (_, r) =>
          row(...Array.from({ length: 5 }, (_, b) => button({ custom_id: `${r}-${b}`.padEnd(100, 'x'), label: 'l'.repeat(80) }))),
        ),
        allowed_mentions: { parse: [] },
      };
      expect((await callback(interaction(), 4, full)).status).toBe(204);
    });

    it('lets a deferral set only the EPHEMERAL flag', async () => {
      expect((await callback(interaction(), 5, { flags: 1 << 2 })).status).toBe(400);
      expect((await callback(interaction(), 5, { flags: 64 })).status).toBe(204);
    });
  });

  describe('interaction responses', () => {
    it('refuses a second callback with 40060 "Interaction has already been acknowledged"', async () => {
      const i = interaction();
      expect((await callback(i, 5)).status).toBe(204);
      expect(await callback(i, 4, { content: 'again' })).toMatchObject({
        status: 400,
        body: { message: 'Interaction has already been acknowledged.', code: 40060 },
      });
    });

    it('refuses a callback type that does not exist', async () => {
      expect(await callback(interaction(), 42)).toMatchObject({ status: 400, body: { code: 50035 } });
      expect(fake.requests.items.at(-1)?.refused).toBe('type: Value "42" is not a valid enum value.');
    });

    it('refuses follow-ups before any response, and for a token it never gave', async () => {
      expect(await followUp(interaction(), { content: 'x' })).toMatchObject({ status: 404, body: { code: 10015 } });
      expect(await followUp({ token: 'never' }, { content: 'x' })).toMatchObject({ status: 404, body: { code: 10015 } });
    });

    it('refuses an edit of a message it deleted', async () => {
      const i = interaction();
      await callback(i, 4, { content: 'x' });
      expect((await call('DELETE', `/webhooks/${fake.applicationId}/${i.token}/messages/@original`)).status).toBe(204);
      expect(await editOriginal(i, { content: 'y' })).toMatchObject({ status: 404, body: { code: 10008 } });
    });

    it('refuses a callback for an interaction it never sent', async () => {
      expect(await callback({ id: '1', token: 'tok' }, 4, { content: 'x' })).toMatchObject({ status: 404, body: { code: 10062 } });
    });

    it('takes a follow-up right after a public deferral as an edit of it, ignoring its ephemeral flag', async () => {
      const i = interaction();
      await callback(i, 5);
      const first = await followUp(i, { content: 'secret', flags: 64 });
      expect(first.status).toBe(200);
      expect(fake.shown(i).map((m) => [m.content, m.ephemeral, m.loading])).toEqual([['secret', false, false]]);
      // Once the placeholder is edited, a follow-up is a message of its own and may be private.
      await followUp(i, { content: 'only you', flags: 64 });
      expect(fake.shown(i).map((m) => [m.content, m.ephemeral])).toEqual([
        ['secret', false],
        ['only you', true],
      ]);
    });

    it('keeps a message’s visibility when it is edited', async () => {
      const i = interaction();
      await callback(i, 5, { flags: 64 });
      await editOriginal(i, { content: 'done', flags: 0 });
      expect(fake.shown(i).map((m) => [m.content, m.ephemeral])).toEqual([['done', true]]);
    });

    it(`gives a user-installed app at most ${USER_INSTALL_FOLLOW_UPS_MAX} follow-ups, and an app installed to the server more`, async () => {
      const mine = interaction({ install: 'user' });
      await callback(mine, 4, { content: 'answer' });
      for (let n = 0; n < USER_INSTALL_FOLLOW_UPS_MAX; n++) expect((await followUp(mine, { content: `${n}` })).status).toBe(200);
      expect(await followUp(mine, { content: 'sixth' })).toMatchObject({
        status: 400,
        body: { message: 'This interaction has hit the maximum number of follow up messages', code: 40094 },
      });
      const server = interaction({ install: 'both' });
      await callback(server, 4, { content: 'answer' });
      for (let n = 0; n <= USER_INSTALL_FOLLOW_UPS_MAX; n++) expect((await followUp(server, { content: `${n}` })).status).toBe(200);
    });

    it('expires an interaction token after 15 minutes, by its injected clock', async () => {
      const i = interaction();
      await callback(i, 5);
      now += INTERACTION_TOKEN_TTL_MS - 1;
      expect((await editOriginal(i, { content: 'in time' })).status).toBe(200);
      now += 2;
      expect(await followUp(i, { content: 'too late' })).toMatchObject({ status: 401, body: { code: 50027 } });
      expect((await editOriginal(i, { content: 'too late' })).status).toBe(401);
    });
  });

  describe('interactions in each context, shaped as Discord sends them', () => {
    // The payload INTERACTION_CREATE carries; the fake builds it the same way for every kind of interaction.
    const shape = (where: FakeWhere): Json => fake.pendingInteraction({ user: alice, where }).payload;

    it('in a server: member, guild_id, guild_locale, the server as GUILD_INSTALL owner, context 0', () => {
      const p = shape({ context: 'guild' });
      expect(p).toMatchObject({
        guild_id: '200000000000000001',
        guild_locale: 'en-US',
        context: 0,
        authorizing_integration_owners: { '0': '200000000000000001' },
      });
      expect((p.member as Json).user).toMatchObject({ id: alice.id });
      expect(p.user).toBeUndefined();
      expect(typeof p.app_permissions).toBe('string');
    });

    it('in a DM with the bot: user, no guild_id, GUILD_INSTALL "0", context 1, the DM’s documented app_permissions', () => {
      const p = shape({ context: 'bot-dm' });
      expect(p).toMatchObject({ user: { id: alice.id }, context: 1, authorizing_integration_owners: { '0': '0' }, channel: { type: 1 } });
      expect(p.guild_id).toBeUndefined();
      expect(p.member).toBeUndefined();
      expect(p.guild_locale).toBeUndefined();
      expect(p.app_permissions).toBe(String((1n << 15n) | (1n << 14n) | (1n << 17n) | (1n << 18n)));
    });

    it('in a group DM: user, no guild_id, only the USER_INSTALL owner, context 2', () => {
      const p = shape({ context: 'private-channel' });
      expect(p).toMatchObject({ user: { id: alice.id }, context: 2, authorizing_integration_owners: { '1': alice.id }, channel: { type: 3 } });
      expect(p.guild_id).toBeUndefined();
      expect(p.app_permissions).toBe(String((1n << 15n) | (1n << 14n) | (1n << 17n)));
      expect(() => shape({ context: 'private-channel', install: 'guild' })).toThrow('only a user install reaches a group DM');
    });
  });

  describe('attachments on the CDN', () => {
    it('serves an attachment’s bytes at its signed URL, with its length and type', async () => {
      const file = fake.attachment('issue.pdf', new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]), 'application/pdf');
      const response = await fetch(file.url);
      expect([response.status, response.headers.get('content-type'), response.headers.get('content-length')]).toEqual([200, 'application/pdf', '5']);
      expect(new Uint8Array(await response.arrayBuffer())).toEqual(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]));
      expect(file).toMatchObject({ filename: 'issue.pdf', size: 5, proxy_url: file.url, content_type: 'application/pdf' });
    });

    it('answers 404 to a URL without its signature, as the CDN does', async () => {
      const file = fake.attachment('issue.pdf', new Uint8Array([1, 2, 3]));
      const unsigned = new URL(file.url);
      unsigned.search = '';
      const response = await fetch(unsigned);
      expect([response.status, await response.text()]).toEqual([404, 'This content is no longer available.']);
      expect(fake.cdnRequests.items.at(-1)).toMatchObject({ path: unsigned.pathname, served: false });
    });
  });

  describe('command registration', () => {
    const put = async (body: unknown, where = `/applications/${fake.applicationId}/commands`) => call('PUT', where, body, { authorization: 'Bot fake-token' });
    const slash = (extra: Json = {}) => ({ type: 1, name: 'q', description: 'd', ...extra });
    const option = (extra: Json = {}) => ({ type: 3, name: 'o', description: 'd', ...extra });

    it('takes the bot’s own registry, globally and to a server', async () => {
      expect((await put(discordCommands(registry, 'global'))).status).toBe(200);
      expect((await put(discordCommands(registry, 'guild'), `/applications/${fake.applicationId}/guilds/200000000000000001/commands`)).status).toBe(200);
    });

    it.each<[string, unknown[], string, string?]>([
      ['an uppercase name', [slash({ name: 'Quote' })], '0.name: Command name is invalid'],
      ['a name with a space', [slash({ name: 'two words' })], '0.name: Command name is invalid'],
      ['a name over 32', [slash({ name: 'x'.repeat(33) })], '0.name: Command name is invalid'],
      ['an empty description', [slash({ description: '' })], '0.description: Must be between 1 and 100 in length.'],
      ['a description over 100', [slash({ description: 'x'.repeat(101) })], '0.description: Must be between 1 and 100 in length.'],
      ['an unknown locale', [slash({ name_localizations: { zh: '引' } })], '0.name_localizations.zh: Invalid locale "zh".'],
      ['a localized name breaking the rule', [slash({ name_localizations: { 'zh-CN': '引 证' } })], '0.name_localizations.zh-CN: Command name is invalid'],
      [
        'a localized description over 100',
        [slash({ description_localizations: { 'zh-TW': 'x'.repeat(101) } })],
        '0.description_localizations.zh-TW: Must be between 1 and 100 in length.',
      ],
      [
        'an optional option before a required one',
        [slash({ options: [option({ name: 'a' }), option({ name: 'b', required: true })] })],
        '0.options.1: Required options must be placed before non-required options',
      ],
      ['an option with an uppercase name', [slash({ options: [option({ name: 'Query' })] })], '0.options.0.name: Command name is invalid'],
      [
        'default_member_permissions not a bitfield',
        [slash({ default_member_permissions: 'ManageGuild' })],
        '0.default_member_permissions: Could not interpret "ManageGuild" as a permission bitfield.',
      ],
      ['default_member_permissions as a number', [slash({ default_member_permissions: 32 })], '0.default_member_permissions: Must be a string.'],
      [
        'more than 25 options',
        [slash({ options: Array.from({ length: 26 }, (_, i) => option({ name: `o${i}` })) })],
        '0.options: Must be 25 or fewer in length.',
      ],
      [
        'more than 25 choices',
        [slash({ options: [option({ choices: Array.from({ length: 26 }, (_, i) => ({ name: `c${i}`, value: `c${i}` })) })] })],
        '0.options.0.choices: Must be 25 or fewer in length.',
      ],
      [
        'a choice value over 100',
        [slash({ options: [option({ choices: [{ name: 'c', value: 'x'.repeat(101) }] })] })],
        '0.options.0.choices.0.value: Must be 100 or fewer in length.',
      ],
      [
        'autocomplete with choices',
        [slash({ options: [option({ autocomplete: true, choices: [{ name: 'c', value: 'c' }] })] })],
        '0.options.0: Autocomplete cannot be set with choices',
      ],
      [
        'a command over 8,000 characters',
        [
          slash({
            options: Array.from({ length: 25 }, (_, i) =>
              option({
                name: `o${i}`,
                description: 'x'.repeat(100),
                choices: Array.from({ length: 25 }, (_, k) => ({ name: `${k}`.padEnd(100, 'n'), value: `${k}` })),
              }),
            ),
          }),
        ],
        '0: Command exceeds maximum size (8000)',
      ],
      [
        'more than 100 slash commands',
        Array.from({ length: 101 }, (_, i) => slash({ name: `c${i}` })),
        '100: Maximum number of application commands of type 1 reached (100).',
      ],
      ['two options of one name', [slash({ options: [option(), option()] })], '0.options.1.name: Option names must be unique'],
      ['a command type that does not exist', [slash({ type: 9 })], '0.type: Value "9" is not a valid enum value.'],
      [
        'more than 15 message commands',
        Array.from({ length: 16 }, (_, i) => ({ type: 3, name: `Menu ${i}` })),
        '15: Maximum number of application commands of type 3 reached (15).',
      ],
      ['a message command name over 32', [{ type: 3, name: 'x'.repeat(33) }], '0.name: Must be between 1 and 32 in length.'],
      ['an integration type that does not exist', [slash({ integration_types: [2] })], '0.integration_types: Value is not a valid enum value.'],
      ['a context that does not exist', [slash({ contexts: [3] })], '0.contexts: Value is not a valid enum value.'],
      ['two commands of one name', [slash(), slash()], '1.name: Application command names must be unique'],
      [
        'integration_types on a server’s command',
        [slash({ integration_types: [0, 1] })],
        '0.integration_types: Only global commands take integration types and contexts.',
        `/applications/{app}/guilds/200000000000000001/commands`,
      ],
      [
        'contexts on a server’s command',
        [slash({ contexts: [0] })],
        '0.contexts: Only global commands take integration types and contexts.',
        `/applications/{app}/guilds/200000000000000001/commands`,
      ],
    ])('refuses %s', async (_what, body, problem, where) => {
      const res = await put(body, where?.replace('{app}', fake.applicationId));
      expect(res).toMatchObject({ status: 400, body: { message: 'Invalid Form Body', code: 50035 } });
      expect(fake.requests.items.at(-1)?.refused).toBe(problem);
    });

    it('takes an apostrophe, Chinese letters and the longest names, as the naming rule allows', async () => {
      expect((await put([slash({ name: "it's", name_localizations: { 'zh-CN': '引证', 'zh-TW': '引證' } }), slash({ name: 'x'.repeat(32) })])).status).toBe(
        200,
      );
    });

    it('refuses integration type 1 when the app has no User Install', async () => {
      const closed = await FakeDiscord.start({ userInstall: false });
      try {
        const res = await fetch(`${closed.apiBase}/applications/${closed.applicationId}/commands`, {
          method: 'PUT',
          headers: { authorization: 'Bot fake-token', 'content-type': 'application/json' },
          body: JSON.stringify([slash({ integration_types: [0, 1] })]),
        });
        expect(res.status).toBe(400);
        expect(((await res.json()) as Json).errors).toEqual({
          '0': {
            integration_types: { _errors: [{ code: 'INVALID_FORM_BODY', message: 'The application does not support the User Install integration type.' }] },
          },
        });
      } finally {
        await closed.close();
      }
    });
  });

  describe('the servers the bot is in', () => {
    it('pages GET /users/@me/guilds with after, before and a limit of 1 to 200', async () => {
      fake.botGuilds = Array.from({ length: 450 }, (_, i) => String(200000000000000000n + BigInt(i)));
      const get = async (query: string) => {
        const res = await call('GET', `/users/@me/guilds${query}`, undefined, { authorization: 'Bot fake-token' });
        return { status: res.status, ids: Array.isArray(res.body) ? (res.body as Json[]).map((g) => g.id) : res.body };
      };
      const first = await get('');
      expect(first.ids).toHaveLength(200);
      expect((first.ids as string[])[0]).toBe('200000000000000000');
      const third = await get('?limit=200&after=200000000000000399');
      expect(third.ids).toEqual(fake.botGuilds.slice(400));
      expect((await get('?before=200000000000000002')).ids).toEqual(fake.botGuilds.slice(0, 2));
      expect((await get('?limit=201')).status).toBe(400);
      expect((await get('?limit=0')).status).toBe(400);
      expect((await get('?before=200000000000000002&after=200000000000000001')).status).toBe(400);
    });
  });
});
