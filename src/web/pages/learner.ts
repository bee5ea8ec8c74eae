/**
 * The learner's own pages (OCF 03, 07): my record, who may see it (availability with its
 * history), and who looked at it (the access log in plain words). The ULN comes from the
 * session, never from the address.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { access } from '../../platform/guard.js';
import { myRecord, accessLog } from '../../learners/record/service.js';
import { getAvailability, setAvailability } from '../../learners/availability/service.js';
import { renderReport } from '../../platform/pdf.js';
import { recordReport } from '../../learners/record/reports.js';
import { principalOf } from '../context.js';
import { render } from '../render.js';

const LEARNER = access.roles('learner');
/** What the access log's `what` says, as the catalogue's key (plain words in each language). */
const WHAT_KEYS = [
  'record',
  'record.pdf',
  'routes',
  'credit-check',
  'availability',
  'availability-change',
  'access-log',
];

export function accessWhatKey(what: string): string {
  if (what.includes('via shared link')) return 'learner.log.what.link';
  const base = what.replace(/ \(.*\)$/, '');
  return WHAT_KEYS.includes(base) ? `learner.log.what.${base.replace('.', '-')}` : 'learner.log.what.other';
}

export async function learnerPages(app: FastifyInstance): Promise<void> {
  const me = (request: FastifyRequest) => principalOf(request)!;
  const availabilityDeps = () => ({ graph: app.deps.graph, now: () => new Date() });

  app.get('/my-record', { config: { access: LEARNER, ocf: 'OCF03' } }, async (request, reply) => {
    const record = await myRecord(app.deps.graph, me(request));
    return render(request, reply, 'learner/record.njk', { record });
  });

  app.get('/my-record.pdf', { config: { access: LEARNER, ocf: 'OCF03' } }, async (request, reply) => {
    const record = await myRecord(app.deps.graph, me(request), 'record.pdf');
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="learner-record-${record.uln}.pdf"`)
      .send(await renderReport(recordReport(record)));
  });

  app.get('/my-record/availability', { config: { access: LEARNER, ocf: 'OCF07' } }, async (request, reply) => {
    const principal = me(request);
    const history = await getAvailability(availabilityDeps(), principal, principal.uln!);
    return render(request, reply, 'learner/availability.njk', { history });
  });

  app.post('/my-record/availability', { config: { access: LEARNER, ocf: 'OCF07' } }, async (request, reply) => {
    const principal = me(request);
    const choice = (request.body as { available?: string } | undefined)?.available;
    if (choice !== 'yes' && choice !== 'no') {
      const history = await getAvailability(availabilityDeps(), principal, principal.uln!);
      const error = { text: request.t('learner.availability.errors.choose') };
      return render(
        request,
        reply,
        'learner/availability.njk',
        { history, errorList: [{ text: error.text, href: '#available' }], fieldErrors: { available: error } },
        400,
      );
    }
    await setAvailability(availabilityDeps(), principal, principal.uln!, {
      available: choice === 'yes',
      channel: 'online',
    });
    request.session.flash = choice === 'yes' ? 'learner.availability.nowOn' : 'learner.availability.nowOff';
    return reply.redirect('/my-record/availability', 303);
  });

  app.get('/my-record/access-log', { config: { access: LEARNER, ocf: 'OCF03' } }, async (request, reply) => {
    const principal = me(request);
    const log = await accessLog(app.deps.graph, principal, principal.uln!, { limit: 100, offset: 0 });
    const items = log.items.map((e) => ({ ...e, whatKey: accessWhatKey(e.what) }));
    return render(request, reply, 'learner/access-log.njk', { total: log.total, items });
  });
}
