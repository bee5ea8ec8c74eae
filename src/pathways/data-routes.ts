/**
 * REST for pathway data files (issue 17 point 1): the operator loads providers and offers,
 * occupations and funding rules (docs/pathway-data-format.md). Thin: the service decides.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../platform/guard.js';
import { ErrorBody } from '../platform/errors.js';
import { loadPathwayDataFile } from './data-load.js';
import { MAX_PATHWAY_FILE_BYTES } from './pathway-file.js';

const KindChange = Type.Object({
  added: Type.Array(Type.String()),
  changed: Type.Array(Type.String()),
  unchanged: Type.Integer(),
});

const LoadReport = Type.Object(
  {
    providers: KindChange,
    occupations: KindChange,
    fundingRules: KindChange,
    written: Type.Object({ offers: Type.Integer(), occupationLinks: Type.Integer(), fundingLinks: Type.Integer() }),
    summary: Type.String({ description: '"nothing changed", or what did, in words' }),
  },
  { title: 'PathwayLoadReport' },
);

export const pathwayDataRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/pathways/data',
    {
      bodyLimit: MAX_PATHWAY_FILE_BYTES,
      config: { access: access.roles('operator'), ocf: 'OCF06' },
      schema: {
        tags: ['pathways'],
        summary:
          'Load a pathway data file (providers and offers, occupations, funding rules): every problem named, nothing stored on any; a second load changes nothing',
        body: Type.Object(
          {
            format: Type.Literal('plr-pathways-1'),
            providers: Type.Optional(Type.Array(Type.Unknown())),
            occupations: Type.Optional(Type.Array(Type.Unknown())),
            fundingRules: Type.Optional(Type.Array(Type.Unknown())),
          },
          { description: 'The file, as docs/pathway-data-format.md describes it' },
        ),
        response: { 200: LoadReport, 400: ErrorBody },
      },
    },
    async (request) => loadPathwayDataFile(app.deps.graph, JSON.stringify(request.body)),
  );
};
