/**
 * Opaque secrets handed out once: refresh tokens, set-password tokens and API client
 * secrets. Each is `<id>.<secret>` (or a client id with a separate secret): the id finds
 * the stored record, the secret is compared with its stored SHA-256 in constant time.
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

export function secretMatches(secret: string, storedHash: string | null | undefined): boolean {
  if (typeof storedHash !== 'string' || !/^[0-9a-f]{64}$/.test(storedHash)) return false;
  return timingSafeEqual(Buffer.from(hashSecret(secret), 'hex'), Buffer.from(storedHash, 'hex'));
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
