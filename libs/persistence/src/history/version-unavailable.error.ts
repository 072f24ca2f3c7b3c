/**
 * The log does not hold every operation up to the version asked for: the
 * version is above the document's head (the caller should have checked), or
 * the log has a hole, which is a bug or a damaged database.
 */
export class VersionUnavailableError extends Error {
  constructor(
    readonly documentId: string,
    readonly version: number,
    readonly missing: number,
  ) {
    super(
      `document ${documentId}: operation ${missing} is missing, so version ${version} cannot be composed`,
    );
    this.name = 'VersionUnavailableError';
  }
}
