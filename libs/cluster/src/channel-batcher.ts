import { batchChannelOf, MAX_SERVICE_BATCH_ITEMS, MAX_SERVICE_BATCH_LENGTH } from '@collab/contracts';
import { endOfTurn } from './end-of-turn';

/** Publishes a message on a channel; resolves with the number of subscribers that got it. */
export type Publish = (channel: string, message: string) => Promise<number>;

interface Waiting {
  readonly json: string;
  readonly resolve: (receivers: number) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Gathers the service messages sent to one channel in one turn of the event
 * loop into one publish (a JSON array, read by parseServiceMessages): a
 * gateway's requests to one doc-service, a doc-service's replies to one
 * gateway. Under load each message then costs a share of one Redis command
 * on both ends instead of a command of its own; when idle a message goes out
 * in the turn it was sent, alone, exactly as before.
 *
 * A batch goes to the channel's batch channel (batchChannelOf), which the
 * receiver subscribes to as well; when that publish reaches nobody (an
 * instance of an older version, which reads single messages only), each
 * message goes again alone on the channel itself.
 *
 * Order: the messages of one channel are published in the order they were
 * sent (a batch keeps its order, and publishes leave in order on one
 * connection; the receiver reads both channels on one connection), except
 * that messages sent again alone after an unheard batch may follow later
 * ones. Requests (one operation in flight per client) and replies (matched by
 * request id) do not depend on their order.
 */
export class ChannelBatcher {
  private readonly pending = new Map<string, { items: Waiting[]; length: number }>();
  /** Publishes what was queued, after the I/O callbacks of this turn: every message they sent is queued by then. */
  private readonly schedule = endOfTurn(() => this.flush());

  constructor(private readonly publish: Publish) {}

  /** Sends `message` on `channel`; resolves with the receivers of the publish that carried it. */
  send(channel: string, message: unknown): Promise<number> {
    const json = JSON.stringify(message);
    return new Promise<number>((resolve, reject) => {
      if (json.length > MAX_SERVICE_BATCH_LENGTH / 2) {
        // A large message (a document in a load reply) goes alone, after
        // what was queued for its channel, so the order holds.
        this.flushChannel(channel);
        this.publishNow(channel, json, [{ json, resolve, reject }]);
        return;
      }
      let batch = this.pending.get(channel);
      if (
        batch &&
        (batch.items.length >= MAX_SERVICE_BATCH_ITEMS ||
          batch.length + json.length + 1 > MAX_SERVICE_BATCH_LENGTH)
      ) {
        this.flushChannel(channel);
        batch = undefined;
      }
      if (!batch) this.pending.set(channel, (batch = { items: [], length: 2 }));
      batch.items.push({ json, resolve, reject });
      batch.length += json.length + 1;
      this.schedule();
    });
  }

  /** Publishes everything queued now (on shutdown, before the connection goes). */
  flush(): void {
    for (const channel of [...this.pending.keys()]) this.flushChannel(channel);
  }

  private flushChannel(channel: string): void {
    const batch = this.pending.get(channel);
    if (!batch) return;
    this.pending.delete(channel);
    if (batch.items.length === 1) {
      this.publishNow(channel, batch.items[0].json, batch.items);
      return;
    }
    const text = `[${batch.items.map((i) => i.json).join(',')}]`;
    this.publishNow(batchChannelOf(channel), text, batch.items, () => {
      // Nobody reads batches there: each message alone, as an older reader expects.
      for (const item of batch.items) this.publishNow(channel, item.json, [item]);
    });
  }

  private publishNow(channel: string, text: string, items: readonly Waiting[], unheard?: () => void): void {
    let sent: Promise<number>;
    try {
      sent = this.publish(channel, text);
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    sent.then(
      (receivers) => {
        if (receivers === 0 && unheard) return unheard();
        for (const item of items) item.resolve(receivers);
      },
      (error: unknown) => {
        for (const item of items) item.reject(error);
      },
    );
  }
}
