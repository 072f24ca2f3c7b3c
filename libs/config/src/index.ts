export { bootService } from './boot';
export {
  ConfigError,
  DEFAULT_DATABASE_URL,
  DEFAULT_REDIS_URL,
  defaultInstanceId,
  loadEnv,
  LogLevel,
  ServiceEnv,
  SharedEnvFields,
} from './service-env';
