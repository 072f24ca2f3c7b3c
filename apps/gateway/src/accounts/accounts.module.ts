import { redisKeys } from '@collab/contracts';
import { Module } from '@nestjs/common';
import { PassportModule } from '@nestjs/passport';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { DataSource } from 'typeorm';
import { AccessNoticePublisher } from '../access/access-notices.publisher';
import { GATEWAY_CONFIG, GATEWAY_DATA_SOURCE, GATEWAY_LOGGER, GATEWAY_REDIS } from '../config/config.token';
import type { GatewayConfig } from '../config/env';
import { SignInLimiter } from '../limits/sign-in-limiter';
import { AccountsController } from './accounts.controller';
import { AccountsService } from './accounts.service';
import { LocalAuthGuard } from './local-auth.guard';
import { LocalStrategy } from './local.strategy';
import { PasswordHasher } from './password-hasher';
import { RefreshTokens } from './refresh-tokens';
import { SessionsService } from './sessions.service';

/** Accounts and sessions (REST). Config, Redis and the DataSource come from the global GatewayModule. */
@Module({
  imports: [PassportModule],
  controllers: [AccountsController],
  providers: [
    { provide: PasswordHasher, useFactory: () => new PasswordHasher() },
    {
      provide: AccountsService,
      inject: [GATEWAY_DATA_SOURCE, PasswordHasher],
      useFactory: (dataSource: DataSource, hasher: PasswordHasher) => new AccountsService(dataSource, hasher),
    },
    {
      provide: SessionsService,
      inject: [GATEWAY_CONFIG, GATEWAY_DATA_SOURCE, GATEWAY_REDIS, GATEWAY_LOGGER],
      useFactory: (config: GatewayConfig, dataSource: DataSource, redis: Redis, log: Logger) => {
        const notices = new AccessNoticePublisher(redis, redisKeys(config.REDIS_PREFIX), log);
        const keys = redisKeys(config.REDIS_PREFIX);
        // Marked first, so a gateway closing the session's sockets also refuses their reconnects.
        const ended = async (sessionId: string) => {
          await redis
            .set(keys.endedSession(sessionId), '1', 'EX', config.ACCESS_TOKEN_TTL_SECONDS)
            .catch((error: unknown) => log.error({ err: error }, 'ended session not marked'));
          await notices.sessionEnded(sessionId);
        };
        const refreshTokens = new RefreshTokens(dataSource, config.REFRESH_TOKEN_TTL_SECONDS, ended);
        return new SessionsService(config, refreshTokens);
      },
    },
    {
      provide: SignInLimiter,
      inject: [GATEWAY_CONFIG, GATEWAY_REDIS],
      useFactory: (config: GatewayConfig, redis: Redis) =>
        new SignInLimiter(redis, redisKeys(config.REDIS_PREFIX), {
          failuresPerEmail: config.SIGN_IN_FAILURES_PER_EMAIL,
          attemptsPerIp: config.SIGN_IN_ATTEMPTS_PER_IP,
          windowSeconds: config.SIGN_IN_WINDOW_SECONDS,
        }),
    },
    LocalStrategy,
    LocalAuthGuard,
  ],
})
export class AccountsModule {}
