import { GatewayHarness, request, type RunningGateway } from './harness';

/**
 * A deleted document is told apart from one that never existed, for those
 * who had it: its former members get DOCUMENT_DELETED (HTTP 410) from the
 * REST API and from a join; anyone else still gets NOT_FOUND, learning
 * nothing about the id.
 */
let h: GatewayHarness;
let gateway: RunningGateway;

beforeAll(async () => {
  h = await GatewayHarness.create('gw_deleted');
  await h.startDocService();
  gateway = await h.startGateway();
  await h.settle();
});

afterAll(async () => {
  await h?.close();
});

it('tells former members that a document was deleted, and strangers nothing', async () => {
  const owner = await h.createUser('Owner');
  const member = await h.createUser('Member');
  const stranger = await h.createUser('Stranger');
  const docId = await h.createDocument(owner);
  await h.addMember(docId, member, 'editor');
  expect((await h.api(gateway, 'GET', `/documents/${docId}`, { token: h.token(member) })).status).toBe(200);

  expect((await h.api(gateway, 'DELETE', `/documents/${docId}`, { token: h.token(owner) })).status).toBe(204);

  for (const userId of [owner, member]) {
    const read = await h.api(gateway, 'GET', `/documents/${docId}`, { token: h.token(userId) });
    expect([read.status, read.body]).toEqual([
      410,
      { error: expect.objectContaining({ code: 'DOCUMENT_DELETED' }) },
    ]);
    const socket = await h.connect(gateway, userId);
    expect(await request(socket, 'join', { docId })).toMatchObject({
      ok: false,
      error: { code: 'DOCUMENT_DELETED' },
    });
    socket.disconnect();
  }
  const read = await h.api(gateway, 'GET', `/documents/${docId}`, { token: h.token(stranger) });
  expect([read.status, read.body]).toEqual([404, { error: expect.objectContaining({ code: 'NOT_FOUND' }) }]);
  const socket = await h.connect(gateway, stranger);
  expect(await request(socket, 'join', { docId })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  socket.disconnect();
});
