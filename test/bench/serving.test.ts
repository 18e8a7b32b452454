import { describe, expect, it } from 'vitest';
import { ALIKE_COMMANDS, alikePeakMb } from '../../bench/serving.js';

describe("the size child's peak over the commands both builds have alike", () => {
  const timing = (name: string, peakRssMb: number) => ({ name, peakRssMb });

  it('is the peak after the last of them, when they ran first', () => {
    const commands = [timing('quote', 100), timing('who', 104), timing('author', 107), timing('sources', 111), timing('essays', 140), timing('cite', 141)];
    expect(ALIKE_COMMANDS).toEqual(['quote', 'who', 'author', 'sources']);
    expect(alikePeakMb(commands)).toBe(111);
  });

  it('is not read when another command ran among them, or one is missing', () => {
    expect(alikePeakMb([timing('quote', 100), timing('essays', 140), timing('who', 141), timing('author', 142), timing('sources', 143)])).toBeNull();
    expect(alikePeakMb([timing('quote', 100), timing('who', 104), timing('author', 107)])).toBeNull();
  });
});
