/**
 * Application-level encryption of values the graph must hold but analysts must never
 * read (docs/analytics.md, "The second wall"). AES-256-GCM from node:crypto with a data
 * key from configuration (DATA_KEY, or DATA_KEY_FILE generated on first use like the
 * signing key): the same key for every process, so it belongs in the backup with the
 * signing-key ring. A sealed value carries the id of the key that sealed it, so the key
 * can be rotated: new values use the current key, old ones open with theirs.
 *
 * Format: `s1.<keyId>.<iv>.<ciphertext+tag>` (base64url). The console never holds the key.
 */
import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const PREFIX = 's1';

interface KeyFile {
  current: string;
  keys: { id: string; key: string; createdAt: string }[];
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}

export class SealError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealError';
  }
}

export class Sealer {
  private readonly keys: Map<string, Buffer>;
  private readonly indexKey: Buffer;

  constructor(
    keys: { id: string; key: Buffer }[],
    private readonly currentId: string,
  ) {
    this.keys = new Map(keys.map((k) => [k.id, k.key]));
    if (!this.keys.has(currentId)) throw new SealError('the current data key is not in the key list');
    // The index key comes from the first key of the ring, so look-ups keep working after a rotation.
    this.indexKey = Buffer.from(hkdfSync('sha256', keys[0].key, Buffer.alloc(0), 'plr blind index v1', 32));
  }

  /** A sealer from a 32-byte key given as base64 (DATA_KEY) or from the key file, created when missing. */
  static load(opts: { dataKey?: string; dataKeyFile: string }): Sealer {
    if (opts.dataKey) {
      const key = Buffer.from(opts.dataKey.trim(), 'base64');
      if (key.length !== 32) throw new SealError('DATA_KEY must be 32 bytes, base64-encoded');
      return new Sealer([{ id: keyId(key), key }], keyId(key));
    }
    if (!existsSync(opts.dataKeyFile)) Sealer.create(opts.dataKeyFile);
    const file = JSON.parse(readFileSync(opts.dataKeyFile, 'utf8')) as KeyFile;
    return new Sealer(
      file.keys.map((k) => ({ id: k.id, key: Buffer.from(k.key, 'base64') })),
      file.current,
    );
  }

  /** Write a new key file; when another process wrote one first, keep theirs. */
  private static create(file: string): void {
    mkdirSync(path.dirname(file), { recursive: true });
    const key = randomBytes(32);
    const body: KeyFile = {
      current: keyId(key),
      keys: [{ id: keyId(key), key: key.toString('base64'), createdAt: new Date().toISOString() }],
    };
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(tmp, JSON.stringify(body, null, 2), { mode: 0o600 });
    if (existsSync(file)) return;
    renameSync(tmp, file);
  }

  /** Add a new current key to a key file; old values still open with their own key. */
  static rotate(file: string): string {
    const body = JSON.parse(readFileSync(file, 'utf8')) as KeyFile;
    const key = randomBytes(32);
    body.keys.push({ id: keyId(key), key: key.toString('base64'), createdAt: new Date().toISOString() });
    body.current = keyId(key);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(body, null, 2), { mode: 0o600 });
    renameSync(tmp, file);
    return body.current;
  }

  seal(plain: string): string {
    const key = this.keys.get(this.currentId)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}.${this.currentId}.${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  /** Seal a value that may be absent: null and undefined stay null. */
  sealOptional(plain: string | null | undefined): string | null {
    return plain === null || plain === undefined ? null : this.seal(plain);
  }

  open(sealed: string): string {
    const [prefix, id, iv, body] = sealed.split('.');
    if (prefix !== PREFIX || !id || !iv || !body) throw new SealError('not a sealed value');
    const key = this.keys.get(id);
    if (!key) throw new SealError(`no data key ${id}: restore the data key file from the backup`);
    const raw = Buffer.from(body, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    return Buffer.concat([decipher.update(raw.subarray(0, raw.length - 16)), decipher.final()]).toString('utf8');
  }

  openOptional(sealed: unknown): string | null {
    return typeof sealed === 'string' ? this.open(sealed) : null;
  }

  /** A secret's check value as stored: HMAC-SHA256 (hex) of its hash, keyed with the index key (a pepper the graph does not hold). */
  keyedHash(hash: string): string {
    return createHmac('sha256', this.indexKey).update(hash, 'utf8').digest('hex');
  }

  /** A keyed hash (HMAC-SHA256, base64url) for looking a value up without storing it: a blind index, or a secret's check value. */
  index(value: string): string {
    return createHmac('sha256', this.indexKey).update(value, 'utf8').digest('base64url');
  }
}
