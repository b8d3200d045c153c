import { problemSchema } from './problem.ts';

/** Error responses every API route may give, documented once. */
export const problems = {
  400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 409: problemSchema, 429: problemSchema,
} as const;
