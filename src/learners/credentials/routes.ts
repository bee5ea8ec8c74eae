/**
 * REST for verifiable records (issue 17 point 6): issue (the learner), verify and the
 * revocation status list (anyone). Thin: the service decides. docs/verifiable-credentials.md.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../../platform/guard.js';
import { ErrorBody } from '../../platform/errors.js';
import { issueCredential, statusListCredential, verifyCredential, type CredentialDeps } from './service.js';

const IssueBody = Type.Object(
  {
    qan: Type.Optional(
      Type.String({
        maxLength: 16,
        description: 'One qualification award on your record; without it, the whole record',
      }),
    ),
  },
  { additionalProperties: false },
);

const IssuedSchema = Type.Object(
  {
    id: Type.String({ description: 'The credential id (urn:uuid:<id> in the document)' }),
    kind: Type.Union([Type.Literal('record'), Type.Literal('award')]),
    kid: Type.String({ description: 'The key it is signed with, as published in /.well-known/jwks.json' }),
    credential: Type.String({
      description: 'The signed credential: a compact JWS (ES256, typ vc+jwt) whose payload is the credential',
    }),
    document: Type.Record(Type.String(), Type.Unknown(), {
      description: 'The credential document: W3C VC 2.0, Open Badges 3.0 (one award) or CLR 2.0 (the record)',
    }),
  },
  { title: 'IssuedCredential' },
);

const VerifyBody = Type.Object(
  { credential: Type.String({ minLength: 1, maxLength: 1_000_000, description: 'A compact JWS this service issued' }) },
  { additionalProperties: false },
);

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const VerificationSchema = Type.Object(
  {
    status: Type.Union(
      [
        Type.Literal('valid'),
        Type.Literal('tampered'),
        Type.Literal('revoked'),
        Type.Literal('unknown-key'),
        Type.Literal('malformed'),
        Type.Literal('unknown'),
      ],
      { description: 'valid; tampered (the signature does not match); revoked; or why it cannot be checked' },
    ),
    message: Type.String(),
    kid: Nullable(Type.String()),
    credentialId: Nullable(Type.String()),
    issuedAt: Nullable(Type.String()),
    changedRecords: Type.Array(Type.String(), {
      description: 'Record ids amended or withdrawn since it was issued',
    }),
  },
  { title: 'CredentialVerification' },
);

export const credentialRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const deps = (): CredentialDeps => ({ graph: app.deps.graph, tokens: app.deps.tokens, config: app.config });

  app.post(
    '/me/credentials',
    {
      config: { access: access.roles('learner'), ocf: 'OCF03' },
      schema: {
        tags: ['learners'],
        summary: 'Your record, or one qualification award on it, as a signed verifiable credential',
        body: IssueBody,
        response: { 201: IssuedSchema, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      reply.code(201);
      return issueCredential(deps(), request.principal!, { qan: request.body.qan });
    },
  );

  app.post(
    '/credentials/verify',
    {
      config: { access: access.public, ocf: 'OCF03' },
      schema: {
        tags: ['learners'],
        summary: 'Check a verifiable credential this service issued: valid, tampered or revoked',
        body: VerifyBody,
        response: { 200: VerificationSchema, 400: ErrorBody },
      },
    },
    async (request) => verifyCredential(deps(), request.body.credential),
  );

  app.get(
    '/credentials/status/:list',
    {
      config: { access: access.public, ocf: 'OCF03' },
      schema: {
        tags: ['learners'],
        summary: 'The revocation status list: a signed BitstringStatusListCredential (compact JWS)',
        params: Type.Object({ list: Type.String({ pattern: '^[a-z0-9-]{1,40}$' }) }),
        response: {
          200: Type.String({ description: 'application/vc+jwt' }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      const jwt = await statusListCredential(deps(), request.params.list);
      reply.header('content-type', 'application/vc+jwt').header('cache-control', 'public, max-age=60');
      return jwt;
    },
  );
};
