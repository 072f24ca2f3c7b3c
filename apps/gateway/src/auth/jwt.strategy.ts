import { UserId } from '@collab/contracts';
import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { z } from 'zod';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { GATEWAY_CONFIG } from '../config/config.token';
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
 * are read, whatever its header says.
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(@Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.JWT_SECRET,
      algorithms: ['HS256'],
      ignoreExpiration: false,
      ...(config.JWT_ISSUER === undefined ? {} : { issuer: config.JWT_ISSUER }),
      ...(config.JWT_AUDIENCE === undefined ? {} : { audience: config.JWT_AUDIENCE }),
    });
  }

  validate(payload: AccessTokenClaims): Identity | false {
    const sub = UserId.safeParse(payload.sub);
    if (!sub.success) return false;
    const sid = z.uuid().safeParse(payload.sid);
    return {
      userId: sub.data.toLowerCase(),
      ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp * 1000 } : {}),
      ...(sid.success ? { sessionId: sid.data.toLowerCase() } : {}),
    };
  }
}
