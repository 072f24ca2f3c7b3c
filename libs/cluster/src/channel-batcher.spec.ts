import { MAX_SERVICE_BATCH_ITEMS, MAX_SERVICE_BATCH_LENGTH } from '@collab/contracts';
import { ChannelBatcher } from './channel-batcher';

const turn = () => new Promise((resolve) => setImmediate(resolve));

function recorder(receivers = 1) {
  const published: { channel: string; value: unknown }[] = [];
  const publish = (channel: string, message: string) => {
    published.push({ channel, value: JSON.parse(message) });
    return Promise.resolve(receivers);
  };
  return { published, publish };
}

describe('ChannelBatcher', () => {
  it('publishes what one turn sends to a channel as one array, in order, per channel', async () => {
    const { published, publish } = recorder(2);
    const batcher = new ChannelBatcher(publish);
    const sent = [
      batcher.send('a', { n: 1 }),
      batcher.send('b', { n: 2 }),
      batcher.send('a', { n: 3 }),
      batcher.send('a', { n: 4 }),
    ];
    expect(published).toEqual([]);
    await expect(Promise.all(sent)).resolves.toEqual([2, 2, 2, 2]);
    expect(published).toEqual([
      { channel: 'a:batch', value: [{ n: 1 }, { n: 3 }, { n: 4 }] },
      { channel: 'b', value: { n: 2 } },
    ]);
  });

  it('sends a lone message as itself, not as an array', async () => {
    const { published, publish } = recorder();
    const batcher = new ChannelBatcher(publish);
    await batcher.send('a', { n: 1 });
    await turn();
    await batcher.send('a', { n: 2 });
    expect(published.map((p) => p.value)).toEqual([{ n: 1 }, { n: 2 }]);
  });

  it('splits at the item and size bounds, and sends a large message alone after what was queued', async () => {
    const { published, publish } = recorder();
    const batcher = new ChannelBatcher(publish);
    const many = Array.from({ length: MAX_SERVICE_BATCH_ITEMS + 1 }, (_, n) => batcher.send('a', { n }));
    const big = 'x'.repeat(MAX_SERVICE_BATCH_LENGTH / 2 + 1);
    const large = batcher.send('a', { big });
    await Promise.all([...many, large]);
    const sizes = published.map((p) => (Array.isArray(p.value) ? p.value.length : 'one'));
    // The full batch, then the one left over (flushed before the large one), then the large one.
    expect(sizes).toEqual([MAX_SERVICE_BATCH_ITEMS, 'one', 'one']);
    expect(published[1].value).toEqual({ n: MAX_SERVICE_BATCH_ITEMS });
    expect(published[2].value).toEqual({ big });
  });

  it('sends each message of a batch nobody read alone on the channel (an older receiver)', async () => {
    const published: { channel: string; value: unknown }[] = [];
    // Subscribed to 'a' only, as an instance that reads single messages.
    const batcher = new ChannelBatcher((channel, message) => {
      published.push({ channel, value: JSON.parse(message) });
      return Promise.resolve(channel === 'a' ? 1 : 0);
    });
    const sent = [batcher.send('a', { n: 1 }), batcher.send('a', { n: 2 })];
    await expect(Promise.all(sent)).resolves.toEqual([1, 1]);
    expect(published).toEqual([
      { channel: 'a:batch', value: [{ n: 1 }, { n: 2 }] },
      { channel: 'a', value: { n: 1 } },
      { channel: 'a', value: { n: 2 } },
    ]);
  });

  it('rejects every message of a publish that failed', async () => {
    const failure = new Error('connection lost');
    const batcher = new ChannelBatcher(() => Promise.reject(failure));
    const sent = [batcher.send('a', { n: 1 }), batcher.send('a', { n: 2 })];
    for (const s of sent) await expect(s).rejects.toBe(failure);
    const throwing = new ChannelBatcher(() => {
      throw failure;
    });
    await expect(throwing.send('a', { n: 1 })).rejects.toBe(failure);
  });

  it('flush() publishes at once', () => {
    const { published, publish } = recorder();
    const batcher = new ChannelBatcher(publish);
    void batcher.send('a', { n: 1 });
    batcher.flush();
    expect(published).toEqual([{ channel: 'a', value: { n: 1 } }]);
  });
});
