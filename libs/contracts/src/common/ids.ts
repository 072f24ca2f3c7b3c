import { z } from 'zod';
import { MAX_NAME_LENGTH } from '../limits';

/** A document id (UUID, as PostgreSQL generates it). */
export const DocId = z.uuid();
/** A document id (UUID). */
export type DocId = z.infer<typeof DocId>;

/** A user id (UUID). */
export const UserId = z.uuid();
/** A user id (UUID). */
export type UserId = z.infer<typeof UserId>;

/**
 * The id a client picks for itself, once per editor instance, and keeps
 * (with its outbox) across reconnects and reloads. 1 to 64 characters of
 * `[A-Za-z0-9_-]`.
 */
export const ClientId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'Expected 1 to 64 characters of [A-Za-z0-9_-]');
/** See {@link ClientId}. */
export type ClientId = z.infer<typeof ClientId>;

/**
 * A client's operation sequence number: positive, increasing by one per
 * operation it submits. `(clientId, seq)` identifies an operation across
 * resends, so the server applies it once.
 */
export const Seq = z.int().positive();
/** See {@link Seq}. */
export type Seq = z.infer<typeof Seq>;

/**
 * A document version: the number of operations committed so far. A new
 * document is at version 0; the operation committed as version `v` turns
 * version `v - 1` into version `v`. A non-negative safe integer.
 */
export const Version = z.int().nonnegative();
/** See {@link Version}. */
export type Version = z.infer<typeof Version>;

/** The version of a committed operation: 1 or more. */
export const CommittedVersion = z.int().positive();
/** See {@link CommittedVersion}. */
export type CommittedVersion = z.infer<typeof CommittedVersion>;

/** A gateway's id for one socket's presence (made by the server). */
export const SessionId = z.string().min(1).max(128);
/** See {@link SessionId}. */
export type SessionId = z.infer<typeof SessionId>;

/** The longest {@link InstanceId}: what a service accepts from its environment and what it generates. */
export const MAX_INSTANCE_ID_LENGTH = 128;

/**
 * The id of a service instance (a doc-service or a gateway), e.g. a pod name
 * plus a random suffix. No `:`, so it is safe inside Redis key names.
 */
export const InstanceId = z
  .string()
  .regex(
    new RegExp(`^[A-Za-z0-9_.-]{1,${MAX_INSTANCE_ID_LENGTH}}$`),
    `Expected 1 to ${MAX_INSTANCE_ID_LENGTH} characters of [A-Za-z0-9_.-] (no ":")`,
  );
/** See {@link InstanceId}. */
export type InstanceId = z.infer<typeof InstanceId>;

/** An id that follows one user action through logs: socket, actor, job. */
export const CorrelationId = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'Expected 1 to 128 characters of [A-Za-z0-9_.:-]');
/** See {@link CorrelationId}. */
export type CorrelationId = z.infer<typeof CorrelationId>;

/** The id pairing one request over Redis with its reply. */
export const RequestId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'Expected 1 to 128 characters of [A-Za-z0-9_-]');
/** See {@link RequestId}. */
export type RequestId = z.infer<typeof RequestId>;

/** A colour as `#rrggbb`, for carets, selections and avatars. */
export const Color = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'Expected a colour as #rrggbb');
/** See {@link Color}. */
export type Color = z.infer<typeof Color>;

/** A person's display name: trimmed, 1 to 100 characters, no control characters. */
export const DisplayName = z
  .string()
  .trim()
  .min(1)
  .max(MAX_NAME_LENGTH)
  .regex(/^[^\p{Cc}]*$/u, 'Control characters are not allowed');
/** See {@link DisplayName}. */
export type DisplayName = z.infer<typeof DisplayName>;

/** A point in time as an ISO 8601 string (`2025-01-31T12:00:00.000Z`). */
export const IsoDateTime = z.iso.datetime({ offset: true });
/** See {@link IsoDateTime}. */
export type IsoDateTime = z.infer<typeof IsoDateTime>;

/** Milliseconds since the Unix epoch, as used inside Redis messages. */
export const EpochMillis = z.int().nonnegative();
/** See {@link EpochMillis}. */
export type EpochMillis = z.infer<typeof EpochMillis>;

/**
 * A version number in a URL path or query string (`"42"`), parsed to a
 * {@link Version}. Rejects signs, fractions, exponents and leading spaces.
 */
export const VersionParam = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,15})$/, 'Expected a version number')
  .transform(Number)
  .pipe(Version);

/**
 * A page size in a query string (values arrive as strings): a positive
 * integer written plainly ("50", not "050", "5e1" or " 50"), at most `max`.
 */
export function pageSizeParam(max: number) {
  return z
    .string()
    .regex(/^[1-9][0-9]{0,5}$/, 'Expected a page size')
    .transform(Number)
    .pipe(z.int().min(1).max(max));
}
