import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appUninstalled, FAKE_CHANNEL, FAKE_TEAM, FakeSlack, SECOND_TEAM, SIGN_IN_PAGE, tokensRevoked } from './fake-slack.js';

/*
 * The fake refuses what Slack refuses: each rule it enforces is shown here refusing the bad
 * form and taking the good one, so that a test passing against it means something.
 */

const BOT_TOKEN = 'xoxb-1-fake-test';
const APP_TOKEN = 'xapp-1-fake-test';

let fake: FakeSlack;
let clock: number;

beforeEach(async () => {
  clock = 1_800_000_000_000;
  fake = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN, oauth: { clientId: 'c1', clientSecret: 's1' }, now: () => clock });
});
afterEach(async () => {
  await fake.close();
});

/** A Web API call as the SDK makes it: JSON with the token as a bearer. */
async function call(method: string, params: Record<string, unknown> = {}, token: string | null = BOT_TOKEN): Promise<Record<string, unknown>> {
  const response = await fetch(`${fake.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(params),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function post(id: string, body: Record<string, unknown>): Promise<number> {
  return (await fetch(fake.responseUrl(id), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).status;
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });
const message = (blocks: unknown[]) => ({ channel: FAKE_CHANNEL.id, text: 'fallback', blocks });
const button = (i: number, over: Record<string, unknown> = {}) => ({
  type: 'button',
  action_id: `a${i}`,
  text: { type: 'plain_text', text: 'Go' },
  value: 'v',
  ...over,
});

describe('fake Slack: Web API methods, tokens and scopes', () => {
  it('refuses a method it does not have with unknown_method', async () => {
    expect(await call('chat.postMessagee', message([]))).toEqual({ ok: false, error: 'unknown_method', req_method: 'chat.postMessagee' });
  });

  it('refuses a call without a token, with a wrong one, and an app token where a bot token is wanted', async () => {
    expect(await call('auth.test', {}, null)).toEqual({ ok: false, error: 'not_authed' });
    expect(await call('auth.test', {}, 'xoxb-wrong')).toEqual({ ok: false, error: 'invalid_auth' });
    expect(await call('apps.connections.open', {}, BOT_TOKEN)).toEqual({ ok: false, error: 'not_allowed_token_type' });
    expect(await call('auth.test')).toMatchObject({ ok: true, team_id: FAKE_TEAM.id });
  });

  it('refuses a method whose scope the token lacks with missing_scope, naming the one needed', async () => {
    const narrow = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN, scopes: ['chat:write', 'commands'] });
    try {
      const response = await fetch(`${narrow.apiUrl}users.info`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${BOT_TOKEN}` },
        body: JSON.stringify({ user: 'U0ALICE', include_locale: true }),
      });
      expect(await response.json()).toEqual({ ok: false, error: 'missing_scope', needed: 'users:read', provided: 'chat:write,commands' });
    } finally {
      await narrow.close();
    }
  });

  it('users.info gives the locale only when include_locale is asked for', async () => {
    fake.locales.set('U0WANG', 'zh-TW');
    expect(await call('users.info', { user: 'U0WANG' })).toMatchObject({ ok: true, user: { id: 'U0WANG', team_id: FAKE_TEAM.id } });
    expect(((await call('users.info', { user: 'U0WANG' })).user as Record<string, unknown>).locale).toBeUndefined();
    expect(await call('users.info', { user: 'U0WANG', include_locale: true })).toMatchObject({ user: { locale: 'zh-TW' } });
    expect(await call('users.info', { user: 'not-a-user' })).toEqual({ ok: false, error: 'user_not_found' });
  });

  it('oauth.v2.access refuses a wrong client or no code, and gives a bot token for the second workspace that then works', async () => {
    expect(await call('oauth.v2.access', { client_id: 'c1', client_secret: 'wrong', code: 'x' }, null)).toEqual({ ok: false, error: 'invalid_client_id' });
    expect(await call('oauth.v2.access', { client_id: 'c1', client_secret: 's1', code: '' }, null)).toEqual({ ok: false, error: 'invalid_code' });
    expect(await call('auth.test', {}, SECOND_TEAM.botToken)).toEqual({ ok: false, error: 'invalid_auth' });
    const granted = await call('oauth.v2.access', { client_id: 'c1', client_secret: 's1', code: 'x' }, null);
    expect(granted).toMatchObject({ ok: true, access_token: SECOND_TEAM.botToken, team: { id: SECOND_TEAM.id }, token_type: 'bot' });
    expect(await call('auth.test', {}, SECOND_TEAM.botToken)).toMatchObject({ ok: true, team_id: SECOND_TEAM.id });
  });

  it('an uninstall revokes the workspace’s bot token and yields tokens_revoked and app_uninstalled as Slack sends them', async () => {
    await call('oauth.v2.access', { client_id: 'c1', client_secret: 's1', code: 'x' }, null);
    const [revoked, uninstalled] = fake.uninstall(SECOND_TEAM.id, SECOND_TEAM.botUserId);
    expect(revoked).toMatchObject({
      type: 'event_callback',
      team_id: SECOND_TEAM.id,
      event: { type: 'tokens_revoked', tokens: { bot: [SECOND_TEAM.botUserId] } },
    });
    expect(uninstalled).toMatchObject({ type: 'event_callback', team_id: SECOND_TEAM.id, event: { type: 'app_uninstalled' } });
    expect(await call('auth.test', {}, SECOND_TEAM.botToken)).toEqual({ ok: false, error: 'token_revoked' });
    // The other workspace keeps its installation.
    expect(await call('auth.test')).toMatchObject({ ok: true });
    expect(tokensRevoked('T1', ['U1'])).toMatchObject({ event: { tokens: { bot: ['U1'] } } });
    expect(appUninstalled('T1')).toMatchObject({ team_id: 'T1' });
  });
});

