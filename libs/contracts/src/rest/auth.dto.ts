import { z } from 'zod';
import { Color, DisplayName, UserId } from '../common/ids';
import { MAX_EMAIL_LENGTH, MAX_TOKEN_LENGTH } from '../limits';

/*
 * Auth REST bodies. Requests are strict (an unknown key is a BAD_REQUEST);
 * responses strip unknown keys when a client parses them.
 */

/** An email address, normalized: trimmed and lower-cased, then checked. */
export const Email = z.string().trim().toLowerCase().pipe(z.email().max(MAX_EMAIL_LENGTH));
/** See {@link Email}. */
export type Email = z.infer<typeof Email>;

/**
 * A password as submitted. Only its type and an upper bound are checked
 * here (a BAD_REQUEST); the policy (`passwordProblems`) answers
 * WEAK_PASSWORD separately, with the list of problems.
 */
export const Password = z.string().min(1).max(1_024);

/** `POST /auth/sign-up`. Answers {@link TokenPair}, or EMAIL_TAKEN / WEAK_PASSWORD. */
export const SignUpRequest = z.strictObject({
  email: Email,
  password: Password,
  name: DisplayName,
});
/** See {@link SignUpRequest}. */
export type SignUpRequest = z.infer<typeof SignUpRequest>;

/** `POST /auth/sign-in`. Answers {@link TokenPair}, or INVALID_CREDENTIALS / RATE_LIMITED. */
export const SignInRequest = z.strictObject({
  email: Email,
  password: Password,
});
/** See {@link SignInRequest}. */
export type SignInRequest = z.infer<typeof SignInRequest>;

/** An opaque token (JWT or refresh token). */
export const Token = z.string().min(1).max(MAX_TOKEN_LENGTH);

/**
 * A short-lived JWT access token (for REST `Authorization: Bearer` and the
 * Socket.IO handshake) and a rotating refresh token (single use: each
 * refresh returns a new pair and revokes the old refresh token).
 */
export const TokenPair = z.object({
  accessToken: Token,
  refreshToken: Token,
  /** Seconds until the access token expires. */
  accessTokenExpiresIn: z.int().positive(),
});
/** See {@link TokenPair}. */
export type TokenPair = z.infer<typeof TokenPair>;

/** `POST /auth/refresh`. Answers a new {@link TokenPair}, or UNAUTHENTICATED. */
export const RefreshRequest = z.strictObject({ refreshToken: Token });
/** See {@link RefreshRequest}. */
export type RefreshRequest = z.infer<typeof RefreshRequest>;

/** `POST /auth/sign-out`: revokes the refresh token. Answers 204. */
export const SignOutRequest = z.strictObject({ refreshToken: Token });
/** See {@link SignOutRequest}. */
export type SignOutRequest = z.infer<typeof SignOutRequest>;

/** `GET /me`: the signed-in person. */
export const Me = z.object({
  id: UserId,
  email: Email,
  name: DisplayName,
  color: Color,
});
/** See {@link Me}. */
export type Me = z.infer<typeof Me>;
