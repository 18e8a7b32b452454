import { existsSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
// @ts-expect-error pdfkit ships no type declarations; the little of it used here is typed below.
import PDFKit from 'pdfkit';
import { createRandom } from '../../bench/synthetic.js';

/*
 * Random journal articles typeset by pdfkit, in memory, for the property test of issue 21
 * (PDF → model equals the source model). `articleSpec` is a fast-check arbitrary of the
 * article's content and layout choices; `typesetArticle` lays it out page by page the way a
 * Chinese journal prints a research article and returns the PDF with its source model, in the
 * JSON form of test/fixtures/articles/README.md.
 *
 * What varies: 1–3 authors on one author line (separated by a full-width space, `、` or `，`);
 * `【内容提要】…【关键词】…【中图分类号】…` or `摘要：…关键词：…中图分类号：…` front matter;
 * unnumbered first-page notes (`【作者简介】` one per author or one for all, `【基金项目】`,
 * `【收稿日期】…【修回日期】…`); 2–4 headed sections (and sometimes an unheaded introduction)
 * of paragraphs of sentences drawn from a fixed vocabulary; notes (0–4 a page, marks ①…
 * restarting on every page, before or after the sentence's stop), some with URLs of random
 * shapes; the note column's width and whether its lines hang under the mark; the page breaks,
 * which fall wherever the layout puts them: paragraphs cut mid-sentence, a page's last line
 * sometimes cut right after a `。` and the paragraph going on at the top of the next page with
 * no indent, a note that does not fit continued at the top of the next page's notes; the first
 * page number, the footer style (`· 57 ·`, `— 57 —`, `57`); and an optional English block
 * (title, authors, `Abstract:`, `Key Words:`, `About the Authors:`), in the body size or
 * smaller, after the last section or on a page of its own.
 *
 * Lines are justified the way typesetters do it: the extra width of a line is spread over the
 * gaps between its tokens (each Chinese character, each Latin word or space, each piece of a
 * URL broken after `/ . - ? & = _ #`), so a justified URL has gaps after its slashes and dots,
 * and pdf.js reads them as spaces (`https:// www. un. org/ …`), as in the PDFs of issue 21.
 *
 * Fonts: Debian's fonts-arphic-uming (body, notes) and fonts-wqy-microhei (title, headings),
 * the fonts of scripts/fixtures/pdfkit-fixture.mjs; `ARTICLE_FONTS` names them and
 * `missingArticleFonts()` says which are absent.
 *
 * Display-text conventions of the model: author `bio` is the author's part of the 作者简介 note
 * as printed, name included, without the label and the final `。`/`；`
 * (`林海舟，东海大学国际关系学院副教授（上海200433）`); `affiliation` is the part between the
 * name and the postcode parentheses; `funding` is the 基金项目 note without its label; dates
 * are printed and kept as `2025-10-12`.
 */

// ---------------------------------------------------------------------------------------------
// The spec: everything random about an article.

export interface NoteSpec {
  text: string;
  urls: string[];
}
export interface SentenceSpec {
  text: string;
  note: NoteSpec | null;
  /** The marker stands before the sentence's final stop (`…体系①。`) instead of after it. */
  markBeforeStop: boolean;
}
export interface ParagraphSpec {
  sentences: SentenceSpec[];
}
export interface SectionSpec {
  heading: string | null;
  paragraphs: ParagraphSpec[];
}
export interface AuthorSpec {
  name: string;
  pinyin: string;
  affiliation: string;
  city: string;
  postcode: string;
  englishAffiliation: string;
}
export interface EnglishSpec {
  title: string;
  abstract: string;
  /** Authors joined by `, … and …` (true) or by `, ` only. */
  and: boolean;
  /** Set in the body size (10.5) or smaller (9). */
  size: number;
  /** Starts on a page of its own. */
  newPage: boolean;
}
export interface ArticleSpec {
  issue: number;
  year: number;
  firstPage: number;
  title: string;
  subtitle: string | null;
  authors: AuthorSpec[];
  authorSeparator: '　' | '、' | '，';
  labels: 'bracket' | 'colon';
  abstract: string;
  keywords: string[];
  keywordSeparator: '　' | '；';
  clc: string;
  doi: boolean;
  bios: 'each' | 'all';
  funding: string | null;
  received: string | null;
  revised: string | null;
  sections: SectionSpec[];
  english: EnglishSpec | null;
  footer: 'dots' | 'dashes' | 'bare';
  /** The note column's width as a share of the text width. */
  noteWidth: number;
  /** Note lines after the first start under the note's text (true) or at the mark (false). */
  hangingNotes: boolean;
  /** Seeds the layout's own choices: cutting a page after a `。`, continuing a note. */
  layoutSeed: number;
}

// ---------------------------------------------------------------------------------------------
// The source model (README of test/fixtures/articles).

/** A footnote as a `.model.json` records it. */
export interface ModelNote {
  number: number;
  mark: string;
  page: number;
  text: string;
  urls: string[];
}
export interface ModelParagraph {
  text: string;
  pages: number[];
  notes: number[];
}
/** An essay as a `.model.json` records it, whichever generator wrote it. */
export interface ModelEssay {
  kind: 'essay' | 'editors-note';
  title: string;
  authors: Array<{ name: string; affiliation: string | null; bio: string | null }>;
  abstract: string | null;
  keywords: string[];
  classification: { clc: string; documentCode: string; articleNumber: string | null; doi: string | null } | null;
  funding: string | null;
  received: string | null;
  revised: string | null;
  english: { title: string; authors: string[]; abstract: string; keywords: string[] } | null;
  sections: Array<{ heading: string | null; paragraphs: ModelParagraph[] }>;
  footnotes: ModelNote[];
}
/** A `.model.json`: what a fixture's generator typeset, for the reader to be held to. */
export interface Model {
  file: string;
  generator: string;
  journal: string | null;
  year: number | null;
  issue: string | null;
  articleNumber: string | null;
  doi: string | null;
  pages: [number, number];
  /** The symposium's title, for a file of one (null here, as in the other generators' models). */
  symposium: string | null;
  essays: ModelEssay[];
}

export type SourceFootnote = ModelNote;
export type SourceParagraph = ModelParagraph;
/** This generator's essays: research articles, every author with an affiliation and a bio. */
export interface SourceEssay extends ModelEssay {
  kind: 'essay';
  authors: Array<{ name: string; affiliation: string; bio: string }>;
  classification: { clc: string; documentCode: string; articleNumber: string; doi: string | null } | null;
}
export interface SourceModel extends Model {
  essays: SourceEssay[];
}

/** What the layout did, for a test to check that the cases it means to cover occur. */
export interface LayoutStats {
  pages: number;
  /** Pages whose last body line was cut right after a `。`, the paragraph going on overleaf. */
  sentenceCuts: number;
  /** Paragraphs cut by a page break anywhere else. */
  midSentenceCuts: number;
  /** Notes continued at the top of the next page's notes. */
  continuedNotes: number;
  /** Notes with a URL, and how many of those were set on a justified line with gaps inside the URL. */
  urlNotes: number;
  spreadUrls: number;
}

export interface TypesetArticle {
  pdf: Buffer;
  model: SourceModel;
  stats: LayoutStats;
}

// ---------------------------------------------------------------------------------------------
// Vocabulary.

const JOURNAL = '国际展望';
const ISSN = '1006-1568';
const SURNAMES: Array<[string, string]> = [
  ['王', 'Wang'],
  ['李', 'Li'],
  ['林', 'Lin'],
  ['苏', 'Su'],
  ['赵', 'Zhao'],
  ['陈', 'Chen'],
  ['周', 'Zhou'],
  ['徐', 'Xu'],
  ['何', 'He'],
  ['欧阳', 'Ouyang'],
];
const GIVEN: Array<[string, string]> = [
  ['海', 'hai'],
  ['舟', 'zhou'],
  ['映', 'ying'],
  ['雪', 'xue'],
  ['明', 'ming'],
  ['远', 'yuan'],
  ['静', 'jing'],
  ['怡', 'yi'],
  ['志', 'zhi'],
  ['宁', 'ning'],
  ['伟', 'wei'],
  ['晨', 'chen'],
];
const PLACES: Array<[string, string, string]> = [
  ['北京', '100871', 'Beijing'],
  ['上海', '200433', 'Shanghai'],
  ['南京', '210093', 'Nanjing'],
  ['广州', '510275', 'Guangzhou'],
  ['武汉', '430072', 'Wuhan'],
];
const SCHOOLS: Array<[string, string]> = [
  ['国际关系学院', 'School of International Relations'],
  ['国际问题研究院', 'Institute of International Studies'],
  ['政治学系', 'Department of Political Science'],
  ['法学院', 'Law School'],
];
const UNIVERSITIES: Array<[string, string]> = [
  ['东海大学', 'Donghai University'],
  ['明德大学', 'Mingde University'],
  ['海川大学', 'Haichuan University'],
];
const RANKS: Array<[string, string]> = [
  ['教授', 'Professor'],
  ['副教授', 'Associate Professor'],
  ['讲师', 'Lecturer'],
  ['博士研究生', 'Ph.D. Candidate'],
  ['助理研究员', 'Assistant Research Fellow'],
];
const SUBJECTS = [
  '全球治理体系',
  '国际秩序',
  '多边主义',
  '发展中国家',
  '新兴经济体',
  '联合国',
  '区域合作机制',
  '数字经济规则',
  '人工智能治理',
  '海洋治理',
  '气候变化谈判',
  '全球南方',
  '中国特色大国外交',
  '国际规则',
  '全球发展倡议',
  '二十国集团',
  '世界贸易组织',
  'G20',
];
const PREDICATES = [
  '正在经历深刻调整',
  '面临新的挑战',
  '需要更加公正合理的改革',
  '为各国提供了合作平台',
  '推动了规则的演进',
  '体现了共商共建共享的原则',
  '受到地缘政治竞争的影响',
  '在2023年取得了重要进展',
  '已有130多个国家参与',
  '在第80届联合国大会上得到重申',
  '覆盖全球约40%的人口',
  '经历了20世纪90年代以来最深刻的变化',
  '为国际社会所广泛关注',
  '仍然缺少稳定的资金来源',
  '需要“小院高墙”之外的新思路',
];
const CONNECTORS = ['', '', '与此同时，', '因此，', '然而，', '从长远看，', '在此背景下，', '值得注意的是，', '总体而言，'];
const SECTION_TOPICS = [
  '全球治理的现实困境',
  '规则竞争与制度供给',
  '中国方案的理论基础',
  '多边机制的改革路径',
  '数字时代的国际合作',
  '海洋治理的新议程',
  '发展中国家的角色',
  '风险与挑战',
];
const NUMERALS = ['一', '二', '三', '四'];
const TITLE_WORDS = ['全球治理', '国际秩序', '规则竞争', '数字经济', '海洋保护区', '多边主义', '全球南方', '气候治理'];
const TITLE_FRAMES = ['{a}视角下的{b}研究', '{a}与{b}的互动逻辑', '论{a}中的{b}', '{a}变革与{b}'];
const SUBTITLES = ['——以联合国为例', '——基于二十国集团的考察', '——兼论中国的角色'];
const KEYWORDS = ['全球治理', '多边主义', '国际秩序', '规则竞争', '数字经济', '海洋治理', '全球南方', '大国外交', '国际制度'];
const ENGLISH_KEYWORDS: Record<string, string> = {
  全球治理: 'global governance',
  多边主义: 'multilateralism',
  国际秩序: 'international order',
  规则竞争: 'rule competition',
  数字经济: 'digital economy',
  海洋治理: 'ocean governance',
  全球南方: 'Global South',
  大国外交: 'major-country diplomacy',
  国际制度: 'international institutions',
};
const ENGLISH_SENTENCES = [
  'The global governance system is undergoing profound adjustment.',
  'Developing countries call for a fairer and more reasonable order.',
  'This article examines how rules compete beyond national jurisdiction.',
  'Multilateral institutions provide platforms for cooperation among states.',
  'The analysis draws on documents adopted between 2015 and 2025.',
  'It argues that institutional supply lags behind the demand for governance.',
  'Regional mechanisms complement, rather than replace, the United Nations.',
];
const ENGLISH_TITLES = [
  'Rule Competition beyond National Jurisdiction',
  'Global Governance and the Reform of Multilateral Institutions',
  'The Global South in a Changing International Order',
  'Digital Economy Rules and Great-Power Competition',
];
const CLC = ['D81', 'D822', 'D993.5', 'D815', 'F114.4'];
const FUNDS = [
  '国家社会科学基金重大项目“全球治理体系变革研究”（23&ZD123）',
  '教育部人文社会科学研究项目“海洋治理规则比较研究”（24YJC810001）',
  '国家社会科学基金一般项目（22BGJ045）',
];
const BOOKS = ['《全球治理导论》', '《国际制度的变迁》', '《多边主义的未来》', '《海洋法的新发展》'];
const PUBLISHERS: Array<[string, string]> = [
  ['北京', '世界知识出版社'],
  ['上海', '上海人民出版社'],
  ['北京', '社会科学文献出版社'],
];
const SITES = ['联合国网站', '外交部网站', '新华网', '世界银行网站'];
const DOC_TITLES = ['《全球发展倡议》', '《变革我们的世界：2030年可持续发展议程》', '《全球人工智能治理倡议》', '《联合国海洋法公约》'];
const ENGLISH_AUTHORS = ['Joseph S. Nye', 'Amitav Acharya', 'G. John Ikenberry', 'Anne Marlow'];
const ENGLISH_WORKS = ['"Rule Competition beyond National Jurisdiction,"', '"The End of American World Order,"', '"Multilateralism in Crisis,"'];
const HOST_LABELS = ['un', 'fmprc', 'news', 'worldbank', 'gov', 'data', 'docs', 'ipcc', 'wto', 'cssn'];
const TLDS = ['org', 'gov.cn', 'com', 'int', 'edu.cn', 'org.cn'];
const PATH_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789';

// ---------------------------------------------------------------------------------------------
// Arbitraries.

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
/** Plain objects (fast-check makes some with a null prototype, which print as `__proto__:null`). */
const RECORD = { noNullPrototype: true } as const;
/** A value `some` times in `some + none`, else null. */
const sometimes = <T>(arb: fc.Arbitrary<T>, some: number, none: number): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: none, arbitrary: fc.constant(null) }, { weight: some, arbitrary: arb });

