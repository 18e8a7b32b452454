import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { BUNDLED_CORPUS_DIR, PROJECT_ROOT } from '../../src/config.js';
import { loadCorpus, parseCorpusFile } from '../../src/core/corpus/load.js';
import type { Corpus, Essay } from '../../src/core/corpus/model.js';
import { distinctiveTerms, thesisSentences } from '../../src/core/corpus/summary.js';
import type { Bot } from '../../src/core/dispatch/bot.js';
import { botOver, requester } from '../support/bot.js';
import { warmCorpus } from '../support/warm.js';

const en = requester();
const zh = requester('zh-CN');

interface AuthorResult {
  name: string;
  affiliation: string | null;
  essays: Array<{
    id: string;
    title: string;
    sections: string[];
    characters: number;
    footnoteCount: number;
    sourceCount: number;
    summary: Array<{ quote: string; passageId: string }>;
    terms: string[];
  }>;
  footnoteCount: number;
  urls: string[];
  summary: string[];
}

async function botFor(dir: string): Promise<{ bot: Bot; corpus: Corpus }> {
  const corpus = await loadCorpus(dir);
  return { corpus, bot: botOver(corpus) };
}

/** Every thesis sentence must be a sentence of the paragraph it names, character for character. */
function expectVerbatim(corpus: Corpus, summary: Array<{ quote: string; passageId: string }>): void {
  const paragraphs = new Map(corpus.files.flatMap((f) => f.essays.flatMap((e) => e.sections.flatMap((s) => s.paragraphs.map((p) => [p.id, p] as const)))));
  for (const { quote, passageId } of summary) {
    const p = paragraphs.get(passageId);
    expect(p, passageId).toBeDefined();
    expect(p?.sentences.map((s) => p.text.slice(s.start, s.end).trim())).toContain(quote);
  }
}

describe('/author on the bundled symposium', () => {
  let bot: Bot;
  let corpus: Corpus;
  beforeAll(async () => {
    ({ bot, corpus } = await botFor('data/essays'));
  });

  test('profiles 陈志敏: affiliation, essay, outline, length, notes and distinct URLs', () => {
    const reply = bot.run('author', { name: '陈志敏' }, en);
    expect(reply.error).toBeUndefined();
    expect(reply.title).toBe('Author: 陈志敏');
    const [result] = reply.results as AuthorResult[];
    expect(reply.results).toHaveLength(1);
    expect(result?.name).toBe('陈志敏');
    expect(result?.affiliation).toBe('复旦大学国际关系与公共事务学院教授、全球人工智能创新治理中心执行主任');
    expect(result?.essays.map((e) => [e.title, e.sections])).toEqual([
      [
        '引领普惠向善的人工智能全球治理：中国的角色',
        ['一、面向未来、引领人工智能全球治理议程设置', '二、共商共建、引领人工智能全球治理机制建设', '三、以人为本、促进人工智能普惠向善发展', '结语'],
      ],
    ]);
    expect(result?.footnoteCount).toBe(15);
    // 15 notes, of which five are short forms without a URL; the rest cite ten distinct URLs.
    expect(result?.urls).toHaveLength(10);
    expect(new Set(result?.urls).size).toBe(10);
    expect(result?.urls).toContain('https://doi.org/10.48550/arXiv.2504.07139');
    expect(result?.essays[0]?.sourceCount).toBe(10);
    expect(result?.essays[0]?.characters).toBeGreaterThan(4000);
  });

  test('its thesis sentences are the essay’s own, in reading order, none of them mostly quotation', () => {
    const [result] = bot.run('author', { name: '陈志敏' }, en).results as AuthorResult[];
    const summary = result?.essays[0]?.summary ?? [];
    expectVerbatim(corpus, summary);
    expect(summary[0]).toEqual({ quote: '人工智能治理攸关全人类的共同命运。', passageId: 'chen-zhimin-ylph.1' });
    expect(summary.map((s) => s.passageId)).toEqual([
      'chen-zhimin-ylph.1',
      'chen-zhimin-ylph.1',
      'chen-zhimin-ylph.2',
      'chen-zhimin-ylph.7',
      'chen-zhimin-ylph.11',
      'chen-zhimin-ylph.16',
    ]);
    // The conclusion opens with a quotation of someone else; its own closing claim is chosen.
    expect(summary.at(-1)?.quote).toBe(
      '随着中国对全球治理的认识不断深化、各项治理倡议陆续出台、政产学研全面参与，中国在人工智能全球治理领域中的引领作用将持续提升。',
    );
    expect(result?.summary).toEqual(summary.map((s) => s.quote));
  });

  test('its distinctive terms are words of the essay, compounds kept whole', () => {
    const [result] = bot.run('author', { name: '陈志敏' }, en).results as AuthorResult[];
    const terms = result?.essays[0]?.terms ?? [];
    expect(terms[0]).toBe('人工智能');
    expect(terms).toContain('全球南方');
    expect(terms).not.toContain('人工');
    expect(terms).not.toContain('智能');
    const text = corpus.files[0]?.essays[1]?.sections.flatMap((s) => s.paragraphs.map((p) => p.text)).join('') ?? '';
    for (const t of terms) expect(text).toContain(t);
  });

  test.each([['chen zhimin'], ['Zhimin Chen'], ['陳志敏']])('finds the author by %s', (name) => {
    const reply = bot.run('author', { name }, en);
    expect((reply.results as AuthorResult[]).map((r) => r.name)).toEqual(['陈志敏']);
  });

  test('an essay cut off after its first sentence has an outline and no thesis', () => {
    const [result] = bot.run('author', { name: '吴志成' }, en).results as AuthorResult[];
    expect(result?.essays[0]).toMatchObject({ title: '深刻把握全球治理倡议的时代意义', sections: [], footnoteCount: 0, sourceCount: 0, summary: [] });
  });

  test('an unknown name lists the authors, with empty results', () => {
    const reply = bot.run('author', { name: '鲁迅' }, en);
    expect(reply.error).toBeUndefined();
    expect(reply.results).toEqual([]);
    expect(reply.message).toBe('No author in the corpus has that name (Chinese, pinyin or Traditional characters all work). The authors: 陈志敏, 吴志成.');
    const zhReply = bot.run('author', { name: '鲁迅' }, zh);
    expect(zhReply.message).toBe('语料中没有这位作者（中文、拼音、繁体均可）。全部作者：陈志敏、吴志成。');
  });

  test('labels follow the locale', () => {
    const reply = bot.run('author', { name: '陈志敏' }, zh);
    expect(reply.title).toBe('作者：陈志敏');
    const fields = reply.blocks.flatMap((b) => (b.kind === 'fields' ? b.fields.map((f) => f.label) : []));
    expect(fields).toEqual(['单位', '文章', '章节', '篇幅', '脚注', '来源（不重复网址）', '特色词语']);
  });

  test('offers the sources of each essay as an action', () => {
    expect(bot.run('author', { name: '陈志敏' }, en).actions).toEqual([{ kind: 'sources', command: 'sources', input: { essay: 'chen-zhimin-ylph' } }]);
  });

  test('refuses an empty or punctuation-only name', () => {
    expect(bot.runLine('/author', en).error?.code).toBe('invalid_input');
    expect(bot.runLine('/author ？！', en).error).toEqual({
      code: 'invalid_input',
      message: '/author name has no letters or digits: type words from the essays.',
    });
  });
});

