import { MembershipRecord, parseJson } from '@collab/contracts';
import { metricSample, until } from '@collab/testing';
import WebSocket from 'ws';
import { GatewayHarness, request, type RunningGateway } from './harness';

jest.setTimeout(90_000);

/*
 * The owner link: a gateway's direct WebSocket to each doc-service, which
 * carries requests and replies without the Redis inbox's two hops. These
 * tests check that operations take it once it is open, that an instance
 * whose link cannot be reached is still served (through its inbox), and that
 * the link admits no one without the instance's token and survives garbage.
 */

let h: GatewayHarness;
let gateway: RunningGateway;

beforeAll(async () => {
  h = await GatewayHarness.create('owner_link');
  gateway = await h.startGateway();
});

afterAll(async () => {
  await h?.close();
});

async function routed(path: 'link' | 'inbox'): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  return metricSample(text, `collab_gateway_routed_requests_total{path="${path}"}`);
}

/** The owner link a doc-service publishes in its membership record. */
async function publishedLink(instanceId: string): Promise<{ url: string; token: string } | undefined> {
  const raw = await h.redis.hget(h.keys.membership.records, instanceId);
  const record = parseJson(MembershipRecord, raw);
  if (!record.ok) throw new Error(`record of ${instanceId}: ${record.error.message}`);
  return record.value.link;
}

/** Joins a fresh document and types `count` operations into it; resolves with their versions. */
async function typeInto(count: number): Promise<number[]> {
  const user = await h.createUser();
  const docId = await h.createDocument(user);
  const socket = await h.connect(gateway, user);
  expect(await request(socket, 'join', { docId })).toMatchObject({ ok: true });
  const versions: number[] = [];
  for (let seq = 1; seq <= count; seq++) {
    const ack = await request<{ ok: boolean; version: number }>(socket, 'op', {
      docId,
      clientId: 'link',
      seq,
      baseVersion: seq - 1,
      delta: [{ insert: `${seq}` }],
    });
    expect(ack).toMatchObject({ ok: true });
    versions.push(ack.version);
  }
  socket.disconnect();
  return versions;
}

function upgradeStatus(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('unexpected-response', (_req, res) => {
      resolve(res.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('open', () => {
      resolve(101);
      socket.close();
    });
    socket.on('error', (error) => reject(error));
  });
}

describe('the owner link', () => {
  it('carries operations once open, and only the first requests go through the inbox', async () => {
    const ds = await h.startDocService();
    await h.settle();
    expect(await publishedLink(ds.instanceId)).toMatchObject({ url: expect.stringMatching(/^ws:\/\//) });

    const [linkBefore, inboxBefore] = [await routed('link'), await routed('inbox')];
    expect(await typeInto(20)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const viaLink = (await routed('link')) - linkBefore;
    const viaInbox = (await routed('inbox')) - inboxBefore;
    // A join and 20 operations: the join (or the first few, while the link
    // opens) through the inbox, the rest over the link.
    expect(viaLink + viaInbox).toBe(21);
    expect(viaLink).toBeGreaterThanOrEqual(18);
    await h.stopDocService(ds);
  });

  it('serves an instance whose link cannot be reached through its inbox', async () => {
    // An address nothing answers at (TEST-NET-2): every connect attempt fails or times out.
    const ds = await h.startDocService({ OWNER_LINK_HOST: '198.51.100.1' });
    await h.settle();
    const [linkBefore, inboxBefore] = [await routed('link'), await routed('inbox')];
    expect(await typeInto(10)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
    expect((await routed('link')) - linkBefore).toBe(0);
    expect((await routed('inbox')) - inboxBefore).toBe(11);
    await h.stopDocService(ds);
  });

  it('refuses a client without the instance token, and drops garbage without harm', async () => {
    const ds = await h.startDocService();
    await h.settle();
    const link = (await publishedLink(ds.instanceId))!;
    expect(await upgradeStatus(link.url, {})).toBe(401);
    expect(await upgradeStatus(link.url, { authorization: `Bearer ${'x'.repeat(link.token.length)}` })).toBe(
      401,
    );

    // A peer with the token that sends what is not a request gets no reply and changes nothing.
    const raw = new WebSocket(link.url, { headers: { authorization: `Bearer ${link.token}` } });
    const replies: string[] = [];
    raw.on('message', (data) => replies.push(String(data)));
    await new Promise((resolve) => raw.once('open', resolve));
    for (const frame of ['not json', '[]', '{"type":"op"}', JSON.stringify([{ type: 'load', docId: 1 }])]) {
      raw.send(frame);
    }
    raw.send(Buffer.from([0, 1, 2]), { binary: true });

    // A well-formed request from that peer is answered on the link, refused by the actor's own checks.
    const user = await h.createUser();
    const docId = await h.createDocument(user);
    raw.send(
      JSON.stringify({
        type: 'op',
        requestId: 'raw-1',
        replyTo: 'anything',
        correlationId: 'raw-1',
        docId,
        userId: user,
        clientId: 'raw',
        seq: 1,
        baseVersion: 0,
        delta: [{ insert: 'no final newline', attributes: { nope: true } }],
      }),
    );
    await until(async () => replies.length === 1, { what: 'the reply to the well-formed request' });
    expect(JSON.parse(replies[0])).toMatchObject({
      requestId: 'raw-1',
      ok: false,
      error: { code: expect.any(String) },
    });
    raw.close();

    // The instance still serves everyone else, over the link.
    const linkBefore = await routed('link');
    expect(await typeInto(5)).toEqual([1, 2, 3, 4, 5]);
    expect((await routed('link')) - linkBefore).toBeGreaterThanOrEqual(4);
    await h.stopDocService(ds);
  });
});
