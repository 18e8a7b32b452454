import { describe, expect, it } from 'vitest';
import { label, localized, toTraditional, zh } from '../../../src/core/reply/traditional.js';

describe('Traditional labels', () => {
  it('converts the bot’s own words for zh-TW and zh-HK and leaves zh-CN and English alone', () => {
    expect(label('zh-TW', 'Sources', '出处')).toBe('出處');
    expect(label('zh-HK', 'Sources', '出处')).toBe('出處');
    expect(label('zh-CN', 'Sources', '出处')).toBe('出处');
    expect(label('en', 'Sources', '出处')).toBe('Sources');
  });

  it('keeps interpolated values verbatim: a name in Simplified characters stays as the essay prints it', () => {
    const names = '陈志敏、刘丰';
    expect(label('zh-TW', `Authors: ${names}`, zh`作者有：${names}。`)).toBe(`作者有：${names}。`);
    expect(label('zh-CN', `Authors: ${names}`, zh`作者有：${names}。`)).toBe(`作者有：${names}。`);
    expect(toTraditional(names, 'tw')).not.toBe(names); // the conversion the label avoided
    const T = localized({
      en: { unknown: (n: string) => `Unknown. Authors: ${n}.`, oneOf: (c: string[]) => c.join(', '), pages: 'pages' },
      'zh-CN': { unknown: (n: string) => `没有这位作者。全部作者：${n}。`, oneOf: (c: string[]) => `可选 ${c.join('、')}`, pages: '页码' },
    });
    expect(T['zh-TW'].unknown(names)).toBe(`沒有這位作者。全部作者：${names}。`);
    expect(T['zh-HK'].oneOf(['简', '繁'])).toBe('可選 简、繁');
    expect(T['zh-TW'].pages).toBe('頁碼');
    expect(T['zh-CN'].unknown(names)).toBe(`没有这位作者。全部作者：${names}。`);
  });
});
