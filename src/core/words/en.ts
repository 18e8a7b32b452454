/**
 * The bot's own words in English: the source of the catalogue's keys. Every other language
 * is typed `satisfies Words`, so a key missing there fails the typecheck. Values a word
 * interpolates (a command's name, a count) are parameters, never concatenated by callers,
 * so each language can put them where its grammar wants them.
 */
export const en = {
  errors: {
    title: 'Error',
    genericFailure: 'Something went wrong while answering. It has been logged; please try again.',
    rateLimited: (seconds: number) => `You are asking faster than the bot answers everyone fairly. Please try again in ${seconds} s.`,
    unknownCommand: 'There is no such command. Try /help for the list.',
    unknownOption: (command: string, allowed: string) => `/${command} has no option named that. Its options: ${allowed}.`,
    noOptions: 'none',
    unexpectedText: (command: string) => `/${command} takes no free text. Try /help ${command}.`,
    invalidInput: (command: string) => `/${command}: the input is not valid. Try /help ${command}.`,
    required: (option: string, description: string) => `${option} is required: ${description}`,
    tooLong: (option: string, max: number) => `${option} is longer than ${max} characters. Shorten it.`,
    wholeNumber: (option: string, min: number, max: number) => `${option} must be a whole number from ${min} to ${max}.`,
    number: (option: string, min: number, max: number) => `${option} must be a number from ${min} to ${max}.`,
    boolean: (option: string) => `${option} must be true or false.`,
    invalidValue: (option: string, detail: string) => `${option} ${detail}.`,
    oneOf: (option: string, choices: string) => `${option} must be one of: ${choices}.`,
    staleButton: 'This button no longer works. Run the command again.',
    noText: 'This message has no text to look up.',
  },
};

/** The shape of every language's catalogue. */
export type Words = typeof en;
