import type { IncomingMessage, ServerResponse } from 'node:http';
import { citationOf, type Essay, essaysOf, type Paragraph, type Section } from '../core/corpus/model.js';
import type { Bot } from '../core/dispatch/bot.js';
import { parseTeamKey } from '../core/library/team.js';
import { pageText } from '../core/reply/layout.js';
import type { Locale } from '../core/reply/model.js';
import { CiteResult, QuoteResult } from '../core/reply/results.js';
import { type Words, wordsFor } from '../core/words/index.js';
import { type Grant, sign, verify } from './sign.js';
import { READER_CSS } from './style.js';

/*
 * The passage reader: server-rendered pages that work without JavaScript, served by the bot
 * itself. Every quote in chat links to its words here, in the paragraph and essay around
 * them, with the notes behind the markers and the printed pages.
 *
 *   /               the table of contents      (public reader only)
 *   /search?q=      the search /quote does     (public reader only)
 *   /e/<essay-id>   an essay: headings, paragraphs with their IDs and pages, notes, citation
 *   /p/<passage-id> the essay at that passage, its quoted words highlighted (?s=&e=)
 *
 * By default a page opens only with a link the bot signed (see sign.ts): the essays are a
 * team's journal content, not a public website. READER_ACCESS=public opens everything.
 */

export interface ReaderOptions {
  /**
   * The bot whose corpus the pages show, asked for at each request: the bot links to the
   * reader too, so the reader is made first and handed to it as its links.
   */
  bot: () => Bot;
  /** Where readers reach the bot, e.g. https://bot.example.org (links are made against it). */
  publicUrl: string;
  access: 'signed' | 'public';
  /** READER_SECRET: the HMAC key of signed links. */
  secret: string | undefined;
  /** How long a signed link opens its page. */
  linkDays: number;
}

export interface Reader {
  /**
   * The link to a passage's words: [start, end) of its text, highlighted. `library` is the team
   * whose library holds it (null: the operator's); the link names it, signed, and opens only there.
   */
  passageUrl(passageId: string, span?: readonly [number, number], library?: string | null): string;
  /** The link to an essay, at one of its notes when `note` is given. */
  essayUrl(essayId: string, note?: number, library?: string | null): string;
  /** Answers a request if it is the reader's; false when the path is not. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** The paths the reader answers, for a router that needs them listed (Bolt's custom routes). */
  paths: string[];
}

const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