describe('/author on a fixture', () => {
  test('profiles an author of a small symposium, thesis sentences from the opening, each section and the conclusion', async () => {
    const { bot, corpus } = await botFor('test/fixtures/cite');
    const [result] = bot.run('author', { name: 'wang xiaoming' }, en).results as AuthorResult[];
    expect(result).toMatchObject({
      name: '王小明',
      affiliation: '某大学海洋研究院教授',
      footnoteCount: 3,
      urls: ['https://example.org/isa-2023', 'https://example.org/isa-draft'],
    });
    expect(result?.summary).toEqual([
      '深海资源开发是海洋治理的前沿议题。',
      '本文认为，中国应当以规则建构引领深海资源开发的国际合作。',
      '现有深海规则呈现明显的碎片化特征，亟需国际社会凝聚共识。',
      '中国主张深海资源开发应当兼顾开发与保护，推动建立公平合理的深海规则体系。',
      '中国将以深海规则建构为抓手，持续推动深海资源开发的国际合作。',
    ]);
    expectVerbatim(corpus, result?.essays[0]?.summary ?? []);
  });
});

describe('distinctive terms', () => {
  const single = (text: string): Essay => {
    const file = parseCorpusFile('one.txt', text, 'hash');
    return file.essays[0] as Essay;
  };

  test('work on a corpus of one essay, ranked by frequency', () => {
    const essay = single('航运安全研究\n\n钱一\n\n航运安全关系到全球供应链。航运安全需要港口合作，港口合作需要规则。航运安全也需要技术。\n');
    expect(essay.title).toBe('航运安全研究');
    const terms = distinctiveTerms(essay, [essay]);
    expect(terms.slice(0, 2)).toEqual(['航运安全', '港口合作']);
  });

  test('weigh down terms the rest of the corpus uses as much', () => {
    const a = single('甲文\n\n钱一\n\n治理很重要。治理是关键。治理在进步。港口在扩建。港口要开放。\n');
    const b = single('乙文\n\n孙二\n\n治理很重要。\n');
    expect(distinctiveTerms(a, [a]).slice(0, 2)).toEqual(['治理', '港口']);
    expect(distinctiveTerms(a, [a, b]).slice(0, 2)).toEqual(['港口', '治理']);
  });

  test('a thesis is never picked from an unfinished sentence', () => {
    const essay = single('残篇\n\n钱一\n\n这是一篇只有半句话而且没有结束的文章，它的句子在这里被截断了\n');
    expect(thesisSentences(essay)).toEqual([]);
  });
});

describe('/author on a corpus read back from the parse cache', () => {
  test('makes the paragraphs of the author’s essays only, and answers as over a fresh parse', async () => {
    const warm = await warmCorpus([
      join(BUNDLED_CORPUS_DIR, 'global-governance-symposium.txt'),
      join(PROJECT_ROOT, 'test', 'fixtures', 'search', 'water-symposium.txt'),
    ]);
    try {
      expect(warm.made()).toEqual([]);
      const reply = warm.bot.run('author', { name: '欧阳明' }, en);
      expect(reply.error).toBeUndefined();
      expect(reply.results).toEqual(botOver(warm.fresh).run('author', { name: '欧阳明' }, en).results);
      // The background the terms are weighed against is a sample of every essay's text, read
      // from the cache without making the other essays' paragraphs.
      expect(warm.made().length).toBeGreaterThan(0);
      expect(warm.made().every((e) => e.authors.some((a) => a.name === '欧阳明'))).toBe(true);
    } finally {
      await warm.remove();
    }
  });
});
