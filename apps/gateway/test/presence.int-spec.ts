import { until } from '@collab/testing';
import { CollabDocument } from '@collab/client';
import type { PresenceState } from '@collab/contracts';
import Delta from 'quill-delta';
import { GatewayHarness, type RunningGateway } from './harness';

jest.setTimeout(60_000);

let h: GatewayHarness;
let gateways: RunningGateway[];

beforeAll(async () => {
  h = await GatewayHarness.create('gw_presence');
  await h.startDocService();
  gateways = [await h.startGateway(), await h.startGateway()];
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

describe('carets through the SDK', () => {
  it('places another person’s caret on the local document, moved by later edits of others and of their own', async () => {
    const ada = await h.createUser('Ada');
    const bob = await h.createUser('Bob');
    const docId = await h.createDocument(ada);
    await h.addMember(docId, bob, 'editor');
    const a = h.track(new CollabDocument({ url: gateways[0].url, docId, token: () => h.token(ada) }));
    const b = h.track(new CollabDocument({ url: gateways[1].url, docId, token: () => h.token(bob) }));
    await a.open();
    await b.open();
    let seen: PresenceState | undefined;
    b.on('presence', (p) => (seen = p));

    a.submit(new Delta().insert('hello world'));
    await a.whenSynced();
    await b.whenSynced();
    a.setSelection({ anchor: 6, head: 11 }); // "world"
    await until(async () => seen?.selection?.head === 11, { what: "A's selection (head 11) at B" });
    expect(seen).toMatchObject({ userId: ada, name: 'Ada', clientId: a.clientId });
    expect(b.placePresence(seen!)).toEqual({ anchor: 6, head: 11 });

    // Bob types before Ada's selection: it moves right on Bob's screen.
    b.submit(new Delta().insert('>> '));
    expect(b.placePresence(seen!)).toEqual({ anchor: 9, head: 14 });
    await b.whenSynced();
    expect(b.placePresence(seen!)).toEqual({ anchor: 9, head: 14 });

    // Ada types at her caret's end before her next presence arrives: her own
    // insert pushes her caret (the presence carries her client id).
    a.setSelection({ anchor: 14, head: 14 });
    await until(async () => seen?.selection?.head === 14 && seen.selection.anchor === 14, {
      what: "A's caret at 14 at B",
    });
    const atCaret = seen!;
    a.submit(new Delta().retain(14).insert('!'));
    await a.whenSynced();
    await until(async () => b.text === '>> hello world!\n', { what: "A's '!' at B" });
    expect(b.placePresence(atCaret)).toEqual({ anchor: 15, head: 15 });
    a.close();
    b.close();
  });
});
