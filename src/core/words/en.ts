import type { CitationField } from '../reply/citation.js';

/**
 * The bot's own words in English: the source of the catalogue's keys. Every other language
 * is typed `satisfies Words`, so a key missing there fails the typecheck. Values a word
 * interpolates (a command's name, a count) are parameters, never concatenated by callers,
 * so each language can put them where its grammar wants them.
 */
/** The author and essay filters of the passage commands (/quote, /sources). */
const filterOptions = {
  author: { name: 'author', description: 'Only passages by this author: Chinese, Traditional or pinyin' },
  essay: { name: 'essay', description: 'Only passages of this essay: its ID or part of its title' },
};

export const en = {
  /** What the renderers add themselves: button labels, the reader link, notes' remarks, pages. */
  labels: {
    actions: { more: 'More', context: 'Context', sources: 'Sources', share: 'Share in channel' },
    openInReader: 'Open in reader',
    citedBy: 'Cited in',
    coversPassage: '(note covers the passage)',
    resolvedAs: '→',
    citedAt: (locator: string) => ` (cited at ${locator})`,
    empty: 'Nothing to show.',
    page: (page: number) => `p. ${page}`,
    pages: (first: number, last: number) => `pp. ${first}–${last}`,
    editors: 'the editors',
    /** Above an answer posted for the channel from a private one; `name` is who shared it. */
    sharedBy: (name: string) => `Shared by ${name}`,
    /** Where a platform's limits on one answer cut it short. */
    cutNotice: (platform: string) => `The rest of this answer did not fit in ${platform}. Narrow the query to see it.`,
  },
  /** The Discord adapter's own notices. */
  discord: {
    expired: 'This button has expired. Run the command again for fresh results.',
    /** The button's state is kept in a database that cannot be reached just now. */
    unreachable: 'This button cannot be answered just now. Try it again in a minute, or run the command again.',
    notYours: (command: string) => `Only the person who ran /${command} can page its results. Run /${command} yourself to search.`,
    noText: 'That message has no text to look up.',
    privateHere: 'Only you can see this: the bot may not post in this channel.',
    cannotShare: 'The bot may not post in this channel, so the answer cannot be shared here.',
    answeredPrivately: 'Answered privately.',
  },
  slack: {
    unknownSubcommand: (slashCommand: string) => `That is not a subcommand. ${slashCommand} takes these:`,
  },
  /** The web reader's chrome (it speaks English or Simplified Chinese, by Accept-Language). */
  reader: {
    contents: 'Contents',
    search: 'Search',
    searchLabel: 'Words from the essays',
    noHits: 'Nothing in the essays matches that.',
    notes: 'Notes',
    cite: 'Cite this essay',
    citePassage: 'Cite this passage',
    keywords: 'Keywords',
    passage: 'Passage',
    back: 'back to the text',
    forbidden: 'This page opens only from a link the bot gave you. Ask the bot again (for example /quote) for a fresh link.',
    expired: 'This link has expired. Ask the bot again (for example /quote) for a fresh link.',
    notFound: 'There is no such essay or passage in the corpus (it may have changed since the link was made).',
    editors: 'the editors',
  },
  /**
   * The commands' own words. Each command's `description` and its options' `name` and
   * `description` are what /help, Discord's command menu and Slack's usage hints show; an
   * option's English `name` is the option's own (`query`), its Chinese one an alias Discord
   * shows and the command line accepts (`查询:智能鸿沟`).
   */
  commands: {
    sources: {
      description: 'List the sources the essays cite: full citations, URLs and the sentences citing them',
      options: {
        query: { name: 'query', description: 'Words from the passages or from the notes; leave empty for every source' },
        ...filterOptions,
      },
      title: 'Sources',
      citeNothing: 'These essays cite no sources.',
      uncited: (ids: string[]) => `The passages that match cite no sources: ${ids.join(', ')}. Try /quote to read them.`,
      count: (n: number, urls: number) => `Sources (${n}; ${urls} distinct URLs)`,
      citedByMax: (max: number) => `Each source lists its first ${max} citing places.`,
    },
    who: {
      description: 'Who wrote it: the author, affiliation, essay and section of a heading or phrase',
      options: { text: { name: 'text', description: 'A section heading (roughly) or a phrase from the essays' } },
      title: 'Who wrote it',
      nothing: 'No heading or passage matches that. Try a shorter part of the heading, or words from the sentence.',
      closest: 'No heading or passage has these exact words; this is the closest passage.',
      many: (n: number) => `${n} places match; all are listed.`,
    },
    verify: {
      description: 'Check a sentence attributed to the essays: verbatim source, or closest passage and diff',
      options: { sentence: { name: 'sentence', description: 'A sentence attributed to the essays, to check word for word' } },
      title: 'Verify a quotation',
      notFoundTitle: 'Not found in the essays',
      notFound: 'Nothing in the essays is close to this sentence. It may come from elsewhere, or be a paraphrase: try /quote with a few of its words.',
      closestTitle: 'Not verbatim: closest passage',
      closest: (percent: number) =>
        `Not verbatim. The closest passage matches ${percent}% of its words; the diff shows struck text that is not in the essay and added text that the essay has.`,
      verbatim: 'Verbatim',
      equivalent: 'Same words, other punctuation',
      equivalentNote: 'The essay has these words, with other punctuation, spacing or characters; quote it as shown.',
    },
    quote: {
      description: 'Quote passages from the essays verbatim, with author, section and footnotes',
      options: {
        query: { name: 'query', description: 'Words or a phrase from the essays, in Simplified or Traditional Chinese or English' },
        ...filterOptions,
        count: { name: 'count', description: 'How many passages to show, 1 to 5' },
        page: { name: 'page', description: 'Which page of results to show (for More)' },
      },
      title: 'Quotes',
      pastEnd: (n: number) => `There are only ${n} passages; this page is past the end.`,
      range: (first: number, last: number) => `Quotes ${first}–${last}`,
      closest: 'No passage has these exact words; these are the closest.',
    },
    find: {
      description: 'Find where each sentence of a message stands in the essays',
      options: { text: { name: 'text', description: 'The message to look up, sentence by sentence' } },
      notFound: 'not in the essays',
      verbatim: 'verbatim',
      equivalent: 'same words, other punctuation',
      near: (percent: number) => `near-verbatim (${percent}%)`,
      title: 'Find source',
      noSentence: 'This message has no sentence long enough to look up.',
      found: (found: number, checked: number) => `Find source: ${found} of ${checked} sentences found`,
      unchecked: (checked: number, rest: number) => `The first ${checked} sentences are checked; ${rest} more are not. Look one up with verify.`,
    },
    context: {
      description: 'Show the whole paragraph of a passage, with all its footnotes',
      options: { id: { name: 'id', description: 'A passage ID, as shown under a quote' } },
      title: 'Context',
      gone: 'That passage is not in the corpus (it may have changed since the button was made). Search again with /quote.',
    },
    author: {
      description: 'An author: affiliation, essays, outline, length, notes and sources, thesis and terms',
      options: { name: { name: 'name', description: 'Author name in Chinese, pinyin (either order) or Traditional characters' } },
      title: (name: string) => `Author: ${name}`,
      unknownTitle: 'Authors',
      unknown: (names: string[]) =>
        `No author in the corpus has that name (Chinese, pinyin or Traditional characters all work). The authors: ${names.join(', ')}.`,
      many: (n: number, shown: number) => `${n} authors match; the first ${shown} are shown. Give the full name to see one.`,
      affiliation: 'Affiliation',
      essay: 'Essay',
      sections: 'Sections',
      length: 'Length',
      characters: (n: number) => `${n} characters`,
      footnotes: 'Footnotes',
      sources: 'Sources (distinct URLs)',
      thesis: 'Thesis, in the essay’s own words',
      abstract: 'Abstract, as the journal prints it',
      keywords: 'Keywords',
      terms: 'Distinctive terms',
      none: '—',
    },
    cite: {
      description: 'A reference to an essay or passage in GB/T 7714-2015 and BibTeX',
      options: { target: { name: 'target', description: 'An essay ID, title (or part of one) or passage ID such as essay-id.4' } },
      title: (what: string) => `Cite: ${what}`,
      notFound: 'No essay or passage has that ID or title. Try /essays for the titles and passage IDs.',
      many: (n: number, shown: number) => `${n} essays match; the first ${shown} are cited. Give an essay ID to cite one.`,
      missing: (fields: string[], meta: string) =>
        `The corpus does not state the ${fields.join(', ')}, so they are left out. Add them in ${meta} beside the essay file.`,
      passage: 'Passage',
      fields: { journal: 'journal', year: 'year', volume: 'volume', issue: 'issue', pages: 'pages' } satisfies Record<CitationField, string>,
    },
    essays: {
      description: 'The table of contents, or the essays whose title, authors, keywords or abstract fit your words',
      options: {
        words: { name: 'words', description: 'Words of a title, author, keyword or abstract: the essays they fit, best first' },
        page: { name: 'page', description: 'Which page of the table of contents or of the essays found to show (for More)' },
      },
      range: (first: number, last: number, total: number) => ` (essays ${first}–${last} of ${total})`,
      listPastEnd: (pages: number) => `The list has ${pages} pages; this page is past the end.`,
      contentsPastEnd: (pages: number) => `The table of contents has ${pages} pages; this page is past the end.`,
      title: 'Table of contents',
      empty: 'The corpus has no essays yet. Put the essays as .txt files in the corpus folder (CORPUS_DIR or --corpus).',
      editors: 'the editors',
      editorsNote: 'Editor’s note',
      essay: 'Essay',
      author: 'Author',
      affiliation: 'Affiliation',
      sections: 'Sections',
      footnotes: 'Footnotes',
      passages: 'Passage IDs',
      pages: 'Pages',
      library: 'Library',
      addedByTeam: 'added by this team',
      none: '—',
      found: (words: string) => `Essays on “${words}”`,
      nothing:
        'No essay’s title, authors, keywords, abstract or headings match that. Try fewer or other words, English, pinyin or a Simplified form, or /essays without words for the table of contents.',
    },
    help: {
      description: 'The commands, or one command’s usage and options',
      options: { command: { name: 'command', description: 'A command to explain, e.g. quote' } },
      title: 'Commands',
      more: (help: string) => `Type ${help} followed by a command name for its options, e.g. ${help} quote. Options are given as name:value.`,
      unknown: (names: string) => `There is no such command. The commands are: ${names}.`,
      usage: 'Usage',
      required: 'required',
      range: (min: number | undefined, max: number | undefined) => `${min ?? ''}–${max ?? ''}`,
      upTo: (n: number) => `up to ${n} characters`,
      oneOf: (c: string[]) => `one of ${c.join(', ')}`,
      none: 'This command has no options.',
      /** An option in a command's help: its name, and in Chinese its Chinese name beside it. */
      option: (name: string, _localName: string) => `${name}`,
      /** What an option's help adds after its description: required, its range or length. */
      notes: (notes: string[]) => ` (${notes.join(', ')})`,
    },
  },
  /** What the platforms show of the app itself: Discord's command menu, Slack's manifest. */
  platform: {
    findSource: 'Find source',
    findSourceDescription: 'Find where the words of this message stand in the essays',
    slashDescription: 'Quote, attribute and cite the essays word for word (help lists the subcommands)',
    appDescription: '引证 — quotes, attributes and cites scholarly essays, word for word.',
    privateOption: { name: 'private', description: 'Only you see the answer' },
    addToLibrary: 'Add to library',
    addToLibraryDescription: 'Add the PDF or text file of this message to the team’s library',
    /** Discord's `/library` and its subcommands (descriptions at most 100 characters). */
    libraryCommand: {
      description: 'The team’s own essays: add, list, remove or check the files',
      add: { description: 'Add a PDF or UTF-8 text file of essays to the team’s library' },
      list: { description: 'List the team’s files, who added each and when' },
      remove: { description: 'Remove a file from the team’s library' },
      check: { description: 'Say what corpus:check finds in each of the team’s files' },
      file: { name: 'file', add: 'The journal’s PDF, or the essays as UTF-8 text (.txt)', remove: 'The file to remove, as list names it' },
    },
  },
  /**
   * What an operator reads at the terminal: the CLI's and `npm start`'s usage and errors, the
   * console's greeting, the configuration's and the corpus folder's problems. Each is
   * actionable and prefixed with where it comes from (`config:`, `corpus:`). Log lines
   * (pino's `msg`) stay English and are not here.
   */
  operator: {
    cli: {
      usage: (
        locales: string,
        commands: string,
      ) => `usage: npm run --silent cli -- <command> [text] [--OPTION VALUE …] [--limit N] [--corpus DIR] [--locale ${locales}] [--json]

Runs one bot command and prints its answer. Commands: ${commands}.
Options of a command are given as --name value (see: cli -- help <command>); --limit sets
how many results. With --json, stdout is one JSON object.`,
      unknownCommand: (name: string) => `There is no command named ${name}. Run with --help for the list.`,
      missingValue: 'An option is missing its value: write --name value.',
      unreadable: 'The command line could not be read. Run with --help for the usage.',
      locale: (locales: string) => `--locale must be one of: ${locales}.`,
      noText: (command: string) => `${command} takes no text, only options. Try: help ${command}.`,
      noLimit: (command: string) => `${command} has no count option, so --limit does not apply to it.`,
      failed: 'The command failed unexpectedly; the details are on stderr.',
    },
    start: {
      usage: `usage: npm start [-- --corpus DIR]

With DISCORD_TOKEN and DISCORD_APPLICATION_ID, or SLACK_BOT_TOKEN with SLACK_APP_TOKEN or
SLACK_SIGNING_SECRET, in .env or the environment, the bot goes live on those platforms.
With none, it opens a local console on the corpus (also fed by a pipe).`,
      slowStop: (seconds: number) => `stopping took over ${seconds} s; exiting anyway.`,
    },
    console: {
      welcome: 'yinzheng — type /help for the commands, exit to leave.',
    },
    /** The body of a 404 from the health and reader servers. */
    notFound: 'not found',
    corpus: {
      missingFolder: (dir: string) => `corpus: the folder ${dir} does not exist. Set CORPUS_DIR or --corpus to a folder of .txt or .pdf essays.`,
      unreadableFolder: (dir: string) => `corpus: the folder ${dir} cannot be read. Set CORPUS_DIR or --corpus to a folder of .txt or .pdf essays.`,
      noFiles: (dir: string) => `corpus: no .txt or .pdf files in ${dir}. Put essays there, or set CORPUS_DIR or --corpus.`,
      noEssays: (dir: string, reasons: string[]) => `corpus: no essay could be loaded from ${dir} (${reasons.join('; ')}).`,
    },
    /** The shared state on PostgreSQL (DATABASE_URL), for replicas. */
    database: {
      /** `npm run corpus:publish`, the operator's indexer for replicas. */
      publish: {
        usage: 'Usage: npm run corpus:publish [-- --corpus FOLDER | FOLDER] [--watch]',
        needsDatabase:
          'corpus:publish: DATABASE_URL is not set. It publishes a corpus folder to the database that replicas share; set DATABASE_URL in .env or the environment.',
        published: (added: number, replaced: number, removed: number) =>
          `corpus:publish: ${added} added, ${replaced} replaced, ${removed} removed; every replica serves the change within seconds.`,
        unchanged: 'corpus:publish: the database already holds these files; nothing changed.',
        watching: (dir: string) => `corpus:publish: watching ${dir}; each change is published. Stop with Ctrl+C.`,
      },
      unusable: (where: string, reason: string) =>
        `DATABASE_URL: the database at ${where} could not be used (${reason}). Check that PostgreSQL runs there and that the URL's user, password and database name are right.`,
    },
    config: {
      invalid: (problems: string[], file: string) => `config: ${problems.join('; ')}. Fix it in ${file} or the environment (see .env.example).`,
      needs: (what: string, names: string[], file: string) =>
        `config: ${what} needs ${names.join(' and ')}. Set ${names.length > 1 ? 'them' : 'it'} in ${file} (see .env.example).`,
      /** What `needs` says needs the variables. */
      what: {
        discord: 'Discord',
        slack: 'Slack',
        oauth: 'Installing to several workspaces (OAuth)',
        oauthHttp: 'Installing to several workspaces (OAuth, HTTP mode)',
        stateKey: 'Keeping Slack installations in PostgreSQL (DATABASE_URL with OAuth)',
      },
      oauthHttpOnly: (file: string) => `config: OAuth installs (SLACK_CLIENT_ID…) work in HTTP mode only. Remove SLACK_APP_TOKEN from ${file}.`,
      slackMode: (file: string) => `config: Slack needs SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP). Set one in ${file} (see .env.example).`,
      /**
       * What is wrong with a variable's value, after its name. The schema passes the English
       * text as zod's message; the configuration finds its key here and says it in the
       * operator's language.
       */
      details: {
        megabytes: 'must be a whole number of megabytes',
        cacheMin: 'must be at least 16 (MB)',
        applicationId: 'must be the numeric application ID (a snowflake)',
        guildId: 'must be a numeric server ID (a snowflake)',
        botToken: 'must start with xoxb-',
        appToken: 'must start with xapp-',
        slashCommand: 'must be a slash and up to 31 lowercase letters, digits, - or _ (e.g. /yinzheng)',
        builtIn: 'is one of Slack’s built-in commands, which Slack refuses in a manifest',
        generic: 'is a generic word another app may claim; choose a name of your own (e.g. /yz)',
        publicUrl: 'must be the https:// address Slack reaches the bot at',
        port: 'must be a port number',
        secret: 'must be at least 16 characters (any random string)',
        readerAccess: 'must be signed (the default) or public',
        libraryMin: 'must be at least 1 (MB)',
        libraryAdmins: 'must be Slack user IDs (U… or W…) separated by commas',
        databaseUrl: 'must be a postgres:// or postgresql:// URL',
        stateKey: 'must be 32 random bytes in base64 (make one with: openssl rand -base64 32)',
        shards: 'must be shard numbers separated by commas, such as 0,1',
        shardCount: 'must be the number of shards across all hosts, a whole number from 1',
        shardCountNeeded: 'must be set with DISCORD_SHARDS: the number of shards across all hosts',
        shardOutOfRange: 'must be below DISCORD_SHARD_COUNT (shards count from 0)',
      },
    },
    /** What corpus:check says a file yields: per file its counts, per essay the parts the parser recognised. */
    report: {
      counts: (c: { essays: number; authors: number; sections: number; paragraphs: number; footnotes: number; urls: number }) =>
        `${c.essays} essays, ${c.authors} authors, ${c.sections} sections, ${c.paragraphs} paragraphs, ${c.footnotes} footnotes, ${c.urls} URLs`,
      editorsNote: ", editor's note",
      pages: (first: number, last: number) => `, pages ${first}–${last}`,
      issue: (journal: string | null, year: number | string | null, issue: number | string | null, fromMeta: boolean) =>
        `issue: ${journal ?? 'journal not printed'}, ${year ?? 'year not printed'}, no. ${issue ?? '?'} (${fromMeta ? 'from the .meta.json' : 'as the pages print it'})`,
      essayPages: (first: number, last: number) => ` pp. ${first}–${last}`,
      editors: 'the editors',
      authors: (authors: string[]) => `authors: ${authors.length > 0 ? authors.join('; ') : 'none found'}`,
      noAffiliation: 'no affiliation found',
      abstract: (characters: number) => `abstract: ${characters} characters`,
      keywords: (keywords: string) => `keywords: ${keywords}`,
      funding: 'funding note',
      acknowledgements: 'acknowledgements',
      received: (date: string) => `received ${date}`,
      revised: (date: string) => `revised ${date}`,
      english: (parts: string[]) => `English block: ${parts.join(', ')}`,
      englishTitle: 'title',
      englishAuthors: (n: number) => `${n} authors`,
      englishAbstract: (characters: number) => `abstract (${characters} characters)`,
      englishKeywords: (n: number) => `${n} keywords`,
      usage: 'usage: npm run corpus:check [-- --corpus DIR | DIR]',
      oneFolder: 'corpus:check: one folder at most',
      folder: (dir: string, version: string) => `corpus: ${dir} (version ${version})`,
      total: (files: number, warnings: number) => `${files} files, ${warnings} warnings`,
    },
    /**
     * What the parser and the PDF reader say of a corpus file that looks wrong, after its
     * place (`corpus: FILE:LINE:` or `corpus: FILE, page N:`). corpus:check and a console
     * print them; a live bot logs them. They are made while parsing, in a worker and kept in
     * the parse cache, so they are said in English.
     */
    warnings: {
      authorLine: (names: string) =>
        `author line: cannot tell where the names in ${names} divide (no note names them): separate them with spaces or 、 in the text, or add an author note`,
      cutParagraph: 'paragraph ends mid-sentence: its continuation is not in the file',
      textBeforeEssay: 'text before any essay title and author line: kept as a document with no author',
      cutAtEnd: 'paragraph ends mid-sentence at the end of the file: its continuation is not in the file',
      ibidFirst: (mark: string, text: string) => `footnote ${mark} (${text}) is 同上 but no note comes before it`,
      shortForm: (mark: string, text: string) => `footnote ${mark} is a short form (${text}) with no full citation in the essay`,
      printedTwice: (mark: string) => `footnote ${mark} is printed twice in one block of notes`,
      markerWithoutNote: (mark: string) => `marker ${mark} has no note: no ${mark} in the notes printed after it`,
      noteTaken: (mark: string, line: number) => `marker ${mark} points at a note another marker already took (line ${line})`,
      noteWithoutMarker: (mark: string) => `footnote ${mark} has no marker in the text before it`,
      strangerAffiliation: (name: string) => `affiliation note names ${name}, who is not the author of any essay in the file`,
      brokenUrl: (mark: string, text: string) => `footnote ${mark} has a URL broken by spaces that could not be rejoined: check it (${text})`,
      afterEnglish: 'text after the English block (Abstract, Key Words, About the Authors) is read as the essay’s body: check it',
      englishWithoutAbstract: 'English block without an Abstract: only its title and keywords are kept',
      emptyFile: 'file is empty',
      noEssay: 'no essay found (a title followed by an author line)',
      noAffiliation: (name: string) => `no affiliation note (*, 【作者简介】 or About the Authors) for ${name}`,
      idTaken: (id: string, file: string, newId: string) => `essay ID ${id} is taken by ${file}: this essay's ID is ${newId}`,
      binary: 'binary file (it has NUL bytes), not text: skipped',
      notUtf8: 'not UTF-8 text: skipped (save it as UTF-8)',
      unreadable: (why: string) => `cannot be read (${why}): skipped`,
      skipped: (why: string) => `${why}: skipped`,
      metadataNotJson: (file: string, why: string) => `corpus: ${file}: is not valid JSON (${why}).`,
      metadataInvalid: (file: string, problems: string[]) => `corpus: ${file}: ${problems.join('; ')}.`,
      metadataUnreadable: (why: string) => `cannot be read (${why})`,
      metadataUnused: (why: string) => `${why} Its facts are not used.`,
      pdfTooLarge: (mb: string, max: number) => `is ${mb} MB, over the ${max} MB a PDF may have: split it into issues or essays`,
      pdfEncrypted: 'is encrypted (it asks for a password): save a copy without a password and put that in the folder',
      pdfDamaged: (why: string) => `is not a readable PDF (${why}): the file may be damaged or cut short; download it again`,
      pdfTooManyPages: (pages: number, max: number) => `has ${pages} pages, over the ${max} a PDF may have: split it into issues or essays`,
      pdfNoText: 'has no text layer (a scan?): the bot reads only PDFs with text; run OCR on it or use the publisher’s PDF',
      pdfUnmapped: (unreadable: number, characters: number) =>
        `has text the bot cannot read as characters (its fonts map glyphs to no Unicode text, a missing or broken ToUnicode map; ${unreadable} of ${characters} characters are unreadable): export it again with fonts embedded as Unicode, or use the text`,
      pdfUnknownLabel: (label: string) =>
        `has lines at the foot of the page labelled ${label}, which is no note alphabet the bot knows (① ➀ ❶ ⑴ ¹ [1] 1) *): they are read as text, not notes`,
      pdfTwoColumns: 'looks like two columns, which the bot cannot put in reading order: check its paragraphs, or use a one-column PDF',
      pdfSlow: (seconds: number) => `took over ${seconds} s to read: split it into smaller PDFs`,
      pdfMemory: (mb: number) => `needs more than ${mb} MB to read: split it into smaller PDFs`,
      pdfFailed: (why: string) => `could not be read (${why}): download it again, or report it`,
      pdfReaderStopped: (code: number) => `could not be read (the reader stopped with code ${code}): download it again, or report it`,
    },
    /** What deploy:discord and manifest:slack print. */
    deploy: {
      needsDiscord: 'deploy:discord needs DISCORD_TOKEN and DISCORD_APPLICATION_ID. Set them in .env (see .env.example).',
      server: (id: string) => `server ${id}`,
      everywhere: 'everywhere (global; Discord may take a while to show them)',
      globalCommands: 'the global commands',
      registered: (n: number, where: string, names: string[]) => `deploy:discord: registered ${n} commands for ${where}: ${names.join(', ')}`,
      removed: (n: number, from: string, names: string[]) => `deploy:discord: removed ${n} commands from ${from}, so none shows twice: ${names.join(', ')}`,
      nothingRemoved: 'deploy:discord: no commands in the other scope to remove',
      serverLink: (url: string) => `deploy:discord: add to a server: ${url}`,
      userLink: (url: string) => `deploy:discord: add to your own account (use it anywhere): ${url}`,
      refused: (status: number, why: string, hint: string) => `deploy:discord: Discord refused the registration (HTTP ${status}): ${why}.${hint}`,
      checkToken: ' Check DISCORD_TOKEN.',
      checkIds: ' Check DISCORD_APPLICATION_ID and DISCORD_GUILD_ID.',
      wroteManifest: (path: string, command: string, mode: string) => `wrote ${path} (${command}, ${mode})`,
      http: (url: string, redirect: string | undefined) => `HTTP at ${url}${redirect ? `, OAuth redirect ${redirect}` : ''}`,
      socketMode: 'Socket Mode',
    },
    discord: {
      tokenRefused:
        'discord: Discord refused DISCORD_TOKEN (401 Unauthorized). Reset the token on the Developer Portal (Bot → Reset Token) and put it in .env.',
      /** Gateway closes Discord does not let a client recover from (its gateway close event codes), each as what to fix. */
      closes: {
        4004: 'Discord refused DISCORD_TOKEN (gateway close 4004, authentication failed). Reset the token on the Developer Portal (Bot → Reset Token) and put it in .env.',
        4010: 'Discord refused the shard the bot asked for (gateway close 4010). Check the sharding settings.',
        4011: 'Discord requires sharding for this many servers (gateway close 4011). Start the bot through the ShardingManager (README: "Large deployments: sharding").',
        4012: 'Discord refused the gateway version (gateway close 4012). Update discord.js.',
        4013: 'Discord refused the intents the bot asked for (gateway close 4013, invalid intents).',
        4014: 'Discord refused an intent this application may not use (gateway close 4014, disallowed intents). Check Privileged Gateway Intents on the Developer Portal (Bot).',
      },
      closedForGood: (code: number) => `the gateway closed for good (code ${code}); restart the bot.`,
      userInstall:
        "Discord refused the commands' integration types: the app is not installable to users. On the Developer Portal, open the app, then Installation → Installation Contexts, tick User Install, save, and deploy again (or set DISCORD_GUILD_ID to register to one server only).",
    },
    slack: {
      tokenRefused: (why: string) => `slack: Slack refused SLACK_BOT_TOKEN (${why}). Check the bot token in .env (see .env.example).`,
      socketFailed: (why: string) =>
        `slack: could not open a Socket Mode connection (${why}). Check SLACK_APP_TOKEN in .env: an app-level token (xapp-) with the connections:write scope.`,
      portBusy: (port: number, why: string) => `slack: could not listen for HTTP on PORT ${port} (${why}). Set another PORT in .env.`,
    },
  },
  /**
   * A team's own library (issue 25): what an add, a list or a remove answers, and why a file
   * was refused. Each refusal says what to do instead; sizes are in MB with one decimal.
   */
  library: {
    refusals: {
      tooLarge: (max: string, kind: string) => `This file is over the ${max} MB ${kind} may have. Split it into issues or essays and add each.`,
      /** What `tooLarge` says the limit is for. */
      kinds: { pdf: 'a PDF', txt: 'a text file', any: 'a file' },
      notEssay:
        'This file is neither a PDF nor UTF-8 text (its bytes say so, whatever its name says). Add the journal’s PDF, or the text saved as UTF-8 (.txt).',
      webPage:
        'The platform sent a web page (a sign-in page?) instead of the file. Try again; if it keeps happening, the bot’s operator should check that the bot may read files (on Slack, the files:read scope).',
      empty: 'This file is empty. Add the journal’s PDF, or the text saved as UTF-8 (.txt).',
      timeout: (seconds: number) => `The file did not finish downloading within ${seconds} s. Try again, or add a smaller file.`,
      forbidden: (status: number) =>
        `The platform would not let the bot fetch this file (HTTP ${status}). Try again; if it keeps happening, the bot’s operator should check that the bot may read files (on Slack, the files:read scope).`,
      http: (status: number) => `The file could not be fetched (HTTP ${status}). Upload it again and retry.`,
      unreachable: 'The file could not be fetched (the connection failed). Try again in a moment.',
      duplicate: (file: string) => `This file is already in the library, as ${file}. Nothing was added.`,
      nameTaken: (file: string) => `The library already has another file named ${file}. Rename yours, or remove that one first to replace it.`,
      quota: (used: string, size: string, max: string) =>
        `The library holds ${used} MB of its ${max} MB, and this file is ${size} MB. Remove files the team no longer needs (list shows them), or ask the bot’s operator to raise LIBRARY_MAX_MB.`,
      notFound: (file: string, files: string[]) =>
        files.length > 0 ? `The library has no file named ${file}. Its files: ${files.join(', ')}.` : `The library has no file named ${file}: it is empty.`,
      unsaved: 'The library could not be saved, so nothing was changed. Try again later; the bot’s operator has the details in the log.',
      /** A file the parser yields no essay from: corpus:check's lines follow. */
      unreadable: (lines: string[]) => `Not added: the bot cannot quote anything in this file.\n${lines.join('\n')}`,
    },
    /** What the chat commands on a team's library answer. */
    chat: {
      title: 'The team’s library',
      added: (file: string) => `Added ${file} to the team’s library. What corpus:check finds in it:`,
      passages: (ids: string) => `Served to this team now: passages ${ids}.`,
      removed: (file: string) => `Removed ${file} from the team’s library.`,
      empty: 'The team’s library has no files yet.',
      entry: (file: string, megabytes: string, by: string, at: string) => `${file} (${megabytes} MB), added by ${by} on ${at}`,
      total: (files: number, used: string, max: string) => `${files} ${files === 1 ? 'file' : 'files'}, ${used} MB of ${max} MB`,
      /** A UTC time as list shows it. */
      at: (date: string, time: string) => `${date} ${time} UTC`,
      checked: (files: number) => `What corpus:check finds in the team’s ${files} ${files === 1 ? 'file' : 'files'}:`,
      missing: (file: string) => `${file}: the manifest names it, but its bytes cannot be read.`,
      noAttachment: 'That message has no .pdf or .txt file attached. Use Add to library on a message that carries the journal’s PDF or a UTF-8 text file.',
      whoMay: {
        discord: (role: string | undefined) =>
          `Only members with Manage Server${role ? ` or the ${role} role` : ''} may change this server’s library. Ask one of them to add the file.`,
        slack: (named: boolean) =>
          `Only this workspace’s admins and owners${named ? ', and the people the bot’s operator named,' : ''} may change its library. Ask one of them to add the file.`,
      },
      slackUsage: (command: string) =>
        `${command} library list | remove <file> | check. To add a file, use the Add to library shortcut on a message that carries it, or write @yinzheng add in the message you attach it to.`,
    },
  },
  errors: {
    unknownAuthorClosest: (closest: string) => `No author of the corpus has that name. Closest: ${closest}.`,
    unknownAuthor: (names: string) => `No author of the corpus has that name. Authors: ${names}.`,
    unknownEssayClosest: (closest: string, search: string) =>
      `No essay matches that ID or title. Closest: ${closest}. Give one of these IDs, or search with ${search} and words.`,
    unknownEssay: 'No essay matches that ID or title. Try /essays for the list.',
    noMatch: (filtered: boolean) =>
      `Nothing in the essays matches that.${filtered ? ' Try without the author or essay filter,' : ' Try'} fewer or other words, or a Simplified form.`,
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
    /**
     * What a schema's refine says is wrong with an option, after its name. Schemas pass the
     * English text as zod's message; describeIssue finds its key here and says it in the
     * requester's language.
     */
    details: {
      noWords: 'has no letters or digits: type words from the essays',
      noEssayWords: 'has no letters or digits: type words of a title, author, keyword or abstract',
    },
    oneOf: (option: string, choices: string) => `${option} must be one of: ${choices}.`,
    staleButton: 'This button no longer works. Run the command again.',
    noText: 'This message has no text to look up.',
  },
};

/** The shape of every language's catalogue. */
export type Words = typeof en;
