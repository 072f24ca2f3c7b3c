/**
 * Structural limits of the wire format. Apps may configure tighter limits
 * (operations per second, document size); these bound what any schema in
 * this package accepts, so that parsing itself stays cheap.
 */

/**
 * Largest single message a client may send (one Socket.IO packet or one REST
 * body). Set Socket.IO's `maxHttpBufferSize` and the HTTP body limit to it.
 * Room for libs/ot's largest operation (1,000,000 code units inserted, up to
 * 3 bytes each in UTF-8) plus its JSON framing.
 */
export const MAX_MESSAGE_BYTES = 4 * 1_048_576;

/**
 * Largest message exchanged between our own services over Redis (a `load`
 * reply carries a whole document). A sanity bound, not a product limit.
 */
export const MAX_SERVICE_MESSAGE_BYTES = 16 * 1_048_576;

/**
 * Most components (insert / retain / delete) in one operation or document,
 * structurally. At least libs/ot's default `maxComponents`, which is the
 * limit that applies.
 */
export const MAX_DELTA_COMPONENTS = 20_000;

/** Most attribute keys on one operation component. */
export const MAX_ATTRIBUTES_PER_COMPONENT = 32;

/** Longest attribute name (`bold`, `code-block`, ...). */
export const MAX_ATTRIBUTE_NAME_LENGTH = 64;

/** Default page size of a catch-up request. */
export const DEFAULT_CATCHUP_LIMIT = 500;

/** Largest page size a catch-up request may ask for. */
export const MAX_CATCHUP_LIMIT = 1_000;

/**
 * A catch-up page stops growing once its operations reach this many bytes
 * (always at least one operation), and reports `hasMore`. Keeps one page
 * under the size a socket can deliver without stalling others.
 */
export const MAX_CATCHUP_BYTES = 1_048_576;

/** Document titles, after trimming. */
export const MAX_TITLE_LENGTH = 200;

/** Display names of people, after trimming. */
export const MAX_NAME_LENGTH = 100;

/** Names given to versions in the history, after trimming. */
export const MAX_VERSION_NAME_LENGTH = 100;

/** Email addresses (RFC 5321 path limit). */
export const MAX_EMAIL_LENGTH = 254;

/** JWTs, refresh tokens and invitation tokens. */
export const MAX_TOKEN_LENGTH = 4_096;

/** Human-readable message of a wire error. */
export const MAX_ERROR_MESSAGE_LENGTH = 1_000;

/** Longest comment body, in UTF-16 code units after trimming (`COMMENT_TOO_LONG` past it). */
export const MAX_COMMENT_LENGTH = 10_000;

/**
 * Longest comment body any schema accepts before the domain check: a body
 * between {@link MAX_COMMENT_LENGTH} and this gets the telling
 * `COMMENT_TOO_LONG` rather than a generic `BAD_REQUEST`; beyond it parsing
 * stops (the REST body limit bounds it anyway).
 */
export const MAX_COMMENT_WIRE_LENGTH = 200_000;

/** Most people one comment may mention. */
export const MAX_MENTIONS_PER_COMMENT = 20;

/** Longest quoted text a thread keeps of the range it was made on (longer ranges are cut, with an ellipsis). */
export const MAX_QUOTED_TEXT_LENGTH = 1_000;

/**
 * Most operations a new thread's anchor may be behind the head: the server
 * moves it through them when it is created (`VERSION_TOO_OLD` past it; the
 * client re-reads its selection at a newer version).
 */
export const MAX_ANCHOR_LAG_VERSIONS = 10_000;
