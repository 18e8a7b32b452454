import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registry } from '../../commands/index.js';
import { DEFAULT_SLACK_COMMAND, PROJECT_ROOT, parseConfig } from '../../src/config.js';
import type { Command } from '../../src/core/dispatch/command.js';
import { GENERIC_COMMAND_WORDS, SLACK_BUILT_IN_COMMANDS } from '../../src/slack/built-in.js';
import { buildManifest, FIND_SOURCE_CALLBACK_ID, formatManifest, subcommandsHint, usageHint } from '../../src/slack/manifest.js';

describe('Slack manifest', () => {
  const socket = buildManifest(registry, { command: DEFAULT_SLACK_COMMAND });

  it('the committed manifest.json is exactly what the registry generates (run `npm run manifest:slack` if not)', () => {
    const committed = readFileSync(join(PROJECT_ROOT, 'manifest.json'), 'utf8');
    expect(committed).toBe(formatManifest(socket));
  });

  it('declares one command, /yinzheng, whose usage lists every visible command as a subcommand', () => {
    expect(socket.features.slash_commands).toEqual([
      {
        command: '/yinzheng',
        description: 'Quote, attribute and cite the essays word for word (help lists the subcommands)',
        usage_hint: subcommandsHint(registry),
        should_escape: false,
      },
    ]);
    for (const c of [...registry.values()].filter((x) => !x.hidden)) expect(subcommandsHint(registry)).toContain(c.name);
    expect(subcommandsHint(registry).length).toBeLessThanOrEqual(100);
  });

  it('declares no Slack built-in and no bare generic word, whatever SLACK_COMMAND says, since the config refuses them', () => {
    for (const manifest of [socket, buildManifest(registry, { command: '/yz' })]) {
      for (const { command } of manifest.features.slash_commands) {
        expect(SLACK_BUILT_IN_COMMANDS.has(command), command).toBe(false);
        expect(GENERIC_COMMAND_WORDS.has(command), command).toBe(false);
      }
    }
    expect(SLACK_BUILT_IN_COMMANDS.has('/who')).toBe(true);
    expect(() => parseConfig({ SLACK_COMMAND: '/who' })).toThrow('SLACK_COMMAND is one of Slack’s built-in commands');
    expect(() => parseConfig({ SLACK_COMMAND: '/quote' })).toThrow('SLACK_COMMAND is a generic word another app may claim');
    expect(() => parseConfig({ SLACK_COMMAND: 'yz' })).toThrow('SLACK_COMMAND must be a slash and up to 31 lowercase letters');
    expect(parseConfig({ SLACK_COMMAND: '/yz' }).slackCommand).toBe('/yz');
    expect(parseConfig({}).slackCommand).toBe('/yinzheng');
  });

  it('asks for the scopes it uses and the app_mention event, in Socket Mode with interactivity and the shortcut', () => {
    expect(socket.oauth_config.scopes.bot).toEqual(['app_mentions:read', 'chat:write', 'commands', 'users:read']);
    expect(socket.settings).toEqual({
      event_subscriptions: { bot_events: ['app_mention'] },
      interactivity: { is_enabled: true },
      org_deploy_enabled: false,
      socket_mode_enabled: true,
      token_rotation_enabled: false,
    });
    expect(socket.features.shortcuts).toEqual([
      { name: 'Find source', type: 'message', callback_id: FIND_SOURCE_CALLBACK_ID, description: 'Find where the words of this message stand in the essays' },
    ]);
  });

  it('with PUBLIC_URL, the HTTP manifest: every request URL at /slack/events, Socket Mode off', () => {
    const http = buildManifest(registry, { command: '/yz', publicUrl: 'https://bot.example.org/' });
    const url = 'https://bot.example.org/slack/events';
    expect(http.features.slash_commands.map((c) => [c.command, c.url])).toEqual([['/yz', url]]);
    expect(http.settings.event_subscriptions).toEqual({ bot_events: ['app_mention'], request_url: url });
    expect(http.settings.interactivity).toEqual({ is_enabled: true, request_url: url });
    expect(http.settings.socket_mode_enabled).toBe(false);
  });

  it('writes a usage hint for a command from its options', () => {
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
    expect(usageHint(quote)).toBe('query [author:…] [count:n] [lang:en|zh]');
    const hidden: Command = { ...quote, name: 'context', hidden: true };
    expect(
      subcommandsHint(
        new Map([
          ['quote', quote],
          ['context', hidden],
        ]),
      ),
    ).toBe('quote');
  });
});
