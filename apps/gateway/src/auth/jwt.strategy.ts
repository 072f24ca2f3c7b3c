import { createSecretKey } from 'node:crypto';
import { redisKeys, type RedisKeys, UserId } from '@collab/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { z } from 'zod';
import type { Redis } from 'ioredis';
import { ExtractJwt, Strategy } from 'passport-jwt';
import type { Logger } from 'pino';
import { GATEWAY_CONFIG, GATEWAY_LOGGER, GATEWAY_REDIS } from '../config/config.token';
import type { GatewayConfig } from '../config/env';
import type { Identity } from './identity';

/** Claims of an access token this gateway relies on. */
interface AccessTokenClaims {
  sub?: unknown;
  exp?: unknown;
  sid?: unknown;
}

/**
 * Verifies access tokens. The algorithm is pinned to HS256: a token signed
 * with `alg: none` or with another algorithm is refused before its claims
 * are read, whatever its header says. A token of a session that has ended
 * (signed out, or its refresh token replayed) is refused too, though not
 * expired: one Redis read per request or handshake. If Redis does not
 * answer, the token is accepted (it expires within minutes anyway) rather
 * than every request failing.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  private readonly keys: RedisKeys;

  constructor(
    @Inject(GATEWAY_CONFIG) config: GatewayConfig,
    @Inject(GATEWAY_REDIS) private readonly redis: Redis,
    @Inject(GATEWAY_LOGGER) private readonly log: Logger,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: given a string, jsonwebtoken first tries
      // to parse it as a public key on every verification and throws (about
      // half a millisecond per token), which a reconnect storm of thousands
      // of sockets pays in full. passport-jwt hands the key through unchanged;
      // its types only list string and Buffer.
      secretOrKey: createSecretKey(Buffer.from(config.JWT_SECRET, 'utf8')) as unknown as Buffer,
      algorithms: ['HS256'],
      ignoreExpiration: false,
      ...(config.JWT_ISSUER === undefined ? {} : { issuer: config.JWT_ISSUER }),
      ...(config.JWT_AUDIENCE === undefined ? {} : { audience: config.JWT_AUDIENCE }),
    });
    this.keys = redisKeys(config.REDIS_PREFIX);
  }

  async validate(payload: AccessTokenClaims): Promise<Identity | false> {
    const sub = UserId.safeParse(payload.sub);
    if (!sub.success) return false;
    const sid = z.uuid().safeParse(payload.sid);
    if (sid.success && (await this.sessionEnded(sid.data))) return false;
    return {
      userId: sub.data.toLowerCase(),
      ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp * 1000 } : {}),
      ...(sid.success ? { sessionId: sid.data.toLowerCase() } : {}),
    };
  }

  private async sessionEnded(sessionId: string): Promise<boolean> {
    try {
      return (await this.redis.exists(this.keys.endedSession(sessionId))) === 1;
    } catch (error) {
      this.log.warn({ err: error }, 'cannot check whether a session ended; accepting its token');
      return false;
    }
  }
}
