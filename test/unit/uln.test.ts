import t from 'tap';
import { isValidUln, ulnCheckDigit, ulnProblem, TEMPORARY_ULN } from '../../src/learners/uln.js';

t.test('the worked example of SPEC section 2 is valid', async (t) => {
  t.equal(ulnProblem('9276308686'), null);
  t.equal(ulnCheckDigit('927630868'), 6);
});

t.test('every rule has its own answer', async (t) => {
  t.equal(ulnProblem(''), 'missing');
  t.equal(ulnProblem(undefined), 'missing');
  t.equal(ulnProblem('927630868'), 'not-ten-digits');
  t.equal(ulnProblem('92763086866'), 'not-ten-digits');
  t.equal(ulnProblem('92763O8686'), 'not-ten-digits');
  t.equal(ulnProblem('0276308686'), 'leading-zero');
  t.equal(ulnProblem('9276308685'), 'check-digit');
});

t.test('a prefix whose weighted sum is a multiple of 11 has no valid ULN', async (t) => {
  let prefix = '';
  for (let n = 100000000; n < 100001000; n++) {
    if (ulnCheckDigit(String(n)) === null) {
      prefix = String(n);
      break;
    }
  }
  t.not(prefix, '');
  for (let d = 0; d <= 9; d++) t.equal(ulnProblem(prefix + d), 'no-valid-check-digit');
});

t.test('check digit agrees with the whole-number rule for many prefixes', async (t) => {
  const weights = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  for (let n = 123456789; n < 123456789 + 500; n++) {
    const p = String(n);
    const c = ulnCheckDigit(p);
    if (c === null) continue;
    const uln = p + c;
    const sum = [...uln].reduce((s, ch, i) => s + Number(ch) * weights[i], 0);
    t.equal(sum % 11, 10, uln);
    t.ok(isValidUln(uln));
  }
});

t.test('the temporary ULN placeholder is refused with its own reason', async (t) => {
  t.equal(TEMPORARY_ULN, '9999999999');
  t.equal(ulnProblem(TEMPORARY_ULN), 'temporary');
  t.notOk(isValidUln(TEMPORARY_ULN));
});
