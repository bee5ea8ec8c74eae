/**
 * TypeBox schemas of OCF 11 verification: validation and OpenAPI.
 */
import { Type } from 'typebox';

const Text = (description: string) => Type.String({ maxLength: 1000, description });

export const VerifyBody = Type.Object(
  {
    uln: Text('The ULN to verify. A ULN of the wrong shape is answered WSVRC006, not refused'),
    givenName: Text('Given name'),
    familyName: Text('Family name'),
    dateOfBirth: Text('YYYY-MM-DD; a real day, not in the future'),
    gender: Text('F, M, X or U (female, male, other, unknown and the ISO/IEC 5218 digits 2, 1, 0, 9 are understood)'),
    postcode: Type.Optional(
      Type.Union([Text('Compared only when given and when the register holds one'), Type.Null()]),
    ),
  },
  { additionalProperties: false, title: 'VerifyLearner' },
);

const Literals = (values: readonly string[], description: string) =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    { description },
  );

export const VerificationAnswerSchema = Type.Object(
  {
    code: Literals(
      ['WSVRC001', 'WSVRC002', 'WSVRC003', 'WSVRC004', 'WSVRC005', 'WSVRC006'],
      'WSVRC001 match, 002 linked match, 003 similar match, 004 no match, 005 ULN not found, 006 invalid ULN',
    ),
    outcome: Literals(
      ['match', 'linked-match', 'similar-match', 'no-match', 'not-found', 'invalid-uln'],
      'The code in words',
    ),
    uln: Type.String({ description: 'The ULN as submitted (trimmed)' }),
    masterUln: Type.Optional(
      Type.String({
        description: 'When the ULN was merged into another record: the ULN of that record (use it from now on)',
      }),
    ),
    mismatches: Type.Array(Type.String(), {
      description: 'Fields that differ: givenName, familyName, dateOfBirth, gender, postcode',
    }),
    flags: Type.Array(Type.String(), {
      description: 'VRF1 to VRF5 per differing field; VRF6 typo, VRF7 names swapped, VRF8 previous family name',
    }),
    similarities: Type.Array(Type.String(), {
      description: 'For WSVRC003: names-swapped, previous-family-name, typo:givenName or typo:familyName',
    }),
    invalid: Type.Array(Type.String(), {
      description:
        'Submitted fields that could not be compared (always empty through this API, which refuses them as bad input)',
    }),
    ulnProblem: Type.Optional(
      Type.String({
        description:
          'For WSVRC006: missing, not-ten-digits, leading-zero, no-valid-check-digit, check-digit or temporary',
      }),
    ),
    linkProblem: Type.Optional(
      Type.String({ description: 'For WSVRC005 on a merged ULN: master-not-found, link-loop or link-too-long' }),
    ),
    message: Type.String({ description: 'Plain English; never repeats a personal detail' }),
  },
  { title: 'VerificationAnswer' },
);
