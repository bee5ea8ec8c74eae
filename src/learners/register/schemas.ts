/**
 * TypeBox schemas of the learner register's REST resources: validation and OpenAPI.
 * Types and sizes are checked here; the learner rules themselves (learner-fields.ts) then
 * name each field that breaks one.
 */
import { Type } from 'typebox';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
/** Generous caps against abuse; the real limits are the rules' (names 100 characters, ...). */
const Text = (description: string) => Type.String({ maxLength: 1000, description });
const OptionalText = (description: string) => Type.Optional(Nullable(Text(description)));

export const RegisterLearnerBody = Type.Object(
  {
    uln: Text('Unique Learner Number: 10 digits with a valid check digit, not 9999999999'),
    givenName: Text('Given name: letters, spaces, hyphens, apostrophes and full stops; at most 100 characters'),
    familyName: Text('Family name, as givenName'),
    previousFamilyName: OptionalText('An earlier family name, if any'),
    dateOfBirth: Text('YYYY-MM-DD, a real day, not in the future, at most 120 years ago'),
    gender: Text('F, M, X or U (female, male, other, unknown and the ISO/IEC 5218 digits 2, 1, 0, 9 are understood)'),
    postcode: OptionalText('UK postcode, stored as e.g. "LS1 4AP"'),
    email: OptionalText('Contact email address'),
    available: Type.Optional(
      Type.Boolean({ description: 'Whether the record is available to others; for a new learner only (default true)' }),
    ),
    linkedTo: OptionalText('The master ULN when this registration was merged into another record'),
  },
  { additionalProperties: false, title: 'RegisterLearner' },
);

export const RegisteredLearnerSchema = Type.Object(
  {
    uln: Type.String(),
    givenName: Type.String(),
    familyName: Type.String(),
    previousFamilyName: Nullable(Type.String()),
    dateOfBirth: Type.String({ description: 'YYYY-MM-DD' }),
    gender: Type.String({ description: 'F, M, X or U' }),
    postcode: Nullable(Type.String()),
    email: Nullable(Type.String()),
    linkedTo: Nullable(Type.String()),
    available: Type.Boolean(),
  },
  { title: 'RegisteredLearner' },
);

export const RegistrationSchema = Type.Object(
  {
    created: Type.Boolean({
      description:
        'true: registered by this request (201); false: the register already held exactly these details (200)',
    }),
    learner: RegisteredLearnerSchema,
  },
  { title: 'LearnerRegistration' },
);

export const RowErrorSchema = Type.Object(
  {
    row: Type.Integer({
      description: 'Line of the file the row starts on (the header is 1); 0 for the file as a whole',
    }),
    field: Type.String({ description: 'The column concerned, or "" for the whole row' }),
    code: Type.String({ description: 'One of the codes in docs/learner-files.md' }),
    message: Type.String(),
  },
  { title: 'LearnerFileError' },
);

export const LearnerImportReportSchema = Type.Object(
  {
    validated: Type.Boolean(),
    loaded: Type.Boolean({ description: 'false with validateOnly=true' }),
    rows: Type.Integer({ description: 'Learners in the file' }),
    created: Type.Optional(Type.Integer()),
    updated: Type.Optional(Type.Integer()),
    unchanged: Type.Optional(Type.Integer()),
    availabilityKept: Type.Optional(
      Type.Integer({
        description:
          'Existing learners whose available column differs from the register; availability was left as it is',
      }),
    ),
    durationMs: Type.Optional(Type.Integer()),
  },
  { title: 'LearnerImportReport' },
);
