/**
 * Reads a JSON request body with a size limit and validates it against a schema. The limit holds
 * while reading: a declared length over it is refused before anything is read, and a body that
 * grows past it is refused at that point, with the connection closed so its sender stops.
 */
import type { IncomingMessage } from 'node:http';
import type { ValidateFunction } from 'ajv';
import { check } from '../../protocol/validate.js';
import { HttpError, badRequest } from '../errors.js';
import { isJsonContentType } from './content-type.js';

export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/**
 * Imports and restores: the whole model in one body. A 10,000-server export with real agent
 * inventories, 20,000 connections, 100 clusters and a full layout is about 8.5 MB (npm run
 * bench:model-size); this leaves room for fleets of that size with richer inventories.
 */
export const MODEL_BODY_LIMIT = 32 * 1024 * 1024;

const tooLarge = (limit: number) =>
  new HttpError(413, 'payload_too_large', `the body is larger than ${limit} bytes`, { connection: 'close' });

export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw tooLarge(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw tooLarge(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The parsed JSON body, not yet validated. */
export async function readJsonValue(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  // Requiring JSON also stops cross-site form posts: browsers cannot send it without CORS preflight.
  if (!isJsonContentType(req.headers['content-type'])) throw new HttpError(415, 'unsupported_media_type', 'send the body as JSON (Content-Type: application/json)');
  const raw = await readBody(req, limit);
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (e) {
    throw badRequest(`the body is not valid JSON: ${(e as Error).message}`, 'invalid_json');
  }
}

export async function readJson<T>(req: IncomingMessage, validate: ValidateFunction<T>, limit = DEFAULT_BODY_LIMIT): Promise<T> {
  const checked = check(validate, await readJsonValue(req, limit));
  if (!checked.ok) throw badRequest(checked.error, 'invalid_body');
  return checked.value;
}