/** A URL of random shape: optional www, one or two host labels and a TLD, 0–5 path segments, an extension, a query, a fragment. */
export const urlArb: fc.Arbitrary<string> = fc
  .record({
    scheme: pick(['https', 'http']),
    www: fc.boolean(),
    labels: fc.array(pick(HOST_LABELS), { minLength: 1, maxLength: 2 }),
    tld: pick(TLDS),
    path: fc.array(
      fc.record(
        {
          word: fc.string({ unit: pick(PATH_CHARS.split('')), minLength: 1, maxLength: 12 }),
          joiner: pick(['', '', '-', '_']),
          tail: fc.string({ unit: pick(PATH_CHARS.split('')), maxLength: 6 }),
        },
        RECORD,
      ),
      { maxLength: 5 },
    ),
    ext: pick(['', '', '.html', '.shtml', '.pdf', '/']),
    query: fc.option(
      fc.array(fc.tuple(pick(['id', 'lang', 'page', 'doc', 'q']), fc.string({ unit: pick(PATH_CHARS.split('')), minLength: 1, maxLength: 8 })), {
        minLength: 1,
        maxLength: 3,
      }),
      { nil: null },
    ),
    fragment: sometimes(fc.string({ unit: pick(PATH_CHARS.split('')), minLength: 1, maxLength: 6 }), 1, 5),
  })
  .map((u) => {
    const host = `${u.www ? 'www.' : ''}${u.labels.join('.')}.${u.tld}`;
    const segments = u.path.map((p) => (p.tail === '' ? p.word : `${p.word}${p.joiner}${p.tail}`));
    let path = segments.length > 0 ? `/${segments.join('/')}` : '';
    if (u.ext === '/' || (path === '' && (u.query || u.fragment))) path += '/';
    else if (path !== '') path += u.ext;
    const query = u.query ? `?${u.query.map(([k, v]) => `${k}=${v}`).join('&')}` : '';
    return `${u.scheme}://${host}${path}${query}${u.fragment ? `#${u.fragment}` : ''}`;
  });

