/**
 * Opaque secrets handed out once: refresh tokens, set-password tokens and API client
 * secrets. Each is `<id>.<secret>` (or a client id with a separate secret): the id finds
 * the stored record, the secret is compared with its stored check value in constant time:
 * its SHA-256, keyed with a pepper from the data key (HMAC) by the repositories, so a copy
 * of the graph alone does not even allow guessing (docs/analytics.md, the second wall).
 *
 * SHA-256 and not scrypt: these secrets are 256 random bits, not something a person chose,
 * so a fast hash is enough to make a stolen database useless and keeps each check cheap.
 */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Whether a presented secret is the one whose check value is stored. The graph holds the
 * hash keyed with the data key's pepper (repositories key it on the way in), so the
 * candidate is keyed the same way before the constant-time comparison.
 */
export function secretMatches(
  secret: string,
  storedHash: string | null | undefined,
  pepper: { keyedHash(hash: string): string },
): boolean {
  if (typeof storedHash !== 'string' || !/^[0-9a-f]{64}$/.test(storedHash)) return false;
  return timingSafeEqual(Buffer.from(pepper.keyedHash(hashSecret(secret)), 'hex'), Buffer.from(storedHash, 'hex'));
}

/** A new `<id>.<secret>` token with the hash to store. */
export function newOpaqueToken(id: string = randomUUID()): { id: string; token: string; hash: string } {
  const secret = newSecret();
  return { id, token: `${id}.${secret}`, hash: hashSecret(secret) };
}

/** Split `<id>.<secret>`; null when it is not that shape. */
export function splitOpaqueToken(token: string): { id: string; secret: string } | null {
  const m = /^([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{43})$/.exec(token);
  return m ? { id: m[1], secret: m[2] } : null;
}
