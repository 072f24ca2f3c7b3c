import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IPodSpec } from 'kubernetes-models/v1/PodSpec';
import type { IProbe } from 'kubernetes-models/v1/Probe';
import {
  dockerfileStages,
  type K8sObject,
  loadKustomization,
  loadManifests,
  type Manifest,
  manifestFiles,
  validateK8sObject,
} from './deploy-files';

const manifests = loadManifests();
const NAMESPACE = 'collab';

/** Long-running workloads: each needs probes, an autoscaler and a disruption budget. */
const WORKLOAD_KINDS = ['Deployment', 'StatefulSet'];

function label(manifest: Manifest): string {
  return `${manifest.file}: ${manifest.object.kind}/${manifest.object.metadata?.name}`;
}

function ofKind(kind: string): K8sObject[] {
  return manifests.filter((m) => m.object.kind === kind).map((m) => m.object);
}

interface PodTemplateOwner {
  spec: { template: { metadata?: { labels?: Record<string, string> }; spec: IPodSpec } };
}

const workloads = manifests.filter((m) => WORKLOAD_KINDS.includes(m.object.kind));
const podOwners = manifests.filter((m) => [...WORKLOAD_KINDS, 'Job'].includes(m.object.kind));

function podSpec(object: K8sObject): IPodSpec {
  return (object as unknown as PodTemplateOwner).spec.template.spec;
}

function templateLabels(object: K8sObject): Record<string, string> {
  return (object as unknown as PodTemplateOwner).spec.template.metadata?.labels ?? {};
}

function allContainers(spec: IPodSpec): IContainer[] {
  return [...(spec.initContainers ?? []), ...spec.containers];
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}

function workloadsSelectedBy(selector: Record<string, string>): K8sObject[] {
  return workloads.map((w) => w.object).filter((w) => matches(selector, templateLabels(w)));
}

describe('Kubernetes manifests', () => {
  it('are found and parse', () => {
    expect(manifestFiles().length).toBeGreaterThan(1);
    expect(manifests.length).toBeGreaterThan(10);
  });

  it('are all listed in kustomization.yaml, and it lists no missing file', () => {
    const kustomization = loadKustomization();
    expect([...kustomization.resources].sort()).toEqual(manifestFiles());
    expect(kustomization.namespace).toBe(NAMESPACE);
  });

  it('have unique kind/name pairs', () => {
    const keys = manifests.map((m) => `${m.object.kind}/${m.object.metadata.name}`);
    expect(keys.filter((key, i) => keys.indexOf(key) !== i)).toEqual([]);
  });

  it.each(manifests.map((m) => [label(m), m] as const))('%s matches its Kubernetes schema', (_, manifest) => {
    expect(() => validateK8sObject(manifest.object)).not.toThrow();
  });

  it.each(manifests.filter((m) => m.object.kind !== 'Namespace').map((m) => [label(m), m] as const))(
    '%s lives in the collab namespace',
    (_, manifest) => {
      expect(manifest.object.metadata.namespace).toBe(NAMESPACE);
    },
  );
});

describe('the schema validator', () => {
  const deployment = (): K8sObject =>
    JSON.parse(JSON.stringify(ofKind('Deployment').find((d) => d.metadata.name === 'gateway'))) as K8sObject;

  it('accepts a copy of the gateway Deployment', () => {
    expect(() => validateK8sObject(deployment())).not.toThrow();
  });

  it('refuses a wrongly typed field', () => {
    const broken = deployment();
    (broken.spec as { replicas: unknown }).replicas = 'two';
    expect(() => validateK8sObject(broken)).toThrow();
  });

  it('refuses a container port that is not a number', () => {
    const broken = deployment();
    podSpec(broken).containers[0].ports = [{ containerPort: 'http' as never }];
    expect(() => validateK8sObject(broken)).toThrow();
  });

  it('refuses a Deployment without its pod template', () => {
    const broken = deployment();
    delete (broken.spec as { template?: unknown }).template;
    expect(() => validateK8sObject(broken)).toThrow();
  });

  it('refuses an HPA metric without its target', () => {
    const hpa = JSON.parse(JSON.stringify(ofKind('HorizontalPodAutoscaler')[0])) as K8sObject;
    delete (hpa.spec as { metrics: Array<{ resource?: { target?: unknown } }> }).metrics[0].resource?.target;
    expect(() => validateK8sObject(hpa)).toThrow();
  });

  it('refuses an unknown kind and an unknown apiVersion', () => {
    expect(() => validateK8sObject({ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'x' } })).toThrow(
      /no schema/,
    );
    expect(() => validateK8sObject({ ...deployment(), apiVersion: 'apps/v1beta1' })).toThrow(/no schema/);
  });

  it('refuses a document that is not a mapping', () => {
    expect(() => validateK8sObject(['not', 'an', 'object'])).toThrow();
  });
});

