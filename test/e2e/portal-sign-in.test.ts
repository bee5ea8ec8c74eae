/**
 * Browser journeys: the start page in English and Welsh, signing in (wrong password,
 * locked account, then right), who am I, signing out, a form whose CSRF token is gone,
 * an idle session; the core journey again with JavaScript switched off.
 */
import t from 'tap';
import { PRINCIPALS, bearer, setupApp } from '../helpers/app.js';
import { credit, learner, loadSample, recordUnitCredits, upsertLearners } from '../helpers/fixtures.js';
import { browserFor } from '../helpers/portal.js';
import { startSmtp } from '../helpers/smtp.js';
import { axeSummary, check, launch, listen, newContext, shoot, watchConsole } from '../helpers/browser.js';

const smtp = await startSmtp();
t.teardown(() => smtp.close());
const { app } = await setupApp(t, {
  SMTP_URL: smtp.url,
  PORTAL_IDLE_SECONDS: '6',
  RATE_LIMIT_SIGNIN_IP: '1000/60',
});
const PASSWORD = 'an adviser password of decent length';
const operator = await bearer(app, 'operator');
await app.inject({
  method: 'POST',
  url: '/organisations',
  headers: operator,
  payload: { ukprn: '10000003', name: 'Northshire Careers', nation: 'GB-WLS', kind: 'careers' },
});
async function user(email: string): Promise<void> {
  const n = smtp.messages.length;
  await app.inject({
    method: 'POST',
    url: '/organisations/10000003/users',
    headers: operator,
    payload: { email, roles: ['careers-adviser'] },
  });
  const [mail] = (await smtp.waitFor(n + 1)).slice(n);
  const token = decodeURIComponent(/token=([^\s]+)/.exec(mail.text)![1]);
  const res = await app.inject({ method: 'POST', url: '/auth/set-password', payload: { token, password: PASSWORD } });
  if (res.statusCode !== 204 && res.statusCode !== 200) throw new Error(`set-password ${res.statusCode}`);
}
await user('adviser.one@example.org');
await user('adviser.locked@example.org');
const base = await listen(app);
const browser = await launch(t);

t.test('start page, in English and in Welsh', async (t) => {
  const context = await newContext(browser, base);
  const page = await context.newPage();
  watchConsole(t, page);
  await page.goto('/');
  t.equal(await page.textContent('h1'), 'Your Personal Learning Record');
  t.equal(await page.getAttribute('html', 'lang'), 'en');
  t.match(
    (await page.getAttribute('body', 'class')) ?? '',
    /govuk-frontend-supported/,
    'the nonce let the inline script run',
  );
  await check(t, page, 'start-en');
  await page.click('a[hreflang="cy"]');
  t.equal(await page.getAttribute('html', 'lang'), 'cy');
  t.equal(await page.textContent('h1'), 'Eich Cofnod Dysgu Personol');
  await check(t, page, 'start-cy');
  for (const link of ['Datganiad hygyrchedd', 'Cwcis', 'Preifatrwydd']) {
    await page.click(`footer >> text=${link}`);
    t.equal((await page.textContent('h1'))?.trim(), link);
    await check(t, page);
  }
  await page.click('a[hreflang="en"]');
  await page.click('footer >> text=Accessibility statement');
  await check(t, page);
  await context.close();
});

t.test('sign in: a wrong password, then the right one; who am I; sign out', async (t) => {
  const context = await newContext(browser, base);
  const page = await context.newPage();
  watchConsole(t, page);
  await page.goto('/account');
  t.match(page.url(), /\/sign-in\?next=%2Faccount/, 'a page that needs sign-in sends you to sign in');
  await check(t, page, 'sign-in');
  await page.fill('#email', 'adviser.one@example.org');
  await page.fill('#password', 'not my password at all');
  await page.click('button:has-text("Sign in")');
  t.equal((await page.textContent('.govuk-error-summary__title'))?.trim(), 'There is a problem');
  t.equal(await page.inputValue('#email'), 'adviser.one@example.org', 'what was typed is kept');
  t.match(await page.title(), /^Error: /);
  await check(t, page, 'sign-in-wrong-password');
  await page.click('.govuk-error-summary a');
  t.equal(await page.evaluate(() => document.activeElement?.id), 'email', 'the summary link moves focus');
  await page.fill('#password', PASSWORD);
  await page.click('button:has-text("Sign in")');
  t.match(page.url(), /\/account$/);
  t.match(await page.textContent('main'), /adviser\.one@example\.org/);
  t.match(await page.textContent('main'), /Northshire Careers/);
  await check(t, page, 'account');
  await page.click('button:has-text("Sign out")');
  t.match(page.url(), /\/signed-out$/);
  await check(t, page);
  await page.goto('/account');
  t.match(page.url(), /\/sign-in/, 'signed out for real');
  await context.close();
});