describe('fake Slack: messages it refuses', () => {
  it('refuses 51 blocks with invalid_blocks and takes 50', async () => {
    const refused = await call('chat.postMessage', message(Array.from({ length: 51 }, () => ({ type: 'divider' }))));
    expect(refused).toMatchObject({ ok: false, error: 'invalid_blocks', errors: ['must have at most 50 items [json-pointer:/blocks]'] });
    expect(await call('chat.postMessage', message(Array.from({ length: 50 }, () => ({ type: 'divider' }))))).toMatchObject({ ok: true });
  });

  it('refuses a section of 3,001 characters with Slack’s own error, and takes 3,000', async () => {
    const refused = await call('chat.postMessage', message([section('x'.repeat(3001))]));
    expect(refused).toEqual({
      ok: false,
      error: 'invalid_blocks',
      errors: ['must be less than 3001 characters [json-pointer:/blocks/0/text/text]'],
      response_metadata: { messages: ['[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]'] },
    });
    expect(await call('chat.postMessage', message([section('x'.repeat(3000))]))).toMatchObject({ ok: true });
  });

  it.each([
    ['a header of 151 characters', { type: 'header', text: { type: 'plain_text', text: 'h'.repeat(151) } }, '/blocks/0/text/text'],
    ['a mrkdwn header', { type: 'header', text: { type: 'mrkdwn', text: 'h' } }, '/blocks/0/text'],
    ['a context block of 11 elements', { type: 'context', elements: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'c' })) }, '/blocks/0/elements'],
    ['11 section fields', { type: 'section', fields: Array.from({ length: 11 }, () => ({ type: 'mrkdwn', text: 'f' })) }, '/blocks/0/fields'],
    ['a field of 2,001 characters', { type: 'section', fields: [{ type: 'mrkdwn', text: 'f'.repeat(2001) }] }, '/blocks/0/fields/0/text'],
    ['26 buttons', { type: 'actions', elements: Array.from({ length: 26 }, (_, i) => button(i)) }, '/blocks/0/elements'],
    [
      'a button label of 76 characters',
      { type: 'actions', elements: [button(0, { text: { type: 'plain_text', text: 'b'.repeat(76) } })] },
      '/blocks/0/elements/0/text/text',
    ],
    ['a button value of 2,001 characters', { type: 'actions', elements: [button(0, { value: 'v'.repeat(2001) })] }, '/blocks/0/elements/0/value'],
    ['an action_id of 256 characters', { type: 'actions', elements: [button(0, { action_id: 'a'.repeat(256) })] }, '/blocks/0/elements/0/action_id'],
    ['two buttons with one action_id', { type: 'actions', elements: [button(0), button(0)] }, '/blocks/0/elements'],
    ['a block_id of 256 characters', { type: 'divider', block_id: 'b'.repeat(256) }, '/blocks/0/block_id'],
    ['a section with neither text nor fields', { type: 'section' }, '/blocks/0'],
    ['a block type Slack does not know', { type: 'sectoin', text: { type: 'mrkdwn', text: 's' } }, '/blocks/0/type'],
  ])('refuses %s with invalid_blocks', async (_what, block, pointer) => {
    const refused = await call('chat.postMessage', message([block]));
    expect(refused.error).toBe('invalid_blocks');
    expect((refused.errors as string[]).join('\n')).toContain(`[json-pointer:${pointer}]`);
  });

  it('refuses two blocks with one block_id in a message', async () => {
    const refused = await call('chat.postMessage', message([section('a'), { ...section('b'), block_id: 'same' }, { type: 'divider', block_id: 'same' }]));
    expect(refused).toMatchObject({ error: 'invalid_blocks', errors: ['block_id same is not unique in the message [json-pointer:/blocks/2/block_id]'] });
  });

  it('refuses text past 40,000 characters with msg_too_long, blocks past 12,000 characters in all with msg_blocks_too_long, and a message of nothing with no_text', async () => {
    expect(await call('chat.postMessage', { channel: FAKE_CHANNEL.id, text: 't'.repeat(40_001) })).toEqual({ ok: false, error: 'msg_too_long' });
    expect(await call('chat.postMessage', { channel: FAKE_CHANNEL.id, text: 't'.repeat(40_000) })).toMatchObject({ ok: true });
    const five = Array.from({ length: 5 }, () => section('x'.repeat(2500)));
    expect(await call('chat.postMessage', message(five))).toEqual({ ok: false, error: 'msg_blocks_too_long' });
    expect(await call('chat.postMessage', message(five.slice(0, 4)))).toMatchObject({ ok: true });
    expect(await call('chat.postMessage', { channel: FAKE_CHANNEL.id })).toEqual({ ok: false, error: 'no_text' });
  });

  it('refuses a post to a channel the bot is not in with not_in_channel, and to one that does not exist with channel_not_found', async () => {
    fake.addChannel('C0OTHER');
    expect(await call('chat.postMessage', { channel: 'C0OTHER', text: 'hi' })).toEqual({ ok: false, error: 'not_in_channel' });
    expect(await call('chat.postMessage', { channel: 'C0NOWHERE', text: 'hi' })).toEqual({ ok: false, error: 'channel_not_found' });
    fake.addChannel('C0JOINED', true);
    expect(await call('chat.postMessage', { channel: 'C0JOINED', text: 'hi' })).toMatchObject({ ok: true, channel: 'C0JOINED' });
  });
});

