/**
 * REST for identity management (OCF 09): organisations, users, sign-in and tokens, API
 * clients, signing-key rotation. Every route declares its access rule; the organisation
 * check (own organisation only, unless operator) is in service.ts.
 *
 * Also here: `activeSubjectCheck`, a hook that refuses an access token whose user has been
 * disabled or whose API client has been revoked, on every request, so that neither has to
 * wait for its token to expire.
 */
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { access } from '../platform/guard.js';
import { AppError, ErrorBody } from '../platform/errors.js';
import { MANAGER_ROLES } from './organisations.js';
import { KeyRing } from './keys.js';
import * as identity from './service.js';
import { recordSigningKeys, subjectStatus } from './repository.js';
import {
  ClientCredentialsInput,
  ClientInput,
  ClientParams,
  ClientSchema,
  ClientTokenSchema,
  InviteInput,
  KeyStatusSchema,
  LoginInput,
  NewClientSchema,
  OrganisationInput,
  OrganisationSchema,
  RefreshInput,
  RolesInput,
  SetPasswordInput,
  TokenPairSchema,
  UkprnParams,
  UserParams,
  UserSchema,
} from './schemas.js';

/** Subjects the identity store issued tokens for; others (e.g. `plr token`) are not looked up. */
const STORED_SUBJECT = /^(usr|cli)_/;

export const activeSubjectCheck = fp(
  async (app: FastifyInstance) => {
    app.addHook('preHandler', async (request) => {
      const subject = request.principal?.subject;
      if (!subject || !STORED_SUBJECT.test(subject)) return;
      const status = await subjectStatus(app.deps.graph, subject);
      if (!status.active) {
        throw new AppError(401, 'UNAUTHORIZED', 'this account or client has been disabled', undefined, {
          'www-authenticate': 'Bearer',
        });
      }
    });
  },
  { name: 'plr-identity-active-subject' },
);

export interface IdentityRouteOptions {
  /** Settings for tests: a clock, lock-out policy, cheaper scrypt parameters. */
  overrides?: Partial<Pick<identity.IdentityDeps, 'now' | 'lockout' | 'scrypt'>>;
}

