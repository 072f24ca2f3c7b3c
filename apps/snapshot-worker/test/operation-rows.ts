import { insertOperations, type NewOperation } from '@collab/persistence';
import { seededRandom } from '@collab/testing';
import Delta from 'quill-delta';
import type { EntityManager } from 'typeorm';

/**
 * Version `version` of `documentId` as the doc-service stores it: the
 * submitter's seq equals the version (one submitter per client id in these
 * tests) and every version has its own submission hash.
 */
export function operationRow(
  documentId: string,
  version: number,
  op: Delta,
  userId: string,
  clientId: string,
): NewOperation {
  return {
    documentId,
    version,
    delta: op.ops as NewOperation['delta'],
    userId,
    clientId,
    seq: version,
    submissionHash: `h${version}`,
  };
}

/** Stores `rows`, 100 to a statement (a long log in one INSERT would pass PostgreSQL's parameter limit). */
export async function insertInBatches(manager: EntityManager, rows: NewOperation[]): Promise<void> {
  for (let i = 0; i < rows.length; i += 100) await insertOperations(manager, rows.slice(i, i + 100));
}

/** A text insert chosen with the edit sequence's random source. */
export type SeededInsert = (random: (n: number) => number) => {
  readonly text: string;
  readonly attributes?: Record<string, unknown>;
};

/**
 * `count` seeded edits from an empty document: a one-character delete one
 * time in three (when there is a character), otherwise `insert` at a random
 * place; each edit's author is `authorOf(random)`. Stores them and answers
 * the document after each version (`contents[v]`).
 */
export async function writeSeededEdits(
  manager: EntityManager,
  options: {
    readonly documentId: string;
    readonly count: number;
    readonly seed: number;
    readonly insert: SeededInsert;
    readonly authorOf: (random: (n: number) => number) => { userId: string; clientId: string };
  },
): Promise<Delta[]> {
  const random = seededRandom(options.seed);
  let doc = new Delta([{ insert: '\n' }]);
  const contents = [doc];
  const rows: NewOperation[] = [];
  for (let version = 1; version <= options.count; version++) {
    const length = doc.length();
    let op: Delta;
    if (length > 1 && random(3) === 0) op = new Delta().retain(random(length - 1)).delete(1);
    else {
      const { text, attributes } = options.insert(random);
      op = new Delta().retain(random(length)).insert(text, attributes);
    }
    doc = doc.compose(op);
    contents.push(doc);
    const { userId, clientId } = options.authorOf(random);
    rows.push(operationRow(options.documentId, version, op, userId, clientId));
  }
  await insertInBatches(manager, rows);
  return contents;
}
