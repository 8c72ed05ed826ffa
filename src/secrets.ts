/**
 * Secrets the platform hands out (session tokens, API tokens, the private link's key of a request) are stored
 * only as their SHA-256, in hex: a copy of the database gives nobody a way in.
 */
import { createHash } from 'node:crypto';

export const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
