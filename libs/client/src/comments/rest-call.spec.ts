import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AppError, CommentDto } from '@collab/contracts';
import { restCall } from './rest-call';

const COMMENT = {
  id: '1c2d3e4f-5061-4b7c-8d9e-0f1a2b3c4d5e',
  threadId: '0b1c2d3e-4f50-4a6b-9c7d-8e9f0a1b2c3d',
  author: { userId: '6e0a5b2c-7d8e-4f90-a1b2-c3d4e5f60718', name: 'Ada', color: '#336699' },
  body: 'hi',
  mentions: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  editedAt: null,
};

/** A real HTTP server answering each request with the next of `answers` (the last one repeats). */
async function serve(
  answers: Array<[number, unknown]>,
): Promise<{ url: string; bodies: string[]; server: Server }> {
  const bodies: string[] = [];
  let i = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(`${req.method} ${req.url} ${req.headers.authorization} ${body}`);
      const [status, answer] = answers[Math.min(i++, answers.length - 1)];
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies, server };
}

const unavailable: [number, unknown] = [503, { error: { code: 'UNAVAILABLE', message: 'later' } }];

describe('restCall', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) server.close();
  });

  it('resends the same request after retryable refusals and answers the checked value', async () => {
    const { url, bodies, server } = await serve([unavailable, unavailable, [201, COMMENT]]);
    servers.push(server);
    const options = { url, token: () => 'tok', retryDelayMs: 5 };
    const body = { commentId: COMMENT.id, body: 'hi', mentions: [] };
    await expect(restCall(options, 'POST', '/documents/d/comments/t', CommentDto, body)).resolves.toEqual(
      COMMENT,
    );
    expect(bodies).toHaveLength(3);
    expect(new Set(bodies).size).toBe(1);
    expect(bodies[0]).toBe(`POST /api/documents/d/comments/t Bearer tok ${JSON.stringify(body)}`);
  });

  it('rejects a final refusal at once with the server’s code and details', async () => {
    const { url, bodies, server } = await serve([
      [400, { error: { code: 'MENTION_NOT_MEMBER', message: 'no', details: { userIds: ['x'] } } }],
    ]);
    servers.push(server);
    const error = await restCall({ url, token: () => 't', retryDelayMs: 5 }, 'GET', '/x', CommentDto).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'MENTION_NOT_MEMBER', details: { userIds: ['x'] } });
    expect(bodies).toHaveLength(1);
  });

  it('gives up after its attempts: UNAVAILABLE; an answer that fails its schema is INTERNAL', async () => {
    const down = await serve([unavailable]);
    servers.push(down.server);
    await expect(
      restCall({ url: down.url, token: () => 't', retryDelayMs: 1, attempts: 3 }, 'GET', '/x', CommentDto),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(down.bodies).toHaveLength(3);

    const odd = await serve([[200, { not: 'a comment' }]]);
    servers.push(odd.server);
    await expect(restCall({ url: odd.url, token: () => 't' }, 'GET', '/x', CommentDto)).rejects.toMatchObject(
      {
        code: 'INTERNAL',
      },
    );
  });

  it('retries when nobody answers at all', async () => {
    const gone = await serve([[200, {}]]);
    await new Promise((resolve) => gone.server.close(resolve));
    await expect(
      restCall({ url: gone.url, token: () => 't', retryDelayMs: 1, attempts: 2 }, 'GET', '/x', CommentDto),
    ).rejects.toMatchObject({ code: 'UNAVAILABLE' });
  });
});
