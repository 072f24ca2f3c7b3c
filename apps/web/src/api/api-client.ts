import { TokenPair } from '@collab/contracts';
import type { z } from 'zod';
import { ApiError, errorFromBody } from './api-error';
import type { SessionStore } from './session-store';

export interface RequestOptions<S extends z.ZodType> {
  readonly body?: unknown;
  /** Validates the response body; omitted for responses without one. */
  readonly schema?: S;
  /** Sends the access token (default true). */
  readonly auth?: boolean;
  readonly query?: Record<string, string | number | undefined>;
}

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/**
 * JSON over fetch to the gateway's REST API. Sends the access token,
 * refreshes it once when it has expired (one refresh at a time, shared by
 * concurrent requests), validates responses against the contract schemas,
 * and turns every failure into an {@link ApiError} with a wire code.
 */
export class ApiClient {
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly session: SessionStore,
    private readonly fetchImpl: Fetch = (input, init) => fetch(input, init),
    private readonly base = '/api',
  ) {}

  async request<S extends z.ZodType>(
    method: string,
    path: string,
    options: RequestOptions<S> = {},
  ): Promise<z.output<S>> {
    const auth = options.auth ?? true;
    if (auth && this.session.session && this.session.expiresSoon()) await this.refresh();
    let response = await this.send(method, path, options, auth);
    if (auth && response.status === 401) {
      const error = errorFromBody(401, await readJson(response));
      if (error.code !== 'TOKEN_EXPIRED') throw this.signedOut(error);
      await this.refresh();
      response = await this.send(method, path, options, auth);
    }
    const body = await readJson(response);
    if (!response.ok) {
      const error = errorFromBody(response.status, body);
      throw auth && response.status === 401 ? this.signedOut(error) : error;
    }
    if (!options.schema) return undefined as z.output<S>;
    const parsed = options.schema.safeParse(body);
    if (!parsed.success)
      throw new ApiError('INTERNAL', 'The server sent an unexpected answer.', response.status);
    return parsed.data;
  }

  /** An access token valid for at least half a minute (for the socket handshake). */
  async accessToken(): Promise<string> {
    if (this.session.expiresSoon()) await this.refresh();
    const token = this.session.session?.accessToken;
    if (!token) throw new ApiError('UNAUTHENTICATED');
    return token;
  }

  /** Exchanges the refresh token for a new pair (rotation); concurrent callers share one exchange. */
  refresh(): Promise<void> {
    this.refreshing ??= this.exchange().finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async exchange(): Promise<void> {
    const refreshToken = this.session.session?.refreshToken;
    if (!refreshToken) throw new ApiError('UNAUTHENTICATED');
    const response = await this.send('POST', '/auth/refresh', { body: { refreshToken } }, false);
    const body = await readJson(response);
    if (!response.ok) {
      const error = errorFromBody(response.status, body);
      // A refused refresh token (expired, revoked, reused) ends the session;
      // a server that cannot answer right now does not.
      if (response.status === 401 || error.code === 'UNAUTHENTICATED') throw this.signedOut(error);
      throw error;
    }
    const tokens = TokenPair.safeParse(body);
    if (!tokens.success) throw new ApiError('INTERNAL', 'The server sent an unexpected answer.');
    this.session.setTokens(tokens.data);
  }

  private signedOut(error: ApiError): ApiError {
    this.session.clear('expired');
    return error;
  }

  private async send(
    method: string,
    path: string,
    options: RequestOptions<z.ZodType>,
    auth: boolean,
  ): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = this.session.session?.accessToken;
    if (auth && token) headers['authorization'] = `Bearer ${token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    }
    const query = Object.entries(options.query ?? {}).filter(([, v]) => v !== undefined);
    const search = query.length > 0 ? `?${new URLSearchParams(query.map(([k, v]) => [k, String(v)]))}` : '';
    try {
      return await this.fetchImpl(`${this.base}${path}${search}`, { method, headers, body });
    } catch {
      throw new ApiError('UNAVAILABLE', 'Cannot reach the server. Check your connection.');
    }
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
