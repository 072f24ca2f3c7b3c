import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import {
  type ComposeService,
  composeEnv,
  composeEnvNames,
  dockerfileStages,
  loadCompose,
  loadEnvExample,
  loadManifests,
  ROOT,
  unknownNames,
} from './deploy-files';

const envExample = loadEnvExample();
const compose = loadCompose();
const manifests = loadManifests();

/** Our services: the ones built from the Dockerfile (postgres, redis and nginx are stock images). */
const appServices = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

function servicesNamed(prefix: string): Array<[string, ComposeService]> {
  return appServices.filter(([name]) => name === prefix || name.startsWith(`${prefix}-`));
}

/** The names the Kubernetes manifests give the services: ConfigMap, Secret and each container's env. */
function k8sNames(): { config: Set<string>; secret: Set<string>; containerEnv: Set<string> } {
  const config = new Set<string>();
  const secret = new Set<string>();
  const containerEnv = new Set<string>();
  for (const { object } of manifests) {
    if (object.kind === 'ConfigMap') Object.keys(object.data as object).forEach((k) => config.add(k));
    if (object.kind === 'Secret') {
      Object.keys({ ...(object.data as object), ...(object.stringData as object) }).forEach((k) =>
        secret.add(k),
      );
    }
    const spec = (object.spec as { template?: { spec: IPodSpec } } | undefined)?.template?.spec;
    if (!spec) continue;
    const containers: IContainer[] = [...(spec.initContainers ?? []), ...spec.containers];
    for (const container of containers) for (const { name } of container.env ?? []) containerEnv.add(name);
  }
  return { config, secret, containerEnv };
}

describe('.env.example', () => {
  it('is read: it lists the shared names and documents the optional ones', () => {
    expect(envExample.required).toContain('DATABASE_URL');
    expect(envExample.required).toContain('JWT_SECRET');
    expect(envExample.optional).toContain('INSTANCE_ID');
  });

  it('the name check flags a name .env.example does not list', () => {
    expect(unknownNames(['DATABASE_URL', 'DATABSE_URL', 'INSTANCE_ID'], envExample)).toEqual(['DATABSE_URL']);
    const fake = loadEnvExample('A=1\n# B=\n# a comment\nC_2=x\n');
    expect([...fake.required]).toEqual(['A', 'C_2']);
    expect([...fake.optional]).toEqual(['B']);
  });
});

describe('docker-compose.yml', () => {
  it('parses and has the whole stack', () => {
    const names = Object.keys(compose.services);
    for (const name of ['postgres', 'redis', 'migrate', 'snapshot-worker', 'lb'])
      expect(names).toContain(name);
    expect(servicesNamed('gateway')).toHaveLength(2);
    expect(servicesNamed('doc-service')).toHaveLength(3);
  });

  it('keeps postgres and redis usable alone (no dependencies, published ports)', () => {
    for (const name of ['postgres', 'redis']) {
      const service = compose.services[name] as ComposeService & { ports?: string[] };
      expect(service.depends_on).toBeUndefined();
      expect(service.ports?.length).toBeGreaterThan(0);
      expect(service.healthcheck).toBeDefined();
    }
  });

  it.each(appServices.map(([name, service]) => [name, service] as const))(
    '%s sets only variables .env.example lists',
    (_, service) => {
      expect(unknownNames(composeEnvNames(service), envExample)).toEqual([]);
    },
  );

  it('builds every service from a Dockerfile target of the same name, with a matching APP', () => {
    const stages = new Set(dockerfileStages());
    for (const [name, service] of appServices) {
      const target = service.build?.target ?? '';
      expect({ name, target, known: stages.has(target) }).toEqual({ name, target, known: true });
      expect(service.build?.args?.APP).toBe(target);
      expect(existsSync(path.join(ROOT, 'apps', target, 'src/main.ts'))).toBe(true);
      expect(service.image).toMatch(new RegExp(`^collab/${target}:`));
    }
  });

  it('starts the services after a successful migration and a healthy Redis', () => {
    for (const [name, service] of appServices) {
      const dependsOn = service.depends_on as Record<string, { condition: string }>;
      if (name === 'migrate') {
        expect(dependsOn.postgres.condition).toBe('service_healthy');
        continue;
      }
      expect(dependsOn.migrate.condition).toBe('service_completed_successfully');
      expect(dependsOn.redis.condition).toBe('service_healthy');
    }
  });

  it('gives each doc-service a distinct INSTANCE_ID, a health check and a grace period past the membership TTL', () => {
    const docServices = servicesNamed('doc-service');
    const ids = docServices.map(([, service]) => composeEnv(service).INSTANCE_ID);
    expect(new Set(ids).size).toBe(docServices.length);
    for (const [, service] of docServices) {
      expect(service.healthcheck?.test.join(' ')).toContain('/readyz');
      const graceSeconds = Number(/^(\d+)s$/.exec(service.stop_grace_period ?? '')?.[1]);
      const ttlSeconds = Number(composeEnv(service).MEMBERSHIP_TTL_MS) / 1000;
      expect(graceSeconds).toBeGreaterThanOrEqual(ttlSeconds + 10);
    }
  });

  it('gives each gateway a distinct GATEWAY_ID and a health check, and puts them behind the load balancer', () => {
    const gateways = servicesNamed('gateway');
    expect(new Set(gateways.map(([, s]) => composeEnv(s).GATEWAY_ID)).size).toBe(gateways.length);
    for (const [, service] of gateways) expect(service.healthcheck?.test.join(' ')).toContain('/healthz');
    const lb = compose.services.lb as ComposeService & { depends_on: Record<string, { condition: string }> };
    for (const [name] of gateways) expect(lb.depends_on[name].condition).toBe('service_healthy');
  });

  it('uses one REDIS_PREFIX and one SNAPSHOT_EVERY across services', () => {
    for (const name of ['REDIS_PREFIX', 'SNAPSHOT_EVERY']) {
      const values = appServices
        .map(([, service]) => composeEnv(service)[name])
        .filter((value) => value !== undefined);
      expect(values.length).toBeGreaterThan(0);
      expect(new Set(values).size).toBe(1);
    }
  });
});