const tags = ['identity'];
const errors = { 400: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export const identityAdminRoutes: FastifyPluginAsyncTypebox<IdentityRouteOptions> = async (app, opts) => {
  const deps = (): identity.IdentityDeps => ({
    graph: app.deps.graph,
    mailer: app.deps.mailer,
    tokens: app.deps.tokens,
    publicUrl: app.config.publicUrl,
    accessTokenSeconds: app.config.accessTokenSeconds,
    log: app.log,
    ...opts.overrides,
  });

  // --- organisations ---------------------------------------------------------------------

  app.post(
    '/organisations',
    {
      config: { access: access.roles('operator'), ocf: 'OCF09' },
      schema: {
        tags,
        summary: 'Create an organisation, or update its name and nation',
        description:
          'An organisation already known by its UKPRN (from the catalogue or achievements) gets its identity properties set; its kind cannot be changed once set (409).',
        body: OrganisationInput,
        response: { 200: OrganisationSchema, 201: OrganisationSchema, 400: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const result = await identity.upsertOrganisation(deps(), request.body);
      return reply.status(result.created ? 201 : 200).send(result as never);
    },
  );

  // --- users -----------------------------------------------------------------------------

  app.get(
    '/organisations/:ukprn/users',
    {
      config: { access: access.roles(...MANAGER_ROLES), ocf: 'OCF09' },
      schema: {
        tags,
        summary: 'The users of an organisation (its admins, or the operator)',
        params: UkprnParams,
        response: { 200: Type.Object({ items: Type.Array(UserSchema) }), 404: ErrorBody },
      },
    },
    async (request) => ({ items: await identity.listUsers(deps(), request.principal!, request.params.ukprn) }),
  );

  app.post(
    '/organisations/:ukprn/users',
    {
      config: { access: access.roles(...MANAGER_ROLES), ocf: 'OCF09' },
      schema: {
        tags,
        summary: 'Invite a user: they get an email with a link to set their password (valid 72 hours)',
        description: "Roles must be ones the organisation's kind may hold.",
        params: UkprnParams,
        body: InviteInput,
        response: { 201: UserSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await identity.inviteUser(deps(), request.principal!, request.params.ukprn, request.body)),
  );

  app.put(
    '/organisations/:ukprn/users/:id/roles',
    {
      config: { access: access.roles(...MANAGER_ROLES), ocf: 'OCF09' },
      schema: {
        tags,
        summary: "Set a user's roles (they apply from the user's next token refresh)",
        params: UserParams,
        body: RolesInput,
        response: { 200: UserSchema, ...errors },
      },
    },
    async (request) =>
      identity.setUserRoles(deps(), request.principal!, request.params.ukprn, request.params.id, request.body.roles),
  );

  app.post(
    '/organisations/:ukprn/users/:id/disable',
    {
      config: { access: access.roles(...MANAGER_ROLES), ocf: 'OCF09' },
      schema: {
        tags,
        summary: 'Disable a user: sign-in, refresh and their access tokens stop working at once',
        params: UserParams,
        response: { 200: UserSchema, ...errors },
      },
    },
    async (request) =>
      identity.setUserDisabled(deps(), request.principal!, request.params.ukprn, request.params.id, true),
  );

  app.post(
    '/organisations/:ukprn/users/:id/enable',
    {
      config: { access: access.roles(...MANAGER_ROLES), ocf: 'OCF09' },
      schema: {
        tags,
        summary: 'Enable a disabled user again',
        params: UserParams,
        response: { 200: UserSchema, ...errors },
      },
    },
    async (request) =>
      identity.setUserDisabled(deps(), request.principal!, request.params.ukprn, request.params.id, false),
  );

  // --- API clients -----------------------------------------------------------------------

  app.get(
    '/organisations/:ukprn/clients',
    {
      config: { access: access.roles(...MANAGER_ROLES), ocf: 'OCF09' },
      schema: {
        tags,
        summary: 'The API clients of an organisation (never their secrets)',
        params: UkprnParams,
        response: { 200: Type.Object({ items: Type.Array(ClientSchema) }), 404: ErrorBody },
      },
    },
    async (request) => ({ items: await identity.listClients(deps(), request.principal!, request.params.ukprn) }),
  );

  app.post(
    '/organisations/:ukprn/clients',
    {
      config: { access: access.roles(...MANAGER_ROLES), ocf: 'OCF09' },
      schema: {
        tags,
        summary: 'Create an API client: its secret is in this answer only',
        description: "Roles must be ones the organisation's kind may hold, and not an admin role.",
        params: UkprnParams,
        body: ClientInput,
        response: { 201: NewClientSchema, ...errors },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(await identity.createClient(deps(), request.principal!, request.params.ukprn, request.body)),
  );

  app.delete(
    '/organisations/:ukprn/clients/:id',
    {
      config: { access: access.roles(...MANAGER_ROLES), ocf: 'OCF09' },
      schema: {
        tags,
        summary: 'Revoke an API client: its tokens stop working at once',
        params: ClientParams,
        response: { 200: ClientSchema, 404: ErrorBody },
      },
    },
    async (request) => identity.revokeClient(deps(), request.principal!, request.params.ukprn, request.params.id),
  );

  // --- sign-in and tokens ----------------------------------------------------------------

  app.post(
    '/auth/login',
    {
      config: { access: access.public, ocf: 'none' },
      schema: {
        tags,
        summary: 'Sign in with email and password: an access token and a refresh token',
        description:
          'One answer (401 INVALID_CREDENTIALS) for an unknown email, a wrong password, and an account that is locked (after 5 failures, for 15 minutes), disabled or without a password yet.',
        body: LoginInput,
        response: { 200: TokenPairSchema, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => identity.login(deps(), request.body.email, request.body.password),
  );

  app.post(
    '/auth/refresh',
    {
      config: { access: access.public, ocf: 'none' },
      schema: {
        tags,
        summary: 'Exchange a refresh token (once) for a new access token and refresh token',
        description: 'Presenting a refresh token that was already used revokes every token of that sign-in.',
        body: RefreshInput,
        response: { 200: TokenPairSchema, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => identity.refresh(deps(), request.body.refreshToken),
  );

  app.post(
    '/auth/logout',
    {
      config: { access: access.public, ocf: 'none' },
      schema: {
        tags,
        summary: 'Sign out: revoke the refresh token and every token of its sign-in',
        description: 'The answer is the same whether or not the token was valid.',
        body: RefreshInput,
        response: { 200: Type.Object({ signedOut: Type.Literal(true) }), 400: ErrorBody },
      },
    },
    async (request) => {
      await identity.logout(deps(), request.body.refreshToken);
      return { signedOut: true as const };
    },
  );

  app.post(
    '/auth/set-password',
    {
      config: { access: access.public, ocf: 'none' },
      schema: {
        tags,
        summary: 'Set a password with the token from an invitation email (works once, for 72 hours)',
        body: SetPasswordInput,
        response: { 200: Type.Object({ passwordSet: Type.Literal(true) }), 400: ErrorBody },
      },
    },
    async (request) => {
      await identity.setPassword(deps(), request.body.token, request.body.password);
      return { passwordSet: true as const };
    },
  );

  app.post(
    '/auth/token',
    {
      config: { access: access.public, ocf: 'none' },
      schema: {
        tags,
        summary: "OAuth 2 client credentials (JSON body): an API client's access token with the client's roles",
        body: ClientCredentialsInput,
        response: { 200: ClientTokenSchema, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request) => {
      const t = await identity.clientToken(deps(), request.body.client_id, request.body.client_secret);
      return { access_token: t.accessToken, token_type: t.tokenType, expires_in: t.expiresIn };
    },
  );

  // --- signing keys ----------------------------------------------------------------------

  app.post(
    '/keys/rotate',
    {
      config: { access: access.roles('operator'), ocf: 'OCF09' },
      schema: {
        tags,
        summary: 'Rotate the token-signing key; the previous key stays published until its tokens expire',
        response: { 200: Type.Object({ current: Type.String(), keys: Type.Array(KeyStatusSchema) }), 409: ErrorBody },
      },
    },
    async (request) => {
      const ring = app.deps.tokens as unknown;
      if (!(ring instanceof KeyRing))
        throw new AppError(
          409,
          'ROTATION_UNAVAILABLE',
          'this service signs with a single fixed key; rotation needs the key ring',
        );
      const keys = await ring.rotate();
      await recordSigningKeys(app.deps.graph, keys);
      request.log.info({ kid: ring.currentKid, by: request.principal!.subject }, 'signing key rotated');
      return { current: ring.currentKid, keys };
    },
  );
};
