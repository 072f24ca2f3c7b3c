import { z } from 'zod';
import { MAX_SERVICE_BATCH_ITEMS, parseServiceMessages } from './service-batch';

const Message = z.object({ id: z.string() });

describe('parseServiceMessages', () => {
  it('reads one message or a batch of them', () => {
    expect(parseServiceMessages(Message, '{"id":"a"}')).toEqual({
      ok: true,
      items: [{ ok: true, value: { id: 'a' } }],
    });
    expect(parseServiceMessages(Message, '[{"id":"a"},{"id":"b"}]')).toEqual({
      ok: true,
      items: [
        { ok: true, value: { id: 'a' } },
        { ok: true, value: { id: 'b' } },
      ],
    });
  });

  it('refuses a malformed element alone', () => {
    const parsed = parseServiceMessages(Message, '[{"id":"a"},{"id":7},null]');
    expect(parsed.ok && parsed.items.map((i) => i.ok)).toEqual([true, false, false]);
    const refused = parsed.ok && parsed.items[1];
    expect(refused && !refused.ok && refused.error.code).toBe('BAD_REQUEST');
  });

  it('refuses text that is not JSON, an empty batch and an oversized one', () => {
    for (const text of [
      '{',
      '[]',
      JSON.stringify(Array.from({ length: MAX_SERVICE_BATCH_ITEMS + 1 }, () => ({ id: 'x' }))),
      42,
    ]) {
      const parsed = parseServiceMessages(Message, text);
      expect(parsed.ok).toBe(false);
    }
  });
});
