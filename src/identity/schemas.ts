/**
 * TypeBox schemas of the identity management routes (OCF 09), shared by validation and OpenAPI.
 */
import { Type } from 'typebox';
import { ROLES } from '../platform/auth.js';
import { NATIONS } from '../operations/service-hours.js';
import { ORGANISATION_KINDS } from './organisations.js';
import { PASSWORD_MAX_LENGTH } from './passwords.js';

export const RoleSchema = Type.Enum(ROLES);
const Email = Type.String({ minLength: 3, maxLength: 254, description: 'Email address; stored lower-cased' });
const Ukprn = Type.String({ pattern: '^1[0-9]{7}$', description: 'UKPRN: 8 digits starting with 1' });
const Iso = Type.Union([Type.String({ format: 'date-time' }), Type.Null()]);

export const UkprnParams = Type.Object({ ukprn: Ukprn });
export const UserParams = Type.Object({
  ukprn: Ukprn,
  id: Type.String({ pattern: '^usr_[0-9a-f-]{36}$', description: 'User id' }),
});
export const ClientParams = Type.Object({
  ukprn: Ukprn,
  id: Type.String({ pattern: '^cli_[A-Za-z0-9_-]{16}$', description: 'API client id' }),
});

export const OrganisationInput = Type.Object(
  {
    ukprn: Ukprn,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    nation: Type.Enum(NATIONS, { description: "For the nation's public holidays" }),
    kind: Type.Enum(ORGANISATION_KINDS, {
      description: 'ao: awarding organisation; provider; careers: careers service; operator: the service operator',
    }),
  },
  { additionalProperties: false },
);

export const OrganisationSchema = Type.Object({
  created: Type.Boolean({ description: 'Whether identity did not know the organisation before' }),
  organisation: Type.Object({
    ukprn: Type.String(),
    name: Type.String(),
    nation: Type.String(),
    kind: Type.Enum(ORGANISATION_KINDS),
  }),
});

export const UserSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  roles: Type.Array(RoleSchema),
  organisation: Type.Union([Type.String(), Type.Null()]),
  disabled: Type.Boolean(),
  status: Type.Enum(['invited', 'active', 'disabled'] as const, { description: 'invited: no password set yet' }),
  createdAt: Iso,
  lastLoginAt: Iso,
});

export const InviteInput = Type.Object(
  {
    email: Email,
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 8, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const RolesInput = Type.Object(
  {
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 8, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const ClientInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    roles: Type.Array(RoleSchema, { minItems: 1, maxItems: 8, uniqueItems: true }),
  },
  { additionalProperties: false },
);

export const ClientSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  roles: Type.Array(RoleSchema),
  organisation: Type.String(),
  createdAt: Iso,
  revokedAt: Iso,
});

export const NewClientSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  roles: Type.Array(RoleSchema),
  organisation: Type.String(),
  createdAt: Iso,
  revokedAt: Iso,
  secret: Type.String({ description: 'The client secret. Shown this once; only its hash is kept.' }),
});

export const LoginInput = Type.Object(
  {
    email: Email,
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH * 4 }),
  },
  { additionalProperties: false },
);

const OpaqueToken = Type.String({ minLength: 1, maxLength: 200 });
export const RefreshInput = Type.Object({ refreshToken: OpaqueToken }, { additionalProperties: false });
export const SetPasswordInput = Type.Object(
  {
    token: OpaqueToken,
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH * 4, description: 'At least 12 characters' }),
  },
  { additionalProperties: false },
);

export const ClientCredentialsInput = Type.Object(
  {
    grant_type: Type.Literal('client_credentials'),
    client_id: Type.String({ minLength: 1, maxLength: 100 }),
    client_secret: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

export const TokenPairSchema = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Seconds the access token lasts' }),
  refreshToken: Type.String({ description: 'Opaque; use once with POST /auth/refresh' }),
  refreshExpiresIn: Type.Integer({ description: 'Seconds the refresh token lasts unless used or revoked' }),
});

export const ClientTokenSchema = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
});

export const KeyStatusSchema = Type.Object({
  kid: Type.String(),
  current: Type.Boolean(),
  createdAt: Type.String(),
  retiredAt: Iso,
  publishUntil: Iso,
});
