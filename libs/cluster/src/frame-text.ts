/**
 * The text of a WebSocket frame as the `ws` package hands it over (one
 * Buffer, fragments, or an ArrayBuffer), for the owner links' JSON frames.
 */
export function frameText(data: Buffer | ArrayBuffer | Buffer[]): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
