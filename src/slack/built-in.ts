/**
 * Slack's own slash commands. An app manifest that declares one is refused whole, and Slack
 * answers these itself before any app sees them. Slack's developer docs name the set without
 * listing it ("There is a set of built-in slash commands … such as /topic and /remind",
 * docs.slack.dev, Implementing slash commands); this list is the help centre's article "Use
 * built-in slash commands" together with their aliases, and errs on the long side.
 */
export const SLACK_BUILT_IN_COMMANDS: ReadonlySet<string> = new Set([
  '/active',
  '/apps',
  '/archive',
  '/away',
  '/call',
  '/clear',
  '/close',
  '/collapse',
  '/dm',
  '/dnd',
  '/expand',
  '/feed',
  '/feedback',
  '/giphy',
  '/help',
  '/invite',
  '/join',
  '/kick',
  '/leave',
  '/me',
  '/msg',
  '/mute',
  '/open',
  '/part',
  '/prefs',
  '/remind',
  '/remove',
  '/rename',
  '/search',
  '/shortcuts',
  '/shrug',
  '/star',
  '/status',
  '/topic',
  '/unfurl',
  '/who',
  '/workflows',
]);

/**
 * Words too generic to claim as a whole command in a shared workspace: another app that
 * declares the same wins if installed later, and Enterprise Grid org-wide apps take them first.
 */
export const GENERIC_COMMAND_WORDS: ReadonlySet<string> = new Set([
  '/author',
  '/cite',
  '/context',
  '/essays',
  '/find',
  '/help',
  '/quote',
  '/search',
  '/source',
  '/sources',
  '/verify',
  '/who',
]);