describe('Kubernetes configuration names', () => {
  const { config, secret, containerEnv } = k8sNames();

  it('ConfigMap, Secret and container env use only names .env.example lists', () => {
    expect(unknownNames([...config, ...secret, ...containerEnv], envExample)).toEqual([]);
  });

  it('provide every variable .env.example sets', () => {
    const provided = new Set([...config, ...secret, ...containerEnv]);
    expect([...envExample.required].filter((name) => !provided.has(name))).toEqual([]);
  });

  it('keep credentials in the Secret and nothing twice', () => {
    for (const name of ['JWT_SECRET', 'DATABASE_URL', 'REDIS_URL']) {
      expect(secret).toContain(name);
      expect(config).not.toContain(name);
    }
    expect([...config].filter((name) => secret.has(name))).toEqual([]);
  });

  it('name exactly the variables the compose services set', () => {
    const composeNames = new Set(appServices.flatMap(([, service]) => composeEnvNames(service)));
    const k8s = new Set([...config, ...secret, ...containerEnv]);
    expect([...k8s].sort()).toEqual([...composeNames].sort());
  });
});

describe('.env.example copied to .env as it is', () => {
  it('lets the app served on PORT connect, and npm start warns only about the placeholder secret', async () => {
    const { configurationWarnings, stackEnv } = (await import(
      path.join(ROOT, 'scripts/stack/local-stack.mjs')
    )) as {
      configurationWarnings: (env: Record<string, string | undefined>) => string[];
      stackEnv: (base: Record<string, string | undefined>) => Record<string, string | undefined>;
    };
    const copied = Object.fromEntries(
      readFileSync(path.join(ROOT, '.env.example'), 'utf8')
        .split('\n')
        .map((line) => /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line))
        .filter((set): set is RegExpExecArray => set !== null)
        .map((set): [string, string] => [set[1], set[2]]),
    );
    const warnings = configurationWarnings(stackEnv(copied));
    expect(warnings).toEqual([expect.stringContaining('JWT_SECRET is a placeholder')]);
    // And the warning is not a constant: a real secret and a wrong origin list say otherwise.
    const fixed = {
      ...copied,
      JWT_SECRET: 'k'.repeat(40),
      ALLOWED_ORIGINS: 'http://localhost:5173',
    };
    expect(configurationWarnings(stackEnv(fixed))).toEqual([
      expect.stringContaining('leaves out http://localhost:3000'),
    ]);
  });
});