type Chrome = Words['reader'];

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** Bidirectional controls would reorder what follows them: they are shown, not obeyed. */
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** Text as HTML: escaped, and every bidi control shown as its code point. */
export function escapeHtml(text: string): string {
  return text
    .replace(/[&<>"']/gu, (c) => HTML_ESCAPES[c] as string)
    .replace(BIDI, (c) => `<span class="ctl">U+${(c.codePointAt(0) as number).toString(16).toUpperCase().padStart(4, '0')}</span>`);
}

/** Text with its URLs as links (escaped, never followed with a referrer). */
function linkify(text: string, urls: readonly string[]): string {
  let out = '';
  let rest = text;
  for (const url of urls) {
    const at = rest.indexOf(url);
    if (at === -1) continue;
    out += escapeHtml(rest.slice(0, at));
    out += urlLink(url);
    rest = rest.slice(at + url.length);
  }
  return out + escapeHtml(rest);
}

function urlLink(url: string): string {
  const safe = /^https?:\/\//iu.test(url) ? url : `https://${url}`;
  return `<a href="${escapeHtml(safe)}" rel="noopener noreferrer nofollow">${escapeHtml(url)}</a>`;
}

function chromeFor(req: IncomingMessage): { locale: Locale; t: Chrome } {
  const zh = /^\s*zh/iu.test(String(req.headers['accept-language'] ?? ''));
  const locale: Locale = zh ? 'zh-CN' : 'en';
  return { locale, t: wordsFor(locale).reader };
}

function page(locale: Locale, title: string, body: string): string {
  return `<!doctype html>
<html lang="${locale === 'en' ? 'en' : 'zh-CN'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/reader.css">
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

function send(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': CSP,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': 'private, no-store',
  });
  res.end(html);
}

/** A paragraph's text as HTML: its page breaks, note markers and the highlighted span in place. */
function paragraphHtml(p: Paragraph, highlight: [number, number] | null, locale: Locale): string {
  const events = new Map<number, string[]>();
  const at = (offset: number, html: string) => events.set(offset, [...(events.get(offset) ?? []), html]);
  for (const part of p.pages.slice(1)) at(part.start, `<span class="pb" title="${escapeHtml(pageText([part.page], locale) ?? '')}">${part.page}</span>`);
  for (const m of p.markers) {
    if (m.footnote === null) continue;
    at(m.offset, `<sup><a href="#note-${m.footnote}" id="ref-${escapeHtml(p.id)}-${m.footnote}">[${m.footnote}]</a></sup>`);
  }
  let html = '';
  const text = p.text;
  let open = false;
  const [hs, he] = highlight ?? [-1, -1];
  for (let i = 0; i <= text.length; i++) {
    if (open && i === he) {
      html += '</mark>';
      open = false;
    }
    for (const e of events.get(i) ?? []) html += open ? `</mark>${e}<mark>` : e;
    if (!open && i === hs && he > hs) {
      html += '<mark id="quoted">';
      open = true;
    }
    if (i < text.length) {
      const ch = text.codePointAt(i) as number;
      const s = String.fromCodePoint(ch);
      html += escapeHtml(s);
      if (s.length === 2) i++;
    }
  }
  if (open) html += '</mark>';
  const first = p.pages[0];
  const margin = first ? `<span class="page" title="${escapeHtml(pageText([first.page], locale) ?? '')}">${first.page}</span>` : '';
  return `<p class="para" id="${escapeHtml(p.id)}">${margin}${html}<a class="pid" href="#${escapeHtml(p.id)}">${escapeHtml(p.id)}</a></p>`;
}

function heading(s: Section): string {
  if (s.heading === null) return '';
  const level = Math.min(4, s.level + 1);
  return `<h${level}>${escapeHtml(s.heading)}</h${level}>`;
}

// Long on purpose: a factory whose length is its named helpers (signed, find, essayHtml,
// allowed, contents, search) and the Reader's handler, which share the base URL and secret.
export function createReader(options: ReaderOptions): Reader {
  const { bot, access } = options;
  const base = options.publicUrl.replace(/\/+$/u, '');
  if (access === 'signed' && !options.secret) throw new Error('reader: READER_SECRET is needed to sign links (or set READER_ACCESS=public)');
  const secret = options.secret ?? '';
  const requester = (locale: Locale, team: string | null = null) => ({ platform: 'web' as const, userId: 'reader', locale, team });
  /** What a link grants: a team's library is part of it, so a link of one team's opens nowhere else. */
  const target = (kind: 'p' | 'e', id: string, library: string | null) => `${library ? `${library}/` : ''}${kind}/${id}`;
  const libraryParam = (library: string | null | undefined): Record<string, string> => (library ? { lib: library } : {});

  function signed(path: string, grant: Grant, extra: Record<string, string> = {}): string {
    const query = new URLSearchParams(extra);
    if (access === 'signed') {
      query.set('exp', String(grant.expires));
      query.set('sig', sign(secret, grant));
    }
    const q = query.toString();
    return `${base}${path}${q ? `?${q}` : ''}`;
  }

  const expiry = () => Math.floor(Date.now() / 1000) + Math.round(options.linkDays * 86_400);

  function find(passageId: string, library: string | null): { essay: Essay; section: Section; paragraph: Paragraph } | null {
    for (const essay of essaysOf(bot().libraryFor(library).corpus)) {
      if (!passageId.startsWith(`${essay.id}.`)) continue;
      for (const section of essay.sections) {
        const paragraph = section.paragraphs.find((p) => p.id === passageId);
        if (paragraph) return { essay, section, paragraph };
      }
    }
    return null;
  }

  function essayHtml(essay: Essay, locale: Locale, t: Chrome, highlight: { id: string; span: [number, number] | null } | null, library: string | null): string {
    const authors = essay.authors.length
      ? essay.authors.map((a) => `<li>${escapeHtml(a.name)}${a.affiliation ? `（${escapeHtml(a.affiliation)}）` : ''}</li>`).join('')
      : `<li>${escapeHtml(t.editors)}</li>`;
    const sections = essay.sections
      .map((s) => heading(s) + s.paragraphs.map((p) => paragraphHtml(p, highlight?.id === p.id ? highlight.span : null, locale)).join('\n'))
      .join('\n');
    const notes = essay.footnotes
      .map((n) => {
        const full = citationOf(essay, n);
        const resolved = full !== n ? ` <span class="resolved">→ ${linkify(full.text, full.urls)}</span>` : '';
        const where = n.page !== null ? ` <span class="pb">${escapeHtml(pageText([n.page], locale) ?? '')}</span>` : '';
        const cited = essay.sections.flatMap((s) => s.paragraphs).find((p) => p.markers.some((m) => m.footnote === n.number));
        const back = cited ? ` <a href="#ref-${escapeHtml(cited.id)}-${n.number}" title="${escapeHtml(t.back)}">↩</a>` : '';
        return `<li id="note-${n.number}" value="${n.number}">${linkify(n.text, n.urls)}${resolved}${where}${back}</li>`;
      })
      .join('\n');
    // A passage's page cites that passage, at its own printed page; the essay's, the essay.
    const cited = highlight?.id ?? essay.id;
    const cite = CiteResult.array().safeParse(bot().run('cite', { target: cited }, requester(locale, library)).results).data?.[0];
    const pages = essay.pages ? ` · ${escapeHtml(pageText(essay.pages, locale) ?? '')}` : '';
    const keywords = essay.keywords.length > 0 ? `<div class="keywords">${escapeHtml(t.keywords)}：${escapeHtml(essay.keywords.join('；'))}</div>` : '';
    return page(
      locale,
      essay.title,
      `<article>
<h1>${escapeHtml(essay.title)}</h1>
<div class="meta"><ul class="authors">${authors}</ul>${essay.symposium ? escapeHtml(essay.symposium) : ''}${pages}</div>
${keywords}
${sections}
${notes ? `<section class="notes"><h2>${escapeHtml(t.notes)}</h2><ol>\n${notes}\n</ol></section>` : ''}
${cite ? `<section class="cite"><h2>${escapeHtml(highlight ? t.citePassage : t.cite)}</h2><h3>GB/T 7714-2015</h3><pre>${escapeHtml(cite.gbt7714)}</pre><h3>BibTeX</h3><pre>${escapeHtml(cite.bibtex)}</pre></section>` : ''}
</article>`,
    );
  }

  function refuse(res: ServerResponse, status: number, locale: Locale, message: string): void {
    send(res, status, page(locale, String(status), `<p>${escapeHtml(message)}</p>`));
  }

  /** Checks a signed request for `grant`; answers it with 403 and returns false when it may not open. */
  function allowed(url: URL, grant: Omit<Grant, 'expires'>, res: ServerResponse, locale: Locale, t: Chrome): boolean {
    if (access === 'public') return true;
    const verdict = verify(secret, { ...grant, expires: Number(url.searchParams.get('exp')) }, url.searchParams.get('sig'));
    if (verdict === 'ok') return true;
    refuse(res, 403, locale, verdict === 'expired' ? t.expired : t.forbidden);
    return false;
  }

  function contents(locale: Locale, t: Chrome): string {
    const items = essaysOf(bot().library().corpus)
      .map((e) => {
        const who = e.authors.map((a) => a.name).join('、') || t.editors;
        const pages = e.pages ? ` · ${escapeHtml(pageText(e.pages, locale) ?? '')}` : '';
        return `<li><a href="/e/${encodeURIComponent(e.id)}">${escapeHtml(e.title)}</a><br><span class="attr">${escapeHtml(who)}${pages}</span></li>`;
      })
      .join('\n');
    return page(locale, t.contents, `<h1>${escapeHtml(t.contents)}</h1>${searchForm(t, '')}<ol class="toc">\n${items}\n</ol>`);
  }

  function searchForm(t: Chrome, q: string): string {
    return `<form action="/search" method="get" role="search"><input type="search" name="q" value="${escapeHtml(q)}" aria-label="${escapeHtml(t.searchLabel)}" maxlength="200"><button type="submit">${escapeHtml(t.search)}</button></form>`;
  }

  function search(q: string, locale: Locale, t: Chrome): string {
    const reply = q.trim() === '' ? null : bot().run('quote', { query: q.slice(0, 200), count: 5 }, requester(locale));
    const hits = reply && !reply.error ? (QuoteResult.array().safeParse(reply.results).data ?? []) : [];
    const body = hits.length
      ? hits
          .map((h) => {
            const found = find(h.id, null);
            const start = found ? found.paragraph.text.indexOf(h.quote.replace(/^…|…$/gu, '')) : -1;
            const span: [number, number] | undefined = start >= 0 ? [start, start + h.quote.replace(/^…|…$/gu, '').length] : undefined;
            const pages = h.pages.length ? ` · ${escapeHtml(pageText(h.pages, locale) ?? '')}` : '';
            return `<div class="hit"><a href="${escapeHtml(reader.passageUrl(h.id, span).slice(base.length))}">${escapeHtml(h.quote)}</a><div class="attr">${escapeHtml(h.author)} · 《${escapeHtml(h.essay)}》${h.section ? ` · ${escapeHtml(h.section)}` : ''}${pages} · ${escapeHtml(h.id)}</div></div>`;
          })
          .join('\n')
      : `<p>${escapeHtml(reply?.error?.message ?? (q.trim() === '' ? '' : t.noHits))}</p>`;
    return page(locale, `${t.search}: ${q}`, `<h1>${escapeHtml(t.search)}</h1>${searchForm(t, q)}${body}<p><a href="/">${escapeHtml(t.contents)}</a></p>`);
  }

  const reader: Reader = {
    paths: ['/', '/search', '/reader.css', '/e/:id', '/p/:id'],
    passageUrl(passageId, span, library = null) {
      const s = span ? `${span[0]}-${span[1]}` : '';
      const extra: Record<string, string> = { ...libraryParam(library), ...(span ? { s: String(span[0]), e: String(span[1]) } : {}) };
      const grant = { target: target('p', passageId, library), span: s, expires: expiry() };
      return `${signed(`/p/${encodeURIComponent(passageId)}`, grant, extra)}#${encodeURIComponent(span ? 'quoted' : passageId)}`;
    },
    essayUrl(essayId, note, library = null) {
      const grant = { target: target('e', essayId, library), span: '', expires: expiry() };
      return `${signed(`/e/${encodeURIComponent(essayId)}`, grant, libraryParam(library))}${note ? `#note-${note}` : ''}`;
    },
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://reader.invalid');
      const path = url.pathname;
      if (req.method !== 'GET' && req.method !== 'HEAD') return false;
      const { locale, t } = chromeFor(req);
      if (path === '/reader.css') {
        res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600', 'x-content-type-options': 'nosniff' });
        res.end(READER_CSS);
        return true;
      }
      if (path === '/' || path === '/search') {
        if (access !== 'public') {
          refuse(res, 403, locale, t.forbidden);
          return true;
        }
        send(res, 200, path === '/' ? contents(locale, t) : search(url.searchParams.get('q') ?? '', locale, t));
        return true;
      }
      const m = /^\/([ep])\/([^/]+)$/u.exec(path);
      if (!m) return false;
      let id: string;
      try {
        id = decodeURIComponent(m[2] as string);
      } catch {
        refuse(res, 404, locale, t.notFound);
        return true;
      }
      // A team's library, named by the link (and signed with it); anything that is no team's key opens nothing.
      const lib = url.searchParams.get('lib');
      const library = lib !== null && parseTeamKey(lib) !== null ? lib : null;
      if (lib !== null && library === null) {
        refuse(res, 404, locale, t.notFound);
        return true;
      }
      if (m[1] === 'e') {
        if (!allowed(url, { target: target('e', id, library), span: '' }, res, locale, t)) return true;
        const essay = essaysOf(bot().libraryFor(library).corpus).find((e) => e.id === id);
        if (!essay) refuse(res, 404, locale, t.notFound);
        else send(res, 200, essayHtml(essay, locale, t, null, library));
        return true;
      }
      const s = url.searchParams.get('s');
      const e = url.searchParams.get('e');
      const span = s !== null && e !== null ? `${s}-${e}` : '';
      if (!allowed(url, { target: target('p', id, library), span }, res, locale, t)) return true;
      const found = find(id, library);
      if (!found) {
        refuse(res, 404, locale, t.notFound);
        return true;
      }
      const length = found.paragraph.text.length;
      const range: [number, number] | null =
        span && Number.isInteger(Number(s)) && Number.isInteger(Number(e))
          ? [Math.max(0, Math.min(length, Number(s))), Math.max(0, Math.min(length, Number(e)))]
          : null;
      send(res, 200, essayHtml(found.essay, locale, t, { id, span: range }, library));
      return true;
    },
  };
  return reader;
}