describe('fake Slack: what a user sees', () => {
  it('takes an ephemeral message into a thread that does not exist (ok: true) but shows it to no one', async () => {
    const response = await call('chat.postEphemeral', { channel: FAKE_CHANNEL.id, user: 'U0ALICE', thread_ts: '1800000000.000100', text: 'lost' });
    expect(response).toMatchObject({ ok: true, message_ts: expect.any(String) });
    expect(fake.seenBy('U0ALICE', FAKE_CHANNEL.id, '1800000000.000100')).toEqual([]);
    expect(fake.seenBy('U0ALICE', FAKE_CHANNEL.id)).toEqual([]);
  });

  it('shows an ephemeral message in a thread once the thread exists, and at the top level always, to its user only', async () => {
    await call('chat.postMessage', { channel: FAKE_CHANNEL.id, thread_ts: '1800000000.000200', text: 'a reply starts the thread' });
    await call('chat.postEphemeral', { channel: FAKE_CHANNEL.id, user: 'U0ALICE', thread_ts: '1800000000.000200', text: 'in the thread' });
    await call('chat.postEphemeral', { channel: FAKE_CHANNEL.id, user: 'U0ALICE', text: 'in the channel' });
    expect(fake.seenBy('U0ALICE', FAKE_CHANNEL.id, '1800000000.000200').map((m) => m.text)).toEqual(['a reply starts the thread', 'in the thread']);
    expect(fake.seenBy('U0ALICE', FAKE_CHANNEL.id).map((m) => m.text)).toEqual(['in the channel']);
    expect(fake.seenBy('U0BOB', FAKE_CHANNEL.id)).toEqual([]);
    fake.noteReply(FAKE_CHANNEL.id, '1800000000.000300');
    await call('chat.postEphemeral', { channel: FAKE_CHANNEL.id, user: 'U0ALICE', thread_ts: '1800000000.000300', text: 'in a user’s thread' });
    expect(fake.seenBy('U0ALICE', FAKE_CHANNEL.id, '1800000000.000300').map((m) => m.text)).toEqual(['in a user’s thread']);
  });
});

