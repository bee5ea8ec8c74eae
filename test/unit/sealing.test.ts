import t from 'tap';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SealError, Sealer } from '../../src/platform/sealing.js';

t.test('a key file is made on first use and shared by every process that loads it', async (t) => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'plr-seal-')), 'keys', 'data-key.json');
  const a = Sealer.load({ dataKeyFile: file });
  const b = Sealer.load({ dataKeyFile: file });
  t.equal(statSync(file).mode & 0o777, 0o600, 'readable by its owner only');
  const sealed = a.seal('Zephyrine Quartermaine');
  t.notMatch(sealed, /Zephyrine/);
  t.not(a.seal('x'), a.seal('x'), 'a fresh IV every time');
  t.equal(b.open(sealed), 'Zephyrine Quartermaine');
  t.equal(a.index('zq@example.org'), b.index('zq@example.org'), 'the blind index is the same for every process');
  t.equal(a.sealOptional(null), null);
  t.equal(a.openOptional(null), null);
  t.equal(a.openOptional(a.sealOptional('x')), 'x');

  const newId = Sealer.rotate(file);
  const c = Sealer.load({ dataKeyFile: file });
  t.equal(c.open(sealed), 'Zephyrine Quartermaine', 'old values open after a rotation');
  t.match(c.seal('y'), new RegExp(`^s1\\.${newId}\\.`), 'new values use the new key, named beside the ciphertext');
  t.equal(c.index('zq@example.org'), a.index('zq@example.org'), 'look-ups survive the rotation');
  t.equal(JSON.parse(readFileSync(file, 'utf8')).keys.length, 2);
});

t.test('a key from DATA_KEY, and what is refused', async (t) => {
  const key = randomBytes(32).toString('base64');
  const s = Sealer.load({ dataKey: key, dataKeyFile: '/nonexistent' });
  t.equal(s.open(s.seal('x')), 'x');
  t.throws(() => Sealer.load({ dataKey: 'c2hvcnQ=', dataKeyFile: '/x' }), SealError);
  t.throws(() => s.open('plain text'), SealError, 'not a sealed value');
  const other = Sealer.load({ dataKey: randomBytes(32).toString('base64'), dataKeyFile: '/x' });
  t.throws(() => other.open(s.seal('x')), /no data key/, 'a value sealed with an unknown key');
  const tampered = s.seal('abc').slice(0, -2) + 'AA';
  t.throws(() => s.open(tampered), 'a changed ciphertext does not open');
  t.throws(() => new Sealer([], 'x'), SealError);
});