describe('workloads', () => {
  it('are the gateway, the doc-service and the snapshot worker', () => {
    expect(workloads.map((w) => w.object.metadata.name).sort()).toEqual([
      'doc-service',
      'gateway',
      'snapshot-worker',
    ]);
  });

  describe.each(workloads.map((w) => [label(w), w] as const))('%s', (_, { object }) => {
    const spec = podSpec(object);

    it('has liveness and readiness probes on declared ports', () => {
      for (const container of spec.containers) {
        const ports = new Set<string | number>(
          (container.ports ?? []).flatMap((p) => [p.containerPort, ...(p.name ? [p.name] : [])]),
        );
        for (const probe of [container.livenessProbe, container.readinessProbe] as Array<
          IProbe | undefined
        >) {
          expect(probe).toBeDefined();
          const port = probe?.httpGet?.port ?? probe?.tcpSocket?.port;
          if (port !== undefined) expect(ports.has(port)).toBe(true);
        }
        // Liveness and readiness answer different questions.
        expect(container.livenessProbe?.httpGet?.path).toBe('/healthz');
        expect(container.readinessProbe?.httpGet?.path).toBe('/readyz');
      }
    });

    it('has an explicit termination grace period', () => {
      expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(15);
    });

    it('is scaled by an HPA and protected by a PodDisruptionBudget', () => {
      const hpas = ofKind('HorizontalPodAutoscaler').filter((hpa) => {
        const ref = (hpa.spec as { scaleTargetRef: { kind: string; name: string } }).scaleTargetRef;
        return ref.kind === object.kind && ref.name === object.metadata.name;
      });
      expect(hpas).toHaveLength(1);
      // The HPA owns the replica count; a fixed one would be reset on every apply.
      expect((object.spec as { replicas?: number }).replicas).toBeUndefined();
      const pdbs = ofKind('PodDisruptionBudget').filter((pdb) =>
        matches(
          (pdb.spec as { selector: { matchLabels: Record<string, string> } }).selector.matchLabels,
          templateLabels(object),
        ),
      );
      expect(pdbs).toHaveLength(1);
    });
  });

  describe.each(podOwners.map((w) => [label(w), w] as const))('%s', (_, { object }) => {
    const spec = podSpec(object);

    it('runs as a non-root user, numerically', () => {
      expect(spec.securityContext?.runAsNonRoot).toBe(true);
      expect(spec.securityContext?.runAsUser).toBeGreaterThan(0);
      expect(spec.automountServiceAccountToken).toBe(false);
    });

    it('has locked-down containers with resource requests and limits', () => {
      for (const container of allContainers(spec)) {
        expect(container.securityContext?.allowPrivilegeEscalation).toBe(false);
        expect(container.securityContext?.readOnlyRootFilesystem).toBe(true);
        expect(container.securityContext?.capabilities?.drop).toContain('ALL');
        expect(container.securityContext?.runAsUser ?? spec.securityContext?.runAsUser).not.toBe(0);
        for (const bound of [container.resources?.requests, container.resources?.limits]) {
          expect(bound?.cpu).toBeDefined();
          expect(bound?.memory).toBeDefined();
        }
      }
    });

    it('uses images the Dockerfile builds, with a tag', () => {
      const stages = new Set(dockerfileStages());
      for (const container of allContainers(spec)) {
        const match = /^collab\/([a-z-]+):([\w.-]+)$/.exec(container.image ?? '');
        expect(match).not.toBeNull();
        expect(stages.has(match?.[1] ?? '')).toBe(true);
      }
    });
  });

  it('gives each doc-service its pod name as INSTANCE_ID and a grace period past the membership TTL', () => {
    const docService = manifests.find(
      (m) => m.object.metadata.name === 'doc-service' && m.object.kind !== 'Service',
    );
    expect(docService).toBeDefined();
    const spec = podSpec(docService!.object);
    const env = spec.containers[0].env ?? [];
    expect(env.find((e) => e.name === 'INSTANCE_ID')?.valueFrom?.fieldRef?.fieldPath).toBe('metadata.name');
    const config = ofKind('ConfigMap')[0] as unknown as { data: Record<string, string> };
    const ttlSeconds = Number(config.data.MEMBERSHIP_TTL_MS) / 1000;
    // The TTL, a flush of the group commit and room to spare.
    expect(spec.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(ttlSeconds + 10);
  });

  it('gives each gateway its pod name as GATEWAY_ID and a preStop pause before draining', () => {
    const gateway = ofKind('Deployment').find((d) => d.metadata.name === 'gateway');
    const container = podSpec(gateway!).containers[0];
    expect(container.env?.find((e) => e.name === 'GATEWAY_ID')?.valueFrom?.fieldRef?.fieldPath).toBe(
      'metadata.name',
    );
    const preStop = container.lifecycle?.preStop;
    expect(preStop?.sleep?.seconds ?? 0).toBeGreaterThan(0);
    expect(podSpec(gateway!).terminationGracePeriodSeconds).toBeGreaterThan(preStop?.sleep?.seconds ?? 0);
  });
});

describe('wiring', () => {
  it('every Service and PodDisruptionBudget selects a workload', () => {
    for (const object of [...ofKind('Service'), ...ofKind('PodDisruptionBudget')]) {
      const spec = object.spec as {
        selector: Record<string, string> | { matchLabels: Record<string, string> };
      };
      const selector = 'matchLabels' in spec.selector ? spec.selector.matchLabels : spec.selector;
      expect(workloadsSelectedBy(selector as Record<string, string>)).toHaveLength(1);
    }
  });

  it('every workload selector matches its own template', () => {
    for (const { object } of workloads) {
      const selector = (object.spec as { selector: { matchLabels: Record<string, string> } }).selector
        .matchLabels;
      expect(matches(selector, templateLabels(object))).toBe(true);
    }
  });

  it('the StatefulSet names an existing headless Service', () => {
    for (const set of ofKind('StatefulSet')) {
      const service = ofKind('Service').find(
        (s) => s.metadata.name === (set.spec as { serviceName: string }).serviceName,
      );
      expect((service?.spec as { clusterIP?: string } | undefined)?.clusterIP).toBe('None');
    }
  });

  it('the Ingress routes to the gateway Service by a port it declares, with WebSocket-friendly timeouts', () => {
    const [ingress] = ofKind('Ingress');
    const annotations = (ingress.metadata as { annotations?: Record<string, string> }).annotations ?? {};
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-read-timeout'])).toBeGreaterThanOrEqual(300);
    expect(Number(annotations['nginx.ingress.kubernetes.io/proxy-send-timeout'])).toBeGreaterThanOrEqual(300);
    const rules = (
      ingress.spec as {
        rules: Array<{
          http: { paths: Array<{ backend: { service: { name: string; port: { name?: string } } } }> };
        }>;
      }
    ).rules;
    for (const rule of rules) {
      for (const { backend } of rule.http.paths) {
        const service = ofKind('Service').find((s) => s.metadata.name === backend.service.name);
        const ports = (service?.spec as { ports: Array<{ name?: string }> } | undefined)?.ports ?? [];
        expect(ports.map((p) => p.name)).toContain(backend.service.port.name);
      }
    }
  });

  it('env references point at keys that exist in the ConfigMap or Secret', () => {
    const keys = new Map<string, Set<string>>();
    for (const object of [...ofKind('ConfigMap'), ...ofKind('Secret')]) {
      const data = { ...(object.data as object), ...(object.stringData as object) };
      keys.set(`${object.kind}/${object.metadata.name}`, new Set(Object.keys(data)));
    }
    for (const { object } of podOwners) {
      for (const container of allContainers(podSpec(object))) {
        for (const from of container.envFrom ?? []) {
          if (from.configMapRef) expect(keys.has(`ConfigMap/${from.configMapRef.name}`)).toBe(true);
          if (from.secretRef) expect(keys.has(`Secret/${from.secretRef.name}`)).toBe(true);
        }
        for (const { valueFrom } of container.env ?? []) {
          const cm = valueFrom?.configMapKeyRef;
          const secret = valueFrom?.secretKeyRef;
          if (cm) expect(keys.get(`ConfigMap/${cm.name}`)?.has(cm.key)).toBe(true);
          if (secret) expect(keys.get(`Secret/${secret.name}`)?.has(secret.key)).toBe(true);
        }
      }
    }
  });
});
