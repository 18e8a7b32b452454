import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDiscord } from './fake-discord.js';

/** The fake must refuse what Discord refuses, or the end-to-end tests could pass payloads Discord would not. */
describe('fake Discord', () => {
  let fake: FakeDiscord;
  beforeAll(async () => {
    fake = await FakeDiscord.start();
  });
  afterAll(async () => {
    await fake.close();
  });

  async function callback(data: Record<string, unknown>): Promise<{ status: number; type: string | null; body: string }> {
    const res = await fetch(`${fake.apiBase}/interactions/1/tok/callback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ type: 4, data }),
    });
    return { status: res.status, type: res.headers.get('content-type'), body: await res.text() };
  }

  it('answers a valid callback with 204 and no JSON content-type', async () => {
    expect(await callback({ content: 'ok' })).toEqual({ status: 204, type: null, body: '' });
  });

  it.each([
    [{ content: 'x'.repeat(2001) }, 'content: Must be 2000 or fewer in length.'],
    [{ content: '' }, 'Cannot send an empty message'],
    [{ embeds: Array.from({ length: 11 }, () => ({ description: 'x' })) }, 'embeds: Must be 10 or fewer in length.'],
    [{ embeds: [{ description: 'x'.repeat(4097) }] }, 'embeds.0.description: Must be 4096 or fewer in length.'],
    [{ embeds: [{ description: 'x'.repeat(4000) }, { description: 'x'.repeat(2001) }] }, 'embeds: Embed size exceeds maximum size of 6000'],
    [{ embeds: [{ fields: [{ name: 'a', value: 'x'.repeat(1025) }] }] }, 'embeds.0.fields.0.value: Must be between 1 and 1024 in length.'],
    [
      {
        content: 'x',
        components: [
          {
            type: 1,
            components: [
              { type: 2, style: 1, label: 'a', custom_id: 'same' },
              { type: 2, style: 1, label: 'b', custom_id: 'same' },
            ],
          },
        ],
      },
      'components.0.components.1.custom_id: Component custom id cannot be duplicated',
    ],
    [
      { content: 'x', components: [{ type: 1, components: [{ type: 2, style: 1, label: 'a', custom_id: 'x'.repeat(101) }] }] },
      'components.0.components.0.custom_id: Must be between 1 and 100 in length.',
    ],
  ])('refuses %#: %s', async (data, message) => {
    const res = await callback(data);
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body)).toEqual({ message: `Invalid Form Body: ${message}`, code: 50035 });
  });

  it('refuses a registration that breaks the naming rule or puts an optional option first', async () => {
    const put = async (body: unknown) =>
      (
        await fetch(`${fake.apiBase}/applications/${fake.applicationId}/commands`, {
          method: 'PUT',
          headers: { authorization: 'Bot fake-token', 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).status;
    expect(await put([{ type: 1, name: 'Quote', description: 'd' }])).toBe(400);
    expect(
      await put([
        {
          type: 1,
          name: 'q',
          description: 'd',
          options: [
            { type: 3, name: 'a', description: 'd' },
            { type: 3, name: 'b', description: 'd', required: true },
          ],
        },
      ]),
    ).toBe(400);
    expect(await put([{ type: 1, name: 'q', description: 'd' }])).toBe(200);
  });
});
