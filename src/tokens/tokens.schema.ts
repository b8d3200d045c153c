import { z } from 'zod';
import { limits } from '../lib/limits.ts';

export const tokenIdParams = z.object({ orgId: z.string(), id: z.string().uuid() });
export const createTokenBody = z.object({
  name: z.string().trim().min(1).max(limits.tokenNameMax),
  scope: z.enum(['read', 'write']),
  expiresInDays: z.number().int().min(1).max(365),
});
export const tokenResponse = z.object({
  id: z.string().uuid(), name: z.string(), scope: z.enum(['read', 'write']), prefix: z.string(), userId: z.string().uuid(),
  createdAt: z.date(), expiresAt: z.date(), lastUsedAt: z.date().nullable(), revokedAt: z.date().nullable(),
});
export const tokenList = z.object({ items: z.array(tokenResponse) });
export const createdTokenResponse = z.object({ token: tokenResponse, secret: z.string() });
