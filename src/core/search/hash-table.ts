/*
 * A hash table of numbers in one Int32Array, for the index build's hot look-ups (a sentence's
 * text, a bigram, a run of Han characters: tens of millions on an archive). A JavaScript Map
 * keeps its buckets and its entries apart, and a string key's contents elsewhere again: three
 * reads from places far apart in memory per look-up, which is the part of a large build that
 * grew faster than the corpus. Here a slot is its hash and its value side by side, probed in
 * a row (linear probing), so a look-up is mostly one read; the caller keeps the keys and
 * tells, for a slot whose hash matches, whether its key is the one sought.
 */

export interface HashTable {
  readonly size: number;
  /**
   * The value stored under a key of this hash that `same` accepts (it is asked only of values
   * whose hash matches), or -1. After a miss, `add` stores into the slot the search ended at.
   */
  find(hash: number, same: (value: number) => boolean): number;
  /** Stores `value` (≥ 0) for the key the last `find` missed. */
  add(value: number): void;
  clear(): void;
}

const EMPTY = -1;

export function createHashTable(capacity = 1024): HashTable {
  let slots = emptySlots(capacity);
  let mask = capacity - 1;
  let size = 0;
  let missAt = -1;
  let missHash = 0;

  function grow(): void {
    const old = slots;
    slots = emptySlots((mask + 1) * 2);
    mask = slots.length / 2 - 1;
    for (let i = 0; i < old.length; i += 2) {
      const value = old[i + 1] as number;
      if (value === EMPTY) continue;
      let at = (old[i] as number) & mask;
      while (slots[2 * at + 1] !== EMPTY) at = (at + 1) & mask;
      slots[2 * at] = old[i] as number;
      slots[2 * at + 1] = value;
    }
  }

  return {
    get size() {
      return size;
    },
    find(hash, same) {
      let at = hash & mask;
      for (;;) {
        const value = slots[2 * at + 1] as number;
        if (value === EMPTY) break;
        if (slots[2 * at] === hash && same(value)) return value;
        at = (at + 1) & mask;
      }
      missAt = at;
      missHash = hash;
      return -1;
    },
    add(value) {
      if (missAt < 0) throw new Error('HashTable.add: no missed find to add after');
      slots[2 * missAt] = missHash;
      slots[2 * missAt + 1] = value;
      missAt = -1;
      // At most half full: runs of occupied slots stay short.
      if (++size * 2 > mask + 1) grow();
    },
    clear() {
      slots.fill(EMPTY);
      size = 0;
      missAt = -1;
    },
  };
}

/** Slots for `capacity` entries (a power of two): hash and value, every value EMPTY. */
function emptySlots(capacity: number): Int32Array {
  if (capacity < 2 || (capacity & (capacity - 1)) !== 0) throw new Error('createHashTable: capacity must be a power of two');
  return new Int32Array(capacity * 2).fill(EMPTY);
}

/** FNV-1a over the code units text[from, to), mixed so that its low bits are usable as a slot. */
export function hashUnits(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return mix(h);
}

/** A 32-bit number scrambled one-to-one (two keys never share a hash). */
export function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}

/** True when text a[aFrom, aTo) and b[bFrom, …) are the same code units. */
export function sameUnits(a: string, aFrom: number, aTo: number, b: string, bFrom: number, bTo: number): boolean {
  if (aTo - aFrom !== bTo - bFrom) return false;
  for (let i = 0; i < aTo - aFrom; i++) if (a.charCodeAt(aFrom + i) !== b.charCodeAt(bFrom + i)) return false;
  return true;
}
