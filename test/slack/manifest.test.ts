import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registry } from '../../commands/index.js';
import { DEFAULT_SLACK_COMMAND, PROJECT_ROOT, parseConfig } from '../../src/config.js';
import type { Command } from '../../src/core/dispatch/command.js';
import { GENERIC_COMMAND_WORDS, SLACK_BUILT_IN_COMMANDS } from '../../src/slack/built-in.js';
import {
  ADD_TO_LIBRARY_CALLBACK_ID,
  buildManifest,
  FIND_SOURCE_CALLBACK_ID,
  formatManifest,
  manifestFiles,
  SLACK_REDIRECT_PATH,
  subcommandsHint,
  usageHint,
} from '../../src/slack/manifest.js';
import { fixtureWords } from '../support/words.js';

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
    // The team's library is the adapter's own subcommand, not the registry's.
    expect(subcommandsHint(registry)).toMatch(/ \| library$/u);
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

  it('asks for the scopes it uses, app_mention and the two uninstall events, in Socket Mode with interactivity and the shortcut', () => {
    expect(socket.oauth_config.scopes.bot).toEqual(['app_mentions:read', 'chat:write', 'commands', 'files:read', 'users:read']);
    expect(socket.settings).toEqual({
      event_subscriptions: { bot_events: ['app_mention', 'app_uninstalled', 'tokens_revoked'] },
      interactivity: { is_enabled: true },
      org_deploy_enabled: false,
      socket_mode_enabled: true,
      token_rotation_enabled: false,
    });
    expect(socket.features.shortcuts).toEqual([
      { name: 'Find source', type: 'message', callback_id: FIND_SOURCE_CALLBACK_ID, description: 'Find where the words of this message stand in the essays' },
      {
        name: 'Add to library',
        type: 'message',
        callback_id: ADD_TO_LIBRARY_CALLBACK_ID,
        description: 'Add the PDF or text file of this message to the team’s library',
      },
    ]);
  });

  it('with PUBLIC_URL, the HTTP manifest: every request URL at /slack/events, Socket Mode off', () => {
    const http = buildManifest(registry, { command: '/yz', publicUrl: 'https://bot.example.org/' });
    const url = 'https://bot.example.org/slack/events';
    expect(http.features.slash_commands.map((c) => [c.command, c.url])).toEqual([['/yz', url]]);
    expect(http.settings.event_subscriptions).toEqual({ bot_events: ['app_mention', 'app_uninstalled', 'tokens_revoked'], request_url: url });
    expect(http.settings.interactivity).toEqual({ is_enabled: true, request_url: url });
    expect(http.settings.socket_mode_enabled).toBe(false);
    // One workspace: no OAuth, so no redirect URL to keep.
    expect(http.oauth_config).toEqual({ scopes: { bot: ['app_mentions:read', 'chat:write', 'commands', 'files:read', 'users:read'] } });
  });

  it('with PUBLIC_URL and OAuth, the HTTP manifest carries the redirect URL /slack/install sends Slack back to', () => {
    const http = buildManifest(registry, { command: '/yinzheng', publicUrl: 'https://bot.example.org/', oauth: true });
    expect(http.oauth_config).toEqual({
      redirect_urls: ['https://bot.example.org/slack/oauth_redirect'],
      scopes: { bot: ['app_mentions:read', 'chat:write', 'commands', 'files:read', 'users:read'] },
    });
    expect(http.oauth_config.redirect_urls?.[0]).toBe(`https://bot.example.org${SLACK_REDIRECT_PATH}`);
    // Socket Mode has no redirect (OAuth installs are HTTP only).
    expect(buildManifest(registry, { command: '/yinzheng', oauth: true }).oauth_config.redirect_urls).toBeUndefined();
  });

  it('npm run manifest:slack writes manifest.http.json with the redirect URL when OAuth is configured, and none without it', () => {
    const http = { PUBLIC_URL: 'https://bot.example.org', SLACK_SIGNING_SECRET: 's', SLACK_BOT_TOKEN: 'xoxb-1' };
    const oauth = {
      SLACK_CLIENT_ID: '1.2',
      SLACK_CLIENT_SECRET: 'c',
      SLACK_STATE_SECRET: 'a-state-secret-of-16+',
      PUBLIC_URL: 'https://bot.example.org',
      SLACK_SIGNING_SECRET: 's',
    };
    const files = (env: Record<string, string>) => manifestFiles(registry, parseConfig(env));
    expect(files({}).map((f) => f.name)).toEqual(['manifest.json']);
    const single = files(http);
    expect(single.map((f) => f.name)).toEqual(['manifest.json', 'manifest.http.json']);
    expect(single[1]?.manifest.oauth_config.redirect_urls).toBeUndefined();
    const several = files(oauth);
    expect(several[1]?.manifest.oauth_config.redirect_urls).toEqual(['https://bot.example.org/slack/oauth_redirect']);
    expect(several[0]?.manifest.oauth_config.redirect_urls).toBeUndefined();
  });

  it('writes a usage hint for a command from its options', () => {
    const quote: Command = {
      name: 'quote',
      words: fixtureWords({
        description: 'Quote a passage word for word',
        options: Object.fromEntries(['query', 'author', 'count', 'lang'].map((name) => [name, { name, description: name }])),
      }),
      result: z.unknown(),
      positional: 'query',
      options: z.object({
        query: z.string(),
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
    ).toBe('quote | library');
  });
});
