import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registry } from '../../commands/index.js';
import { PROJECT_ROOT } from '../../src/config.js';
import type { Command } from '../../src/core/dispatch/command.js';
import { buildManifest, FIND_SOURCE_CALLBACK_ID, formatManifest, usageHint } from '../../src/slack/manifest.js';

describe('Slack manifest', () => {
  it('the committed manifest.json is exactly what the registry generates (run `npm run manifest:slack` if not)', () => {
    const committed = readFileSync(join(PROJECT_ROOT, 'manifest.json'), 'utf8');
    expect(committed).toBe(formatManifest(buildManifest(registry)));
  });

  it('declares every visible command, the scopes, Socket Mode, interactivity and the shortcut', () => {
    const manifest = buildManifest(registry);
    const visible = [...registry.values()].filter((c) => !c.hidden).map((c) => `/${c.name}`);
    expect(manifest.features.slash_commands.map((c) => c.command)).toEqual(visible);
    expect(visible.length).toBeGreaterThan(0);
    expect(manifest.oauth_config.scopes.bot).toEqual(['commands', 'chat:write']);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.features.shortcuts).toEqual([
      { name: 'Find source', type: 'message', callback_id: FIND_SOURCE_CALLBACK_ID, description: 'Find where the words of this message stand in the essays' },
    ]);
  });

  it('leaves hidden commands out and writes a usage hint from the options', () => {
    const quote: Command = {
      name: 'quote',
      description: 'Quote a passage word for word',
      descriptionZh: '引用原文',
      result: z.unknown(),
      positional: 'query',
      options: z.object({
        query: z.string().meta({ description: 'words to find' }),
        author: z.string().optional(),
        count: z.number().int().min(1).max(5).optional(),
        lang: z.enum(['en', 'zh']).optional(),
      }),
      run: () => {
        throw new Error('not run');
      },
    };
    const hidden: Command = { ...quote, name: 'context', hidden: true };
    expect(usageHint(quote)).toBe('query [author:…] [count:n] [lang:en|zh]');
    expect(
      buildManifest(
        new Map([
          ['quote', quote],
          ['context', hidden],
        ]),
      ).features.slash_commands,
    ).toEqual([
      { command: '/quote', description: 'Quote a passage word for word', usage_hint: 'query [author:…] [count:n] [lang:en|zh]', should_escape: false },
    ]);
  });
});