t.test('a locked account is told the same as a wrong password, even with the right one', async (t) => {
  const context = await newContext(browser, base);
  const page = await context.newPage();
  await page.goto('/sign-in');
  for (let i = 0; i < 5; i++) {
    await page.fill('#email', 'adviser.locked@example.org');
    await page.fill('#password', `wrong password number ${i}`);
    await page.click('button:has-text("Sign in")');
  }
  await page.fill('#email', 'adviser.locked@example.org');
  await page.fill('#password', PASSWORD);
  await page.click('button:has-text("Sign in")');
  t.match(page.url(), /\/sign-in$/, 'not signed in');
  t.match(await page.textContent('.govuk-error-summary'), /locked for 15 minutes/);
  await check(t, page, 'sign-in-locked');
  await context.close();
});

t.test('a form whose CSRF token is missing is refused', async (t) => {
  const context = await newContext(browser, base);
  const page = await context.newPage();
  await page.goto('/sign-in');
  await page.evaluate(() => document.querySelector('input[name="_csrf"]')?.remove());
  await page.fill('#email', 'adviser.one@example.org');
  await page.fill('#password', PASSWORD);
  await page.click('button:has-text("Sign in")');
  t.equal((await page.textContent('h1'))?.trim(), 'This form has expired');
  await check(t, page, 'csrf-refused');
  await context.close();
});

t.test('an idle session ends', async (t) => {
  const context = await newContext(browser, base);
  const page = await context.newPage();
  await page.goto('/sign-in?lang=cy');
  await page.fill('#email', 'adviser.one@example.org');
  await page.fill('#password', PASSWORD);
  await page.click('button:has-text("Mewngofnodi")');
  t.match(page.url(), /\/account$/);
  await check(t, page, 'account-cy');
  await new Promise((r) => setTimeout(r, 6_500));
  await page.reload();
  t.match(page.url(), /ended=idle/);
  t.match(await page.textContent('main'), /Cawsoch eich allgofnodi/);
  await check(t, page, 'sign-in-idle-cy');
  await context.close();
});

t.test('without JavaScript: sign in, who am I, sign out', async (t) => {
  const context = await newContext(browser, base, { javaScript: false });
  const page = await context.newPage();
  await page.goto('/');
  await page.click('text=Start now');
  await page.fill('#email', 'adviser.one@example.org');
  await page.fill('#password', PASSWORD);
  await page.click('button:has-text("Sign in")');
  t.match(page.url(), /\/account$/);
  t.match(await page.textContent('main'), /Northshire Careers/);
  // axe runs scripts in the page, which JavaScript switched off forbids: the same pages were checked above.
  await shoot(page, 'account-no-js');
  await page.click('button:has-text("Sign out")');
  t.match(page.url(), /\/signed-out$/);
  await context.close();
});

t.teardown(() => {
  const pages = axeSummary.length;
  const violations = axeSummary.reduce((n, s) => n + s.violations, 0);
  console.log(`# axe: ${pages} page checks, ${violations} violations`);
});

t.test('a learner: my record, who can see it (switched off and on), who looked, in English and Welsh', async (t) => {
  const catalogue = await loadSample(app.deps.graph);
  const qualification = catalogue.qualifications[0];
  const [unit] = qualification.groups.flatMap((g) => g.units);
  const uln = PRINCIPALS.learner.uln!;
  await upsertLearners(app.deps.graph, [
    learner(uln, { givenName: 'Eirlys', familyName: 'Prydderch', available: true }),
  ]);
  await recordUnitCredits(app.deps.graph, [credit(catalogue, uln, unit, 'E2E-REC-1', { aoUkprn: '10000001' })]);
  // An adviser reads the record, so that the access log has a line.
  await app.inject({ url: `/learners/${uln}/record`, headers: await bearer(app, 'careers-adviser') });

  const session = await browserFor(app, 'learner');
  const context = await newContext(browser, base);
  await context.addCookies([
    { name: 'plr_session', value: session.cookie.split('=')[1], url: base, httpOnly: true, sameSite: 'Lax' },
  ]);
  const page = await context.newPage();
  watchConsole(t, page);
  await page.goto('/my-record');
  t.match(await page.textContent('main'), /E2E|Eirlys/);
  t.match(await page.textContent('main'), new RegExp(unit));
  await check(t, page, 'learner-record-en');
  const pdf = await context.request.get('/my-record.pdf');
  t.equal(pdf.status(), 200);
  t.equal(pdf.headers()['content-type'], 'application/pdf');
  t.equal((await pdf.body()).subarray(0, 5).toString(), '%PDF-', 'the record as a PDF');
  await page.click('text=Who can see my record');
  await page.check('#available-2');
  await page.click('button:has-text("Save")');
  t.match(await page.textContent('.govuk-notification-banner'), /now unavailable/);
  t.match(await page.textContent('#availability-now'), /unavailable/);
  await check(t, page, 'learner-availability-en');
  await page.check('#available');
  await page.click('button:has-text("Save")');
  t.match(await page.textContent('#availability-now'), /is available/);
  await page.goto('/my-record/access-log');
  t.match(await page.textContent('main'), /Your record/);
  await check(t, page, 'learner-access-log-en');
  for (const url of ['/my-record?lang=cy', '/my-record/availability', '/my-record/access-log']) {
    await page.goto(url);
    t.equal(await page.getAttribute('html', 'lang'), 'cy');
    await check(t, page, `learner-${url.split('?')[0].split('/').pop()}-cy`);
  }
  t.match(await page.textContent('h1'), /Pwy edrychodd ar fy nghofnod/);
  await context.close();
});
