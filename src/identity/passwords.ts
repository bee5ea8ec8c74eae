/**
 * Password hashing with scrypt (memory-hard, from node:crypto). Each hash carries its own
 * salt and cost parameters, so the cost can be raised later without invalidating stored
 * hashes: a hash made with weaker parameters still verifies, and `needsRehash` says when to
 * replace it after a successful sign-in. Comparison is constant-time.
 *
 * Stored form: `scrypt$N$r$p$<salt base64url>$<key base64url>`.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number;
  r: number;
  p: number;
  keyLength: number;
  saltLength: number;
}

/** About 32 MiB and some tens of milliseconds per hash on the project's machines. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1, keyLength: 32, saltLength: 16 };

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

function scrypt(password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCb(password.normalize('NFKC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key)));
  });
}

function scryptOptions(p: Pick<ScryptParams, 'N' | 'r' | 'p'>): ScryptOptions {
  // Node refuses by default above 32 MiB; allow twice what the parameters need.
  return { N: p.N, r: p.r, p: p.p, maxmem: 256 * p.N * p.r + 1024 * 1024 };
}

/** Why a new password is not acceptable, or null. Length is the rule (NCSC guidance), not character classes. */
export function passwordProblem(password: unknown): string | null {
  if (typeof password !== 'string') return 'the password must be text';
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `the password must have at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `the password must have at most ${PASSWORD_MAX_LENGTH} characters`;
  if (password.trim().length === 0) return 'the password must not be only spaces';
  return null;
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(params.saltLength);
  const key = await scrypt(password, salt, params.keyLength, scryptOptions(params));
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  key: Buffer;
}

function parseHash(stored: string): ParsedHash | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N, r, p] = parts.slice(1, 4).map((n) => (/^[0-9]{1,10}$/.test(n) ? Number(n) : NaN));
  if (!Number.isInteger(N) || N < 2 || (N & (N - 1)) !== 0 || !(r >= 1 && r <= 64) || !(p >= 1 && p <= 16)) return null;
  const salt = Buffer.from(parts[4], 'base64url');
  const key = Buffer.from(parts[5], 'base64url');
  if (salt.length < 8 || key.length < 16) return null;
  return { N, r, p, salt, key };
}

/** True when the password matches the stored hash; false for a wrong password or a malformed hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const key = await scrypt(password, parsed.salt, parsed.key.length, scryptOptions(parsed));
  return timingSafeEqual(key, parsed.key);
}

/** Whether a stored hash was made with other (older) parameters than the ones given. */
export function needsRehash(stored: string, params: ScryptParams = DEFAULT_SCRYPT): boolean {
  const parsed = parseHash(stored);
  return (
    !parsed ||
    parsed.N !== params.N ||
    parsed.r !== params.r ||
    parsed.p !== params.p ||
    parsed.key.length !== params.keyLength
  );
}

let dummy: Promise<string> | undefined;
/**
 * A hash of nothing anyone knows, verified against when the email is unknown (or the user
 * has no password yet) so that those answers take as long as a wrong password.
 */
export function dummyHash(params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  dummy ??= hashPassword(randomBytes(24).toString('base64url'), params);
  return dummy;
}
