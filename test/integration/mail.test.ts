import t from 'tap';
import { createMailer } from '../../src/platform/mail.js';
import { testConfig } from '../helpers/config.js';
import { startSmtp } from '../helpers/smtp.js';

t.test('a message reaches a real SMTP server, and the log gets no address', async (t) => {
  const smtp = await startSmtp();
  t.teardown(() => smtp.close());
  const logged: unknown[] = [];
  const log = { info: (o: unknown) => logged.push(o), warn: (o: unknown) => logged.push(o) } as never;
  const mailer = createMailer(testConfig({ SMTP_URL: smtp.url }), log);
  t.teardown(() => mailer.close());
  const r = await mailer.send({
    to: 'ada@example.org',
    subject: 'Your record link',
    text: 'Open https://plr.example/r/abc',
    kind: 'record-link',
  });
  t.ok(r.sent);
  const [m] = await smtp.waitFor(1);
  t.same(m.to, ['ada@example.org']);
  t.equal(m.subject, 'Your record link');
  t.match(m.text, 'https://plr.example/r/abc');
  t.notMatch(JSON.stringify(logged), /ada@example\.org/);
});

t.test('without SMTP_URL nothing is sent and that is said', async (t) => {
  const logged: string[] = [];
  const log = { info: () => undefined, warn: (_o: unknown, msg: string) => logged.push(msg) } as never;
  const mailer = createMailer(testConfig(), log);
  const r = await mailer.send({ to: 'x@example.org', subject: 's', text: 't', kind: 'test' });
  t.equal(r.sent, false);
  t.match(logged[0], /SMTP_URL is not set/);
  mailer.close();
});
