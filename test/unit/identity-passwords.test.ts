import t from 'tap';
import {
  hashPassword,
  verifyPassword,
  needsRehash,
  passwordProblem,
  dummyHash,
  DEFAULT_SCRYPT,
  type ScryptParams,
} from '../../src/identity/passwords.js';
import { hashSecret, newOpaqueToken, secretMatches, splitOpaqueToken } from '../../src/identity/secrets.js';
import { Sealer } from '../../src/platform/sealing.js';
import { randomBytes } from 'node:crypto';

// Cheap parameters keep the unit tests quick; one test uses the real ones.
const FAST: ScryptParams = { N: 1024, r: 8, p: 1, keyLength: 32, saltLength: 16 };

t.test('a password verifies against its own hash and no other', async (t) => {
  const hash = await hashPassword('correct horse battery staple', FAST);
  t.match(hash, /^scrypt\$1024\$8\$1\$[A-Za-z0-9_-]+\$[A-Za-z0-9_-]+$/, 'the parameters are stored with the hash');
  t.equal(await verifyPassword('correct horse battery staple', hash), true);
  t.equal(await verifyPassword('correct horse battery stapl', hash), false);
  t.equal(await verifyPassword('Correct horse battery staple', hash), false);
  t.equal(await verifyPassword('', hash), false);
});

t.test('each hash has its own salt', async (t) => {
  const a = await hashPassword('the same password', FAST);
  const b = await hashPassword('the same password', FAST);
  t.not(a, b);
  t.not(a.split('$')[4], b.split('$')[4], 'different salts');
  t.ok(await verifyPassword('the same password', a));
  t.ok(await verifyPassword('the same password', b));
});

t.test('the default parameters are memory-hard and still verify', async (t) => {
  t.ok(DEFAULT_SCRYPT.N >= 2 ** 15, 'N is at least 2^15');
  const hash = await hashPassword('a long enough password', DEFAULT_SCRYPT);
  t.ok(await verifyPassword('a long enough password', hash));
  t.equal(needsRehash(hash), false);
});

t.test('a hash made with other parameters verifies and asks to be rehashed', async (t) => {
  const old = await hashPassword('an older password hash', FAST);
  t.ok(await verifyPassword('an older password hash', old), 'the stored parameters are used');
  t.equal(needsRehash(old), true);
  t.equal(needsRehash(old, FAST), false);
});

t.test('malformed hashes never verify and never throw', async (t) => {
  for (const bad of [
    '',
    'plain',
    'scrypt$1024$8$1$c2FsdA',
    'bcrypt$1024$8$1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAA',
    'scrypt$1000$8$1$AAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    'scrypt$1024$99$1$AAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAA',
  ]) {
    t.equal(await verifyPassword('anything at all', bad), false, JSON.stringify(bad));
    t.equal(needsRehash(bad), true);
  }
});

t.test('the dummy hash is a real hash nobody knows the password of', async (t) => {
  const h = await dummyHash(FAST);
  t.equal(h, await dummyHash(FAST), 'made once');
  t.equal(await verifyPassword('', h), false);
  t.equal(await verifyPassword('password1234', h), false);
});

t.test('password rules: length, not character classes', async (t) => {
  t.equal(passwordProblem('twelve chars'), null);
  t.equal(passwordProblem('🙂'.repeat(12)), null, 'length counts characters, not UTF-16 units');
  t.match(passwordProblem('short'), /at least 12/);
  t.match(passwordProblem('x'.repeat(201)), /at most 200/);
  t.match(passwordProblem(' '.repeat(20)), /only spaces/);
  t.match(passwordProblem(12345678901234), /text/);
});

t.test('opaque tokens: id and secret, only the hash is kept, compared in constant time', async (t) => {
  const made = newOpaqueToken();
  const parts = splitOpaqueToken(made.token);
  t.ok(parts);
  t.equal(parts!.id, made.id);
  t.equal(hashSecret(parts!.secret), made.hash);
  t.notMatch(made.hash, parts!.secret, 'the hash is not the secret');
  // The graph holds the hash keyed with the data key's pepper; the candidate is keyed the same way.
  const pepper = Sealer.load({ dataKey: randomBytes(32).toString('base64'), dataKeyFile: '/unused' });
  const stored = pepper.keyedHash(made.hash);
  t.not(stored, made.hash, 'the stored value is not the bare hash');
  t.equal(secretMatches(parts!.secret, stored, pepper), true);
  t.equal(secretMatches(parts!.secret, made.hash, pepper), false, 'the bare hash does not pass');
  t.equal(secretMatches(parts!.secret.slice(1) + 'A', stored, pepper), false);
  t.equal(secretMatches(parts!.secret, null, pepper), false);
  t.equal(secretMatches(parts!.secret, 'not-a-hash', pepper), false);
  for (const bad of ['', 'nodot', `${made.id}.short`, `${made.id}.${parts!.secret}.extra`, `a b.${parts!.secret}`]) {
    t.equal(splitOpaqueToken(bad), null, JSON.stringify(bad));
  }
  t.not(newOpaqueToken().token, made.token, 'tokens differ');
});
