/**
 * The framing of a batch upload (multipart/form-data, RFC 7578 and RFC 2046): what in the
 * request's headers makes it unreadable before a byte of the body is read, and which
 * errors of the multipart parser (busboy) mean the body itself is malformed. Each becomes
 * a 4xx in the house shape instead of a 500. Pure.
 */

export interface FramingProblem {
  status: number;
  code: 'UNSUPPORTED_CONTENT_ENCODING' | 'MULTIPART_NO_BOUNDARY' | 'MULTIPART_BAD_BOUNDARY' | 'MULTIPART_MALFORMED';
  message: string;
}

/** RFC 2046 section 5.1.1: 1 to 70 characters of these, not ending in a space. */
const BOUNDARY = /^[0-9A-Za-z'()+_,./:=? -]{0,69}[0-9A-Za-z'()+_,./:=?-]$/;

/** The boundary parameter of a Content-Type, unquoted; undefined when there is none. */
export function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary\s*=\s*(?:"([^"]*)"|([^;]*))/i.exec(contentType);
  if (!m) return undefined;
  return (m[1] ?? m[2]).trim();
}

/** A problem with the headers of a multipart upload, or null when they can be read. */
export function framingProblem(headers: {
  'content-type'?: string;
  'content-encoding'?: string | string[];
}): FramingProblem | null {
  const encoding = [headers['content-encoding'] ?? []].flat().join(',').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') {
    return {
      status: 415,
      code: 'UNSUPPORTED_CONTENT_ENCODING',
      message:
        'the upload has a Content-Encoding (compressed): send the multipart body as it is, without Content-Encoding',
    };
  }
  const boundary = boundaryOf(headers['content-type'] ?? '');
  if (boundary === undefined || boundary === '') {
    return {
      status: 400,
      code: 'MULTIPART_NO_BOUNDARY',
      message: 'the Content-Type multipart/form-data has no boundary parameter, so the form cannot be read',
    };
  }
  if (!BOUNDARY.test(boundary)) {
    return {
      status: 400,
      code: 'MULTIPART_BAD_BOUNDARY',
      message: `the multipart boundary must be 1 to 70 letters, digits or '()+_,-./:=? (RFC 2046); this one is ${boundary.length} characters`,
    };
  }
  return null;
}

/** The parser's words for a body that is not a whole multipart form (they never quote the body). */
const MALFORMED =
  /Unexpected end of (form|file|multipart data)|Malformed part header|Boundary not found|Part terminated early|premature close|aborted/i;

/** A parser or stream error that means the body is malformed, as a 400; null for anything else. */
export function framingError(err: unknown): FramingProblem | null {
  if (err === null || typeof err !== 'object') return null;
  const e = err as { message?: unknown; code?: unknown };
  const text = typeof e.message === 'string' ? e.message : '';
  if (!MALFORMED.test(text) && e.code !== 'ERR_STREAM_PREMATURE_CLOSE') return null;
  return {
    status: 400,
    code: 'MULTIPART_MALFORMED',
    message:
      'the multipart body is not a whole form: it ends before the file does or before the closing boundary, or a part has no body; send the file again',
  };
}
