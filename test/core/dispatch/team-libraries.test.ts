import { beforeAll, describe, expect, test } from 'vitest';
import { registry } from '../../../commands/index.js';
import { loadCorpus } from '../../../src/core/corpus/load.js';
import { createBot, type Library } from '../../../src/core/dispatch/bot.js';
import { libraryOver, quietLogger, requester } from '../../support/bot.js';

/*
 * The seam where each team's library is served: dispatch asks `libraries.for(team)` for the
 * library a requester sees, and passes a change on; without it every team sees the one library.
 */

let operator: Library;
let team: Library;

beforeAll(async () => {
  operator = libraryOver(await loadCorpus('test/fixtures/corpus'));
  team = libraryOver(await loadCorpus('test/fixtures/search'));
});

describe('each team’s library', () => {
  test('without the seam, every requester sees the one library, whatever its team', () => {
    const bot = createBot({ commands: registry, library: operator, logger: quietLogger });
    const who = { ...requester('en', 'discord', '42'), team: 'discord-guild-200000000000000001' };
    expect(bot.run('essays', {}, who).corpusVersion).toBe(operator.corpus.version);
    expect(bot.libraryFor('discord-guild-200000000000000001')).toBe(operator);
    expect(() => bot.libraryChanged('discord-guild-200000000000000001')).not.toThrow();
  });

  test('with it, dispatch answers from the library of the requester’s team, and passes changes on', () => {
    const asked: Array<string | null> = [];
    const changed: string[] = [];
    const bot = createBot({
      commands: registry,
      library: operator,
      logger: quietLogger,
      libraries: {
        for(key) {
          asked.push(key);
          return key === 'slack-team-T0FAKE' ? team : operator;
        },
        changed: (key) => changed.push(key),
      },
    });
    expect(operator.corpus.version).not.toBe(team.corpus.version);
    expect(bot.run('essays', {}, { ...requester('en', 'slack', 'U0A'), team: 'slack-team-T0FAKE' }).corpusVersion).toBe(team.corpus.version);
    expect(bot.runLine('/essays', requester('en', 'cli')).corpusVersion).toBe(operator.corpus.version);
    expect(asked).toEqual(['slack-team-T0FAKE', null]);
    bot.libraryChanged('slack-team-T0FAKE');
    expect(changed).toEqual(['slack-team-T0FAKE']);
  });
});