describe('fake Slack: response_url', () => {
  it('takes five posts and refuses the sixth', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push(await post('six', { text: `post ${i}` }));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 404]);
    expect(fake.responses.items.map((r) => r.accepted)).toEqual([true, true, true, true, true, false]);
  });

  it('refuses any post after thirty minutes, on the injected clock', async () => {
    expect(await post('late', { text: 'in time' })).toBe(200);
    clock += 30 * 60_000;
    expect(await post('late', { text: 'just in time' })).toBe(200);
    clock += 1;
    expect(await post('late', { text: 'too late' })).toBe(404);
  });

  it('refuses a message Slack would refuse, without counting it', async () => {
    const response = await fetch(fake.responseUrl('bad'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text: 't', blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ ok: false, error: 'invalid_blocks' });
    for (let i = 0; i < 5; i++) expect(await post('bad', { text: `post ${i}` })).toBe(200);
  });
});

describe('fake Slack: files and who is an admin', () => {
  it('users.info says who is an admin and who an owner (an owner is an admin too)', async () => {
    fake.admins.add('U0ADMIN');
    fake.owners.add('U0OWNER');
    expect(await call('users.info', { user: 'U0ADMIN' })).toMatchObject({ user: { is_admin: true, is_owner: false } });
    expect(await call('users.info', { user: 'U0OWNER' })).toMatchObject({ user: { is_admin: true, is_owner: true } });
    expect(await call('users.info', { user: 'U0MEMBER' })).toMatchObject({ user: { is_admin: false, is_owner: false } });
  });

  it('serves url_private_download only with the workspace’s bot token, and the sign-in page otherwise', async () => {
    const file = fake.upload('issue.pdf', new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]), 'application/pdf');
    const get = (headers: Record<string, string> = {}) => fetch(file.url_private_download, { headers });
    const served = await get({ authorization: `Bearer ${BOT_TOKEN}` });
    expect([served.status, served.headers.get('content-type'), served.headers.get('content-length')]).toEqual([200, 'application/pdf', '5']);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d]));
    for (const headers of [{}, { authorization: 'Bearer xoxb-someone-else' }, { authorization: BOT_TOKEN }] as Array<Record<string, string>>) {
      const refused = await get(headers);
      expect([refused.status, refused.headers.get('content-type'), await refused.text()]).toEqual([200, 'text/html; charset=utf-8', SIGN_IN_PAGE]);
    }
    expect(fake.fileRequests.items.map((r) => r.served)).toEqual([true, false, false, false]);
  });

  it('serves no file to a token without files:read', async () => {
    const narrow = await FakeSlack.start({ botToken: BOT_TOKEN, appToken: APP_TOKEN, scopes: ['chat:write', 'commands'] });
    try {
      const file = narrow.upload('issue.txt', new TextEncoder().encode('text'), 'text/plain');
      const response = await fetch(file.url_private_download, { headers: { authorization: `Bearer ${BOT_TOKEN}` } });
      expect(await response.text()).toBe(SIGN_IN_PAGE);
    } finally {
      await narrow.close();
    }
  });
});
