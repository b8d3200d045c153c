import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError, LockedOutError, type FieldError } from '../lib/errors.ts';

/** RFC 9457 problem details; `code` is our stable machine-readable reason. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  requestId: z.string(),
  instance: z.string(),
  errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
}).meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

const titles: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict',
  413: 'Content Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export function sendProblem(req: FastifyRequest, reply: FastifyReply, status: number, code: string, detail: string, errors?: FieldError[]) {
  const body: Problem = {
    type: `urn:attest:problem:${code}`, title: titles[status] ?? 'Error', status, detail, code,
    requestId: String(req.id), instance: req.url.split('?')[0] ?? req.url, ...(errors?.length ? { errors } : {}),
  };
  return reply.code(status).type('application/problem+json').send(JSON.stringify(body));
}

/** The one place errors become HTTP: domain errors keep their code, framework errors get one, the rest is a 500 without internals. */
export function errorHandler(error: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AppError) {
    if (error instanceof LockedOutError) reply.header('retry-after', String(error.retryAfterSeconds));
    return sendProblem(req, reply, error.status, error.code, error.message, error.fields);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const fields = error.validation.map((v) => ({
      path: [error.validationContext, ...v.instancePath.split('/').filter(Boolean)].filter((p) => p && p !== 'body').join('.') || String(error.validationContext ?? 'body'),
      message: v.message ?? 'Invalid value',
    }));
    return sendProblem(req, reply, 400, 'invalid_input', `Invalid request: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`, fields);
  }
  const status = error.statusCode ?? 500;
  if (status === 429) return sendProblem(req, reply, 429, 'rate_limited', 'Too many requests; slow down and try again shortly.');
  if (status >= 400 && status < 500) {
    const code = status === 413 ? 'too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
    return sendProblem(req, reply, status, code, error.message);
  }
  req.log.error({ err: error }, 'unhandled error');
  return sendProblem(req, reply, 500, 'internal_error', 'Something went wrong on our side. Quote the request id when reporting it.');
}
