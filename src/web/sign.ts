import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Signed reader links. A link names what it opens (a passage and the quoted span, or an
 * essay) and until when; its signature is an HMAC-SHA256 of exactly that under READER_SECRET.
 * A reader can open what a link names plus the essay around it, and nothing else: changing
 * the passage, the span or the expiry breaks the signature.
 */

export interface Grant {
  /** `p/<passage-id>` or `e/<essay-id>`. */
  target: string;
  /** `start-end` of the passage's text, or '' for none. */
  span: string;
  /** Unix seconds. */
  expires: number;
}

function mac(secret: string, g: Grant): string {
  return createHmac('sha256', secret).update(`${g.target}\n${g.span}\n${g.expires}`).digest('base64url').slice(0, 32);
}

export function sign(secret: string, g: Grant): string {
  return mac(secret, g);
}

export type Verdict = 'ok' | 'expired' | 'forged';

export function verify(secret: string, g: Grant, signature: string | null, now = Date.now() / 1000): Verdict {
  if (!signature || !Number.isFinite(g.expires)) return 'forged';
  const expected = Buffer.from(mac(secret, g));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'forged';
  return g.expires < now ? 'expired' : 'ok';
}