const date = fc.record({ y: fc.integer({ min: 2019, max: 2025 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) }, RECORD);
const isoDate = (d: { y: number; m: number; d: number }) => `${d.y}-${String(d.m).padStart(2, '0')}-${String(d.d).padStart(2, '0')}`;
const hanDate = (d: { y: number; m: number; d: number }) => `${d.y}年${d.m}月${d.d}日`;

/** A note: a book, a web page with its URL (several wordings), an English citation with or without one, or 同上. */
export const citationArb: fc.Arbitrary<NoteSpec> = fc.oneof(
  fc
    .record({
      who: pick(SURNAMES.map((s) => s[0])),
      given: pick(GIVEN.map((g) => g[0])),
      book: pick(BOOKS),
      pub: pick(PUBLISHERS),
      y: fc.integer({ min: 1990, max: 2025 }),
    })
    .chain((r) =>
      fc.integer({ min: 1, max: 480 }).map((p) => ({ text: `${r.who}${r.given}：${r.book}，${r.pub[0]}：${r.pub[1]}${r.y}年版，第${p}页。`, urls: [] })),
    ),
  fc.record({ doc: pick(DOC_TITLES), site: pick(SITES), when: date, url: urlArb, form: fc.integer({ min: 0, max: 3 }) }, RECORD).map((r) => {
    const texts = [
      `${r.doc}，${r.site}，${hanDate(r.when)}，${r.url}。`,
      `参见${r.site}：${r.url}，访问时间：${hanDate(r.when)}。`,
      `${r.doc}，${r.url}，${hanDate(r.when)}。`,
      `${r.doc}，载${r.site}，${r.url}。`,
    ];
    return { text: texts[r.form] as string, urls: [r.url] };
  }),
  fc
    .record({
      who: pick(ENGLISH_AUTHORS),
      work: pick(ENGLISH_WORKS),
      y: fc.integer({ min: 1995, max: 2025 }),
      url: fc.option(urlArb, { nil: null }),
      p: fc.integer({ min: 1, max: 300 }),
    })
    .map((r) =>
      r.url
        ? { text: `${r.who}, ${r.work} ${r.y}, ${r.url}.`, urls: [r.url] }
        : { text: `${r.who}, ${r.work} Foreign Affairs, Vol. ${(r.y % 90) + 10}, No. 3, ${r.y}, p. ${r.p}.`, urls: [] },
    ),
  fc.integer({ min: 1, max: 300 }).map((p) => ({ text: `同上，第${p}页。`, urls: [] })),
);
/** A note with at least one URL. */
export const urlNoteArb: fc.Arbitrary<NoteSpec> = citationArb.filter((n) => n.urls.length > 0);
/** A note: mostly one citation, sometimes three in one long note (`参见A；B；C。`). */
export const noteArb: fc.Arbitrary<NoteSpec> = fc.oneof(
  { weight: 3, arbitrary: citationArb },
  {
    weight: 1,
    arbitrary: fc.tuple(citationArb, citationArb, citationArb).map(([a, b, c]) => ({
      text: `参见${[a, b, c].map((n) => n.text.replace(/[。.]$/u, '')).join('；')}。`,
      urls: [...new Set([...a.urls, ...b.urls, ...c.urls])],
    })),
  },
);

const sentenceText = fc
  .tuple(
    pick(CONNECTORS),
    pick(SUBJECTS),
    pick(PREDICATES),
    fc.option(fc.tuple(pick(SUBJECTS), pick(PREDICATES)), { nil: null }),
    pick(['。', '。', '。', '？']),
  )
  .map(([c, s, p, more, stop]) => `${c}${s}${p}${more ? `，${more[0]}${more[1]}` : ''}${stop}`);
const sentence: fc.Arbitrary<SentenceSpec> = fc.record(
  {
    text: sentenceText,
    note: sometimes(noteArb, 1, 3),
    markBeforeStop: fc.boolean(),
  },
  RECORD,
);
const paragraph: fc.Arbitrary<ParagraphSpec> = fc.record({ sentences: fc.array(sentence, { minLength: 1, maxLength: 7 }) }, RECORD);

const author: fc.Arbitrary<AuthorSpec> = fc
  .record({
    surname: pick(SURNAMES),
    given: fc.array(pick(GIVEN), { minLength: 1, maxLength: 2 }),
    place: pick(PLACES),
    school: pick(SCHOOLS),
    university: pick(UNIVERSITIES),
    rank: pick(RANKS),
  })
  .map((r) => {
    const given = r.given.map((g) => g[1]).join('');
    return {
      name: r.surname[0] + r.given.map((g) => g[0]).join(''),
      pinyin: `${r.surname[1]} ${given.charAt(0).toUpperCase()}${given.slice(1)}`,
      affiliation: `${r.university[0]}${r.school[0]}${r.rank[0]}`,
      city: r.place[0],
      postcode: r.place[1],
      englishAffiliation: `${r.rank[1]}, ${r.school[1]}, ${r.university[1]}, ${r.place[2]}`,
    };
  });

const sections: fc.Arbitrary<SectionSpec[]> = fc
  .tuple(
    fc.array(paragraph, { maxLength: 2 }),
    fc.uniqueArray(pick(SECTION_TOPICS), { minLength: 2, maxLength: 4 }),
    fc.boolean(),
    fc.array(fc.array(paragraph, { minLength: 1, maxLength: 4 }), { minLength: 4, maxLength: 4 }),
  )
  .map(([intro, topics, conclusion, bodies]) => {
    const headed = topics.map((topic, i) => ({
      heading: conclusion && i === topics.length - 1 ? '结语' : `${NUMERALS[i]}、${topic}`,
      paragraphs: bodies[i] as ParagraphSpec[],
    }));
    return intro.length > 0 ? [{ heading: null, paragraphs: intro }, ...headed] : headed;
  });

/** A random research article. */
export const articleSpec: fc.Arbitrary<ArticleSpec> = fc.record(
  {
    issue: fc.integer({ min: 1, max: 6 }),
    year: fc.constant(2026),
    firstPage: fc.integer({ min: 1, max: 180 }),
    title: fc
      .tuple(pick(TITLE_FRAMES), fc.uniqueArray(pick(TITLE_WORDS), { minLength: 2, maxLength: 2 }))
      .map(([f, [a, b]]) => f.replace('{a}', a as string).replace('{b}', b as string)),
    subtitle: fc.option(pick(SUBTITLES), { nil: null }),
    authors: fc.uniqueArray(author, { minLength: 1, maxLength: 3, selector: (a) => a.name }),
    authorSeparator: pick(['　', '、', '，'] as const),
    labels: pick(['bracket', 'colon'] as const),
    abstract: fc.array(sentenceText, { minLength: 2, maxLength: 5 }).map((s) => s.join('')),
    keywords: fc.uniqueArray(pick(KEYWORDS), { minLength: 3, maxLength: 5 }),
    keywordSeparator: pick(['　', '；'] as const),
    clc: pick(CLC),
    doi: fc.boolean(),
    bios: pick(['each', 'all'] as const),
    funding: fc.option(pick(FUNDS), { nil: null }),
    received: fc.option(date.map(isoDate), { nil: null }),
    revised: fc.option(date.map(isoDate), { nil: null }),
    sections,
    english: fc.option(
      fc.record({
        title: pick(ENGLISH_TITLES),
        abstract: fc.array(pick(ENGLISH_SENTENCES), { minLength: 2, maxLength: 5 }).map((s) => s.join(' ')),
        and: fc.boolean(),
        size: pick([9, 10.5]),
        newPage: fc.boolean(),
      }),
      { nil: null },
    ),
    footer: pick(['dots', 'dashes', 'bare'] as const),
    noteWidth: fc.double({ min: 0.6, max: 1, noNaN: true }),
    hangingNotes: fc.boolean(),
    layoutSeed: fc.integer({ min: 1, max: 0x7fffffff }),
  },
  RECORD,
);

// ---------------------------------------------------------------------------------------------
// Layout.

/** pdfkit's document, as far as this file uses it. */
interface Doc {
  registerFont(name: string, src: Buffer, family?: string): Doc;
  addPage(): Doc;
  font(name: string): Doc;
  fontSize(size: number): Doc;
  widthOfString(text: string): number;
  text(text: string, x: number, y: number, options?: Record<string, unknown>): Doc;
  moveTo(x: number, y: number): Doc;
  lineTo(x: number, y: number): Doc;
  lineWidth(w: number): Doc;
  stroke(): Doc;
  on(event: 'data', listener: (chunk: Buffer) => void): Doc;
  on(event: 'end', listener: () => void): Doc;
  end(): void;
}
const PDFDocument = PDFKit as new (options: Record<string, unknown>) => Doc;

export const ARTICLE_FONTS = {
  body: { path: '/usr/share/fonts/truetype/arphic/uming.ttc', family: 'UMingCN', debian: 'fonts-arphic-uming' },
  heading: { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei', debian: 'fonts-wqy-microhei' },
};

/** The Debian packages whose fonts are missing (empty when typesetting can go ahead). */
export function missingArticleFonts(): string[] {
  return Object.values(ARTICLE_FONTS)
    .filter((f) => !existsSync(f.path))
    .map((f) => f.debian);
}

const fontData = new Map<string, Buffer>();
const fontBytes = (path: string) => {
  let data = fontData.get(path);
  if (!data) {
    data = readFileSync(path);
    fontData.set(path, data);
  }
  return data;
};

const PAGE = { width: 500, height: 720 };
const MARGIN = { left: 55, right: 55, top: 72, bottom: 70 };
const WIDTH = PAGE.width - MARGIN.left - MARGIN.right;
const BODY = 10.5;
const LEADING = 1.7;
const NOTE = 8.5;
const NOTE_LEAD = NOTE * 1.45;
const NOTE_GAP = 2;
const RULE_GAP = 9;
const FRONT = 9;
const CIRCLED = Array.from({ length: 20 }, (_, i) => String.fromCodePoint(0x2460 + i));

type FontName = 'body' | 'heading';
interface Token {
  kind: 'cjk' | 'latin' | 'space' | 'marker';
  text: string;
  /** For a marker: the note it calls. */
  note?: NoteSpec;
  /** A piece of a URL. */
  url?: boolean;
}
interface DrawLine {
  tokens: Token[];
  x: number;
  y: number;
  width: number;
  size: number;
  font: FontName;
  justify: boolean;
  align?: 'center';
  /** The marks of the line's markers, in order, once placed. */
  marks?: string[];
}
interface NoteBlock {
  /** A numbered note, a first-page note (no number), or the end of a note carried over from the page before. */
  kind: 'numbered' | 'front' | 'carried';
  /** `①`; null unless numbered. */
  label: string | null;
  lines: Token[][];
  /** The last of its lines ends the note (so it is not justified). */
  ends: boolean;
}
interface Page {
  number: number;
  body: DrawLine[];
  notes: NoteBlock[];
  y: number;
  numbered: number;
}

const OPENING = /^[“‘（《【(〈]$/u;
const CLOSING = /^[，。、；：！？”’）》】)〉…—,.;:!?]$/u;
const URL_START = /^(?:https?:\/\/|www\.)/u;

/** Text as tokens: a Chinese character, a Latin word (a URL in pieces, each ending at a break point), a space. */
function tokenize(text: string): Token[] {
  const out: Token[] = [];
  for (const m of text.matchAll(/[\x21-\x7e]+|[ ]+|./gsu)) {
    const s = m[0];
    if (/^ +$/u.test(s)) out.push({ kind: 'space', text: ' ' });
    else if (/^[\x21-\x7e]+$/u.test(s) && URL_START.test(s)) {
      for (const piece of s.match(/[^/.\-?&=_#]*[/.\-?&=_#]+|[^/.\-?&=_#]+$/gu) ?? []) out.push({ kind: 'latin', text: piece, url: true });
    } else if (/^[\x21-\x7e]+$/u.test(s)) out.push({ kind: 'latin', text: s });
    else out.push({ kind: 'cjk', text: s });
  }
  return out;
}

/** A paragraph's tokens, markers where its notes are called. */
function paragraphTokens(p: ParagraphSpec): Token[] {
  const out: Token[] = [];
  for (const s of p.sentences) {
    const tokens = tokenize(s.text);
    if (s.note) {
      const marker: Token = { kind: 'marker', text: '①', note: s.note };
      if (s.markBeforeStop) tokens.splice(tokens.length - 1, 0, marker);
      else tokens.push(marker);
    }
    out.push(...tokens);
  }
  return out;
}

class Layout {
  readonly pages: Page[] = [];
  readonly stats: LayoutStats = { pages: 0, sentenceCuts: 0, midSentenceCuts: 0, continuedNotes: 0, urlNotes: 0, spreadUrls: 0 };
  /** Notes placed, in reading order, with the page and mark they got. */
  readonly placedNotes: Array<{ note: NoteSpec; page: number; mark: string }> = [];
  private carried: Token[][] | null = null;
  private readonly widths = new Map<string, number>();
  private readonly rng: () => number;
  readonly noteWidth: number;

  constructor(
    private readonly doc: Doc,
    private readonly spec: ArticleSpec,
  ) {
    this.rng = createRandom(spec.layoutSeed);
    this.noteWidth = Math.round(WIDTH * spec.noteWidth);
    this.newPage(spec.firstPage);
  }

  get page(): Page {
    return this.pages.at(-1) as Page;
  }

  width(token: Token, size: number, font: FontName): number {
    if (token.kind === 'marker') return this.measure('①', size * 0.6, font);
    return this.measure(token.text, size, font);
  }

  private measure(text: string, size: number, font: FontName): number {
    const key = `${font}|${size}|${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = this.doc.font(font).fontSize(size).widthOfString(text);
      this.widths.set(key, w);
    }
    return w;
  }

  /** Where a line may break before `tokens[i]`. */
  private breakable(tokens: Token[], i: number): boolean {
    const t = tokens[i] as Token;
    const before = tokens[i - 1] as Token;
    if (t.kind === 'marker' || (t.kind !== 'space' && CLOSING.test(t.text))) return false;
    if (before.kind !== 'space' && OPENING.test(before.text)) return false;
    if (before.kind === 'latin' && t.kind === 'latin' && !(before.url && t.url)) return false;
    return true;
  }

  /** Greedy line breaking: the end (exclusive) of the line that starts at `from`. */
  fill(tokens: Token[], from: number, width: number, size: number, font: FontName): number {
    let used = 0;
    let i = from;
    while (i < tokens.length && tokens[i]?.kind === 'space') i++;
    const start = i;
    for (; i < tokens.length; i++) {
      const w = this.width(tokens[i] as Token, size, font);
      if (used + w > width + 0.01 && i > start) {
        // Back to the last place a line may break; a line with none breaks where it is full.
        for (let j = i; j > start; j--) if (this.breakable(tokens, j)) return j;
        return i;
      }
      used += w;
    }
    return tokens.length;
  }

  /** A line's tokens without the spaces at its ends. */
  static trim(tokens: Token[]): Token[] {
    let a = 0;
    let b = tokens.length;
    while (a < b && tokens[a]?.kind === 'space') a++;
    while (b > a && tokens[b - 1]?.kind === 'space') b--;
    return tokens.slice(a, b);
  }

  breakAll(tokens: Token[], firstWidth: number, width: number, size: number, font: FontName): Token[][] {
    const lines: Token[][] = [];
    let pos = 0;
    while (pos < tokens.length) {
      const end = this.fill(tokens, pos, lines.length === 0 ? firstWidth : width, size, font);
      const line = Layout.trim(tokens.slice(pos, end));
      if (line.length > 0) lines.push(line);
      pos = end;
    }
    return lines;
  }

  newPage(number = this.page.number + 1): void {
    this.pages.push({ number, body: [], notes: [], y: MARGIN.top, numbered: 0 });
    if (this.carried) {
      this.page.notes.push({ kind: 'carried', label: null, lines: this.carried, ends: true });
      this.carried = null;
    }
  }

  notesHeight(notes: NoteBlock[]): number {
    if (notes.length === 0) return 0;
    return RULE_GAP + notes.reduce((h, n) => h + n.lines.length * NOTE_LEAD + NOTE_GAP, 0);
  }

  /** A note's lines at the note column's width. */
  noteLines(text: string, labelled: boolean): Token[][] {
    const indent = NOTE * 1.6;
    const first = this.noteWidth - indent;
    const rest = this.spec.hangingNotes || !labelled ? first : this.noteWidth;
    return this.breakAll(tokenize(text), labelled ? first : this.noteWidth - NOTE * 2, labelled ? rest : this.noteWidth, NOTE, 'body');
  }

  /** Places a first-page note (no number). */
  frontNote(text: string): void {
    this.page.notes.push({ kind: 'front', label: null, lines: this.noteLines(text, false), ends: true });
  }

  /**
   * Places one body line with the notes its markers call, on this page when they fit, else on
   * a new page; a note that does not fit may be cut and continued overleaf. False when the
   * line had to go to a new page (the caller may then cut the page's last line otherwise).
   */
  place(line: DrawLine, height: number, keepWith = 0): boolean {
    const markers = line.tokens.filter((t) => t.kind === 'marker');
    const fresh = this.page.body.length === 0;
    const blocks: NoteBlock[] = markers.map((m, k) => ({
      kind: 'numbered',
      label: CIRCLED[this.page.numbered + k] as string,
      lines: this.noteLines((m.note as NoteSpec).text, true),
      ends: true,
    }));
    const bottom = (notes: NoteBlock[]) => PAGE.height - MARGIN.bottom - this.notesHeight(notes);
    const fits = this.page.y + height + keepWith <= bottom([...this.page.notes, ...blocks]);
    const tooMany = this.page.numbered + markers.length > 4 && this.page.numbered > 0;
    let carry: Token[][] | null = null;
    if (!fits && !fresh) {
      // A note may be cut, what fits staying here and the rest going to the top of the next
      // page's notes: the last note this line calls, or else (to make room for the line) the
      // page's last note. The page then ends with this line.
      const own = blocks.length > 0;
      const last = own ? blocks.at(-1) : this.page.notes.at(-1);
      if (last?.kind !== 'numbered' || !last.ends || tooMany || keepWith > 0 || last.lines.length < 2 || this.carried) return false;
      if (this.rng() < (own ? 0.15 : 0.6)) return false;
      const others = own ? [...this.page.notes, ...blocks.slice(0, -1)] : this.page.notes.slice(0, -1);
      let k = last.lines.length - 1;
      for (; k >= 1; k--) if (this.page.y + height <= bottom([...others, { ...last, lines: last.lines.slice(0, k) }])) break;
      if (k < 1) return false;
      carry = last.lines.slice(k);
      last.lines = last.lines.slice(0, k);
      last.ends = false;
    } else if (tooMany && !fresh) return false;
    line.y = this.page.y;
    line.marks = blocks.map((b) => b.label as string);
    this.page.body.push(line);
    this.page.y += height;
    markers.forEach((m, k) => {
      this.placedNotes.push({ note: m.note as NoteSpec, page: this.page.number, mark: blocks[k]?.label as string });
      if ((m.note as NoteSpec).urls.length > 0) this.stats.urlNotes++;
    });
    this.page.notes.push(...blocks);
    this.page.numbered += blocks.length;
    if (carry) {
      this.carried = carry;
      this.stats.continuedNotes++;
      this.newPage();
    }
    return true;
  }

  /** Moves to a new page unless this one is still empty. */
  breakPage(): void {
    if (this.page.body.length > 0) this.newPage();
  }

  /** Whether the page's space left holds `height` more (before any notes it calls). */
  room(height: number): boolean {
    return this.page.y + height <= PAGE.height - MARGIN.bottom - this.notesHeight(this.page.notes);
  }

  /** Sets lines of text (a block of one size and font), each placed like a body line; returns the pages its lines are on. */
  block(
    tokens: Token[],
    o: { size: number; font: FontName; x?: number; width?: number; indent?: number; align?: 'center'; leading?: number; cut?: boolean; keepWith?: number },
  ): number[] {
    const x = o.x ?? MARGIN.left;
    const width = o.width ?? WIDTH;
    const leading = o.size * (o.leading ?? LEADING);
    const pages: number[] = [];
    let pos = 0;
    let first = true;
    /** The block's last line placed on this page and the index of its first token. */
    let last: { line: DrawLine; from: number } | null = null;
    /** The line before `last`, when it is on this page too. */
    let before: { line: DrawLine; from: number } | null = null;
    const endsSentence = (toks: Token[]) => toks.at(-1)?.text === '。' || (toks.at(-1)?.kind === 'marker' && toks.at(-2)?.text === '。');
    while (pos < tokens.length) {
      const indent = first ? (o.indent ?? 0) : 0;
      const end = this.fill(tokens, pos, width - indent, o.size, o.font);
      let from = pos;
      while (from < end && tokens[from]?.kind === 'space') from++;
      const line: DrawLine = {
        tokens: Layout.trim(tokens.slice(from, end)),
        x: x + indent,
        y: 0,
        width: width - indent,
        size: o.size,
        font: o.font,
        justify: end < tokens.length && !o.align,
        align: o.align,
      };
      // The page the line goes on: `place` may end the page after it (a note carried overleaf).
      const on = this.page.number;
      if (this.place(line, leading, first ? (o.keepWith ?? 0) : 0)) {
        if (pages.at(-1) !== on) pages.push(on);
        before = last && this.page.body.at(-2) === last.line ? last : null;
        last = this.page.body.at(-1) === line ? { line, from } : null;
        pos = end;
        first = false;
        continue;
      }
      // The page is full. Its last line, when it is this block's, may be cut right after a `。`
      // near its end, the rest going on at the top of the next page (justified, it still looks
      // full); or, when the line before has one near its end, the page may end there, a line short.
      if (o.cut && last && this.page.body.at(-1) === last.line) {
        const cutAt = (toks: Token[]) => {
          for (let j = toks.length - 2; j >= Math.max(0, toks.length - 11); j--) {
            const after = toks[j + 1]?.kind === 'marker' ? j + 1 : j;
            if (toks[j]?.text === '。' && after < toks.length - 1 && toks.slice(after + 1).every((t) => t.kind !== 'marker')) return after;
          }
          return -1;
        };
        const toks = last.line.tokens;
        const here = this.rng() < 0.9 ? cutAt(toks) : -1;
        const above = here < 0 && before && toks.every((t) => t.kind !== 'marker') && this.rng() < 0.7 ? cutAt(before.line.tokens) : -1;
        if (here >= 0) {
          last.line.tokens = toks.slice(0, here + 1);
          pos = last.from + here + 1;
          this.stats.sentenceCuts++;
        } else if (endsSentence(toks)) this.stats.sentenceCuts++;
        else if (before && above >= 0) {
          this.page.body.pop();
          this.page.y -= leading;
          before.line.tokens = before.line.tokens.slice(0, above + 1);
          pos = before.from + above + 1;
          this.stats.sentenceCuts++;
        } else this.stats.midSentenceCuts++;
      }
      this.newPage();
      last = null;
      before = null;
    }
    return pages;
  }
}

// ---------------------------------------------------------------------------------------------
// Typesetting.

function labelled(spec: ArticleSpec, label: string): string {
  return spec.labels === 'bracket' ? `【${label}】` : `${label}：`;
}

function articleNumber(spec: ArticleSpec, pages: number): string {
  const issue = String(spec.issue).padStart(2, '0');
  const first = String(spec.firstPage).padStart(4, '0');
  return `${ISSN}-（${spec.year}）${issue}-${first}-${String(pages).padStart(2, '0')}`;
}

function doiOf(spec: ArticleSpec): string | null {
  return spec.doi ? `10.13851/j.cnki.gjzw.${spec.year}0${spec.issue}00${(spec.firstPage % 9) + 1}` : null;
}

function bioOf(a: AuthorSpec): string {
  return `${a.name}，${a.affiliation}（${a.city}${a.postcode}）`;
}

function englishAuthors(spec: ArticleSpec, english: EnglishSpec): string {
  const names = spec.authors.map((a) => a.pinyin);
  if (!english.and || names.length === 1) return names.join(', ');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

interface Laid {
  layout: Layout;
  paragraphs: Array<{ pages: number[]; notes: number[] }>;
  number: string;
}

function lay(doc: Doc, spec: ArticleSpec, pagesGuess: number): Laid {
  const L = new Layout(doc, spec);
  const number = articleNumber(spec, pagesGuess);
  // Title, subtitle, author line.
  L.block(tokenize(spec.title), { size: 17, font: 'heading', align: 'center', leading: 1.9 });
  if (spec.subtitle) L.block(tokenize(spec.subtitle), { size: 12, font: 'heading', align: 'center', leading: 1.9 });
  L.page.y += 4;
  L.block(tokenize(spec.authors.map((a) => a.name).join(spec.authorSeparator)), { size: 12, font: 'body', align: 'center', leading: 2.4 });
  // Front matter, set smaller and indented on both sides.
  const front = { size: FRONT, font: 'body' as const, x: MARGIN.left + FRONT * 2, width: WIDTH - FRONT * 4, leading: 1.6 };
  L.block(tokenize(`${labelled(spec, spec.labels === 'bracket' ? '内容提要' : '摘要')}${spec.abstract}`), front);
  L.block(tokenize(`${labelled(spec, '关键词')}${spec.keywords.join(spec.keywordSeparator)}`), front);
  const doi = doiOf(spec);
  const classification = [`${labelled(spec, '中图分类号')}${spec.clc}`, `${labelled(spec, '文献标识码')}A`, `${labelled(spec, '文章编号')}${number}`]
    .concat(doi ? [`${labelled(spec, 'DOI')}${doi}`] : [])
    .join(spec.labels === 'bracket' ? '' : '　');
  L.block(tokenize(classification), front);
  L.page.y += BODY;
  // The first page's unnumbered notes.
  if (spec.bios === 'each') for (const a of spec.authors) L.frontNote(`【作者简介】${bioOf(a)}。`);
  else L.frontNote(`【作者简介】${spec.authors.map(bioOf).join('；')}。`);
  if (spec.funding) L.frontNote(`【基金项目】${spec.funding}`);
  if (spec.received || spec.revised)
    L.frontNote([spec.received ? `【收稿日期】${spec.received}` : '', spec.revised ? `【修回日期】${spec.revised}` : ''].filter((s) => s !== '').join('　'));

  const paragraphs: Laid['paragraphs'] = [];
  for (const section of spec.sections) {
    if (section.heading) {
      L.page.y += 4;
      L.block(tokenize(section.heading), { size: BODY, font: 'heading', align: 'center', leading: LEADING + 0.5, keepWith: BODY * LEADING * 2 });
    }
    for (const p of section.paragraphs) {
      const before = L.placedNotes.length;
      const pages = L.block(paragraphTokens(p), { size: BODY, font: 'body', indent: BODY * 2, cut: true });
      paragraphs.push({ pages, notes: L.placedNotes.slice(before).map((_, k) => before + k + 1) });
    }
  }
  if (spec.english) {
    const e = spec.english;
    if (e.newPage) L.breakPage();
    else L.page.y += BODY * 2;
    L.block(tokenize(e.title), { size: 12, font: 'heading', align: 'center', leading: 1.8, keepWith: e.size * LEADING * 3 });
    L.block(tokenize(englishAuthors(spec, e)), { size: BODY, font: 'body', align: 'center', leading: 2 });
    const english = { size: e.size, font: 'body' as const, leading: 1.6 };
    L.block(tokenize(`Abstract: ${e.abstract}`), english);
    L.block(tokenize(`Key Words: ${spec.keywords.map((k) => ENGLISH_KEYWORDS[k]).join('; ')}`), english);
    L.block(tokenize(`About the Authors: ${spec.authors.map((a) => `${a.pinyin}, ${a.englishAffiliation}`).join('; ')}.`), english);
  }
  L.stats.pages = L.pages.length;
  return { layout: L, paragraphs, number };
}

function draw(doc: Doc, laid: Laid, spec: ArticleSpec): void {
  const L = laid.layout;
  const header = `${JOURNAL}　${spec.year}年第${spec.issue}期`;
  const spread = (line: Token[], width: number, size: number, font: FontName, justify: boolean) => {
    const natural = line.reduce((w, t) => w + L.width(t, size, font), 0);
    const gaps = line.filter((t, i) => i > 0 && t.kind !== 'marker').length;
    if (!justify || gaps === 0) return 0;
    return Math.min(size * 1.5, (width - natural) / gaps);
  };
  const drawTokens = (line: Token[], x: number, y: number, size: number, font: FontName, s: number, marks: string[] = []) => {
    let at = x;
    let m = 0;
    let spreadUrl = false;
    for (let i = 0; i < line.length; i++) {
      const t = line[i] as Token;
      if (i > 0 && t.kind !== 'marker') at += s;
      if (t.kind === 'marker') {
        doc
          .font(font)
          .fontSize(size * 0.6)
          .text(marks[m++] ?? '①', at, y - size * 0.15, { lineBreak: false });
      } else if (t.kind !== 'space') {
        doc.font(font).fontSize(size).text(t.text, at, y, { lineBreak: false });
        if (t.url && line[i + 1]?.url && s > size * 0.1) spreadUrl = true;
      }
      at += L.width(t, size, font);
    }
    return spreadUrl;
  };
  L.pages.forEach((page, index) => {
    doc.addPage();
    if (index > 0) {
      const even = page.number % 2 === 0;
      doc
        .font('body')
        .fontSize(9)
        .text(even ? header : spec.title, MARGIN.left, 38, { width: WIDTH, align: even ? 'left' : 'right', lineBreak: false });
      doc
        .moveTo(MARGIN.left, 52)
        .lineTo(MARGIN.left + WIDTH, 52)
        .lineWidth(0.4)
        .stroke();
    }
    const footer = spec.footer === 'dots' ? `· ${page.number} ·` : spec.footer === 'dashes' ? `— ${page.number} —` : `${page.number}`;
    doc
      .font('body')
      .fontSize(9)
      .text(footer, MARGIN.left, PAGE.height - 45, { width: WIDTH, align: 'center', lineBreak: false });
    for (const line of page.body) {
      const s = spread(line.tokens, line.width, line.size, line.font, line.justify);
      let x = line.x;
      if (line.align === 'center') x += (line.width - line.tokens.reduce((w, t) => w + L.width(t, line.size, line.font), 0)) / 2;
      drawTokens(line.tokens, x, line.y, line.size, line.font, s, line.marks);
    }
    if (page.notes.length > 0) {
      let y = PAGE.height - MARGIN.bottom - L.notesHeight(page.notes);
      doc
        .moveTo(MARGIN.left, y + 3)
        .lineTo(MARGIN.left + 110, y + 3)
        .lineWidth(0.5)
        .stroke();
      y += RULE_GAP;
      const indent = NOTE * 1.6;
      for (const block of page.notes) {
        if (block.label) doc.font('body').fontSize(NOTE).text(block.label, MARGIN.left, y, { lineBreak: false });
        block.lines.forEach((line, i) => {
          const lastLine = i === block.lines.length - 1 && block.ends;
          let x = MARGIN.left;
          let width = L.noteWidth;
          if ((block.kind === 'numbered' && (i === 0 || spec.hangingNotes)) || (block.kind === 'carried' && spec.hangingNotes)) {
            x += indent;
            width -= indent;
          } else if (block.kind === 'front' && i === 0) {
            // A first-page note opens with an indent.
            x += NOTE * 2;
            width -= NOTE * 2;
          }
          if (drawTokens(line, x, y, NOTE, 'body', spread(line, width, NOTE, 'body', !lastLine))) L.stats.spreadUrls++;
          y += NOTE_LEAD;
        });
        y += NOTE_GAP;
      }
    }
  });
}

function modelOf(spec: ArticleSpec, laid: Laid, file: string): SourceModel {
  const L = laid.layout;
  const english = spec.english;
  const doi = doiOf(spec);
  let k = 0;
  const sections = spec.sections.map((section) => ({
    heading: section.heading,
    paragraphs: section.paragraphs.map((p) => {
      const placed = laid.paragraphs[k++] as Laid['paragraphs'][number];
      return { text: p.sentences.map((s) => s.text).join(''), pages: placed.pages, notes: placed.notes };
    }),
  }));
  const last = (L.pages.at(-1) as Page).number;
  return {
    file,
    generator: 'pdfkit-random',
    // The journal's name is printed only in the even pages' header (the first page has none):
    // an article of one page, or of two from an even page, never names it.
    journal: L.pages.some((p, i) => i > 0 && p.number % 2 === 0) ? JOURNAL : null,
    year: spec.year,
    issue: String(spec.issue),
    articleNumber: laid.number,
    doi,
    pages: [spec.firstPage, last],
    symposium: null,
    essays: [
      {
        kind: 'essay',
        title: spec.title + (spec.subtitle ?? ''),
        authors: spec.authors.map((a) => ({ name: a.name, affiliation: a.affiliation, bio: bioOf(a) })),
        abstract: spec.abstract,
        keywords: spec.keywords,
        classification: { clc: spec.clc, documentCode: 'A', articleNumber: laid.number, doi },
        funding: spec.funding,
        received: spec.received,
        revised: spec.revised,
        english: english
          ? {
              title: english.title,
              authors: spec.authors.map((a) => a.pinyin),
              abstract: english.abstract,
              keywords: spec.keywords.map((w) => ENGLISH_KEYWORDS[w] as string),
            }
          : null,
        sections,
        footnotes: L.placedNotes.map((n, i) => ({ number: i + 1, mark: n.mark, page: n.page, text: n.note.text, urls: n.note.urls })),
      },
    ],
  };
}

async function render(spec: ArticleSpec, layout: (doc: Doc) => Laid): Promise<{ pdf: Buffer; laid: Laid }> {
  const doc = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margin: 0,
    autoFirstPage: false,
    info: { Title: 'yinzheng random article', CreationDate: new Date('2026-01-01T00:00:00Z') },
  });
  doc.registerFont('body', fontBytes(ARTICLE_FONTS.body.path), ARTICLE_FONTS.body.family);
  doc.registerFont('heading', fontBytes(ARTICLE_FONTS.heading.path), ARTICLE_FONTS.heading.family);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk) => chunks.push(chunk));
  const ended = new Promise<void>((resolve) => doc.on('end', resolve));
  const laid = layout(doc);
  draw(doc, laid, spec);
  doc.end();
  await ended;
  return { pdf: Buffer.concat(chunks), laid };
}

/** Typesets an article: the PDF's bytes, its source model and what the layout did. */
export async function typesetArticle(spec: ArticleSpec, file = 'random-article.pdf'): Promise<TypesetArticle> {
  const { pdf, laid } = await render(spec, (doc) => {
    // The 文章编号 prints the page count, known after the layout: lay out again until it holds.
    let laid = lay(doc, spec, 1);
    for (let i = 0; i < 3 && laid.layout.pages.length !== Number(laid.number.slice(-2)); i++) laid = lay(doc, spec, laid.layout.pages.length);
    return laid;
  });
  return { pdf, model: modelOf(spec, laid, file), stats: laid.layout.stats };
}

const NOTES_PAGE: ArticleSpec = {
  issue: 1,
  year: 2026,
  firstPage: 1,
  title: '注释',
  subtitle: null,
  authors: [],
  authorSeparator: '、',
  labels: 'bracket',
  abstract: '',
  keywords: [],
  keywordSeparator: '；',
  clc: 'D81',
  doi: false,
  bios: 'all',
  funding: null,
  received: null,
  revised: null,
  sections: [],
  english: null,
  footer: 'dots',
  noteWidth: 1,
  hangingNotes: true,
  layoutSeed: 1,
};

/**
 * Notes alone, for the URL property: a title, an author, a paragraph of body text and one whose
 * sentences call the notes in turn, the notes justified at the foot of the page in a column of the given width (more
 * pages when they do not fit, a note possibly continued overleaf). Returns the notes as the
 * model's footnotes.
 */
export async function typesetNotes(
  notes: NoteSpec[],
  o: { noteWidth: number; hangingNotes: boolean; layoutSeed: number },
): Promise<{ pdf: Buffer; footnotes: SourceFootnote[]; stats: LayoutStats }> {
  const spec = { ...NOTES_PAGE, ...o };
  const { pdf, laid } = await render(spec, (doc) => {
    const L = new Layout(doc, spec);
    L.block(tokenize(spec.title), { size: 17, font: 'heading', align: 'center', leading: 1.9 });
    L.block(tokenize('王海燕'), { size: 12, font: 'body', align: 'center', leading: 2.4 });
    // Body text enough to outweigh the notes (the PDF reader takes the commonest size for the body's).
    const filler = (i: number) =>
      `${SUBJECTS[i % SUBJECTS.length]}${PREDICATES[i % PREDICATES.length]}，${SUBJECTS[(i + 5) % SUBJECTS.length]}${PREDICATES[(i + 3) % PREDICATES.length]}。`;
    L.block(paragraphTokens({ sentences: Array.from({ length: 8 }, (_, i) => ({ text: filler(i), note: null, markBeforeStop: false })) }), {
      size: BODY,
      font: 'body',
      indent: BODY * 2,
    });
    const sentences = notes.map((n, i) => ({ text: filler(i + 8) + filler(i + 9), note: n, markBeforeStop: false }));
    L.block(paragraphTokens({ sentences }), { size: BODY, font: 'body', indent: BODY * 2 });
    L.stats.pages = L.pages.length;
    return { layout: L, paragraphs: [], number: '' };
  });
  const footnotes = laid.layout.placedNotes.map((n, i) => ({ number: i + 1, mark: n.mark, page: n.page, text: n.note.text, urls: n.note.urls }));
  return { pdf, footnotes, stats: laid.layout.stats };
}
