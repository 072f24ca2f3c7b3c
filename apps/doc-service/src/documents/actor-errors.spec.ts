import { AppError, ErrorCode } from '@collab/contracts';
import { ChunkedDocument, type VersionedOp } from '@collab/ot';
import type { NewOperation, StoredOperation } from '@collab/persistence';
import Delta from 'quill-delta';
import type { DocumentStorePort } from './actor-ports';
import { DocumentActor } from './document.actor';

/** A store whose history reads fail with `failure`, and whose appends fail with `appendFailure` when set. */
class FailingStore implements DocumentStorePort {
  constructor(
    private readonly failure: unknown,
    private readonly appendFailure?: unknown,
  ) {}

  async append(_rows: readonly NewOperation[]): Promise<void> {
    if (this.appendFailure !== undefined) throw this.appendFailure;
  }

  async findBySeq(): Promise<StoredOperation | null> {
    throw this.failure;
  }

  async opsBetween(): Promise<VersionedOp[]> {
    throw this.failure;
  }

  async contentAt(): Promise<Delta['ops']> {
    throw this.failure;
  }

  async head(): Promise<number> {
    return 5;
  }
}

/** An actor at version 5 that remembers no operation: a submission on an older base reads the log. */
function actorOn(store: DocumentStorePort): DocumentActor {
  return new DocumentActor(
    'doc',
    ChunkedDocument.fromDelta([{ insert: 'hello\n' }]),
    5,
    [],
    { store, publish: () => undefined, committed: () => undefined, died: () => undefined },
    { historyWindow: 100 },
  );
}

const refusalOf = async (promise: Promise<unknown>): Promise<AppError> => {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(outcome).toBeInstanceOf(AppError);
  return outcome as AppError;
};

/** A submission on base version 2, older than the actor's head (5): the actor reads the log for it. */
const submissionOnOldBase = () => ({
  userId: 'u',
  clientId: 'c',
  seq: 1,
  baseVersion: 2,
  delta: new Delta().insert('x').ops,
});

describe('DocumentActor errors', () => {
  it('refuses a submission whose history read hit a bug with INTERNAL, keeping the cause', async () => {
    const bug = new TypeError('cannot read properties of undefined');
    const actor = actorOn(new FailingStore(bug));
    const refusal = await refusalOf(actor.submit(submissionOnOldBase()));
    expect(refusal).toMatchObject({ code: ErrorCode.INTERNAL, cause: bug });
  });

  it('refuses it with UNAVAILABLE (resend) when PostgreSQL is unreachable, keeping the cause', async () => {
    const lost = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const actor = actorOn(new FailingStore(lost));
    const refusal = await refusalOf(actor.submit(submissionOnOldBase()));
    expect(refusal).toMatchObject({ code: ErrorCode.UNAVAILABLE, cause: lost });
  });

  it('refuses a batch whose commit failed with UNAVAILABLE, every operation with the same cause', async () => {
    const lost = new Error('Connection terminated unexpectedly');
    const actor = actorOn(new FailingStore(new Error('unused'), lost));
    const refusals = await Promise.all(
      ['a', 'b'].map((clientId) =>
        refusalOf(
          actor.submit({ userId: 'u', clientId, seq: 1, baseVersion: 5, delta: new Delta().insert('x').ops }),
        ),
      ),
    );
    for (const refusal of refusals)
      expect(refusal).toMatchObject({ code: ErrorCode.UNAVAILABLE, cause: lost });
  });
});
