import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Namespace } from 'kubernetes-models/v1/Namespace';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { parse, parseAllDocuments } from 'yaml';

/** The repository root (this file is tools/deploy-check/test/deploy-files.ts). */
export const ROOT = path.resolve(__dirname, '../../..');
const K8S_DIR = path.join(ROOT, 'k8s');
/** kustomize's own file: not a Kubernetes API object, checked on its own. */
const KUSTOMIZATION = 'kustomization.yaml';

/** The fields every manifest object has; the rest is checked by its schema. */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface Manifest {
  file: string;
  object: K8sObject;
}

interface Validatable {
  validate(): void;
}

/**
 * The kinds this deployment may use, each with its schema-checked model from
 * kubernetes-models. A kind missing here is refused: a new kind is added on
 * purpose, with its schema, or not at all.
 */
const MODELS: Record<string, new (data: never) => Validatable> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'apps/v1/StatefulSet': StatefulSet,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

/**
 * Validates one object against the Kubernetes schema of its apiVersion and
 * kind. Throws on an unknown apiVersion/kind and on any schema violation.
 */
export function validateK8sObject(object: unknown): void {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) {
    throw new Error('a manifest document must be a mapping');
  }
  const { apiVersion, kind } = object as Partial<K8sObject>;
  const Model = MODELS[`${String(apiVersion)}/${String(kind)}`];
  if (!Model) throw new Error(`no schema for apiVersion ${String(apiVersion)} kind ${String(kind)}`);
  new Model(object as never).validate();
}

/** The YAML files of k8s/ (kustomization.yaml aside), sorted. */
export function manifestFiles(): string[] {
  return readdirSync(K8S_DIR)
    .filter((name) => /\.ya?ml$/.test(name) && name !== KUSTOMIZATION)
    .sort();
}

/** Every document of every manifest file; a YAML error fails loudly with its file. */
export function loadManifests(): Manifest[] {
  const manifests: Manifest[] = [];
  for (const file of manifestFiles()) {
    const docs = parseAllDocuments(readFileSync(path.join(K8S_DIR, file), 'utf8'));
    if (!Array.isArray(docs)) throw new Error(`${file}: not a YAML stream`);
    for (const doc of docs) {
      if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      const object = doc.toJS() as K8sObject | null;
      if (object !== null) manifests.push({ file, object });
    }
  }
  return manifests;
}

export function loadKustomization(): { resources: string[]; namespace?: string } {
  return parse(readFileSync(path.join(K8S_DIR, KUSTOMIZATION), 'utf8')) as {
    resources: string[];
    namespace?: string;
  };
}

/** compose files use YAML merge keys (`<<: *anchor`), which Docker Compose supports. */
export function loadCompose(): { services: Record<string, ComposeService> } {
  return parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, ComposeService>;
  };
}

export interface ComposeService {
  image?: string;
  build?: { context: string; target?: string; args?: Record<string, string> };
  environment?: Record<string, string> | string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[] };
  stop_grace_period?: string;
  command?: string[];
}

/** The variable names a compose service sets (mapping or `KEY=value` list form). */
export function composeEnvNames(service: ComposeService): string[] {
  const env = service.environment ?? {};
  return Array.isArray(env) ? env.map((entry) => entry.split('=')[0]) : Object.keys(env);
}

export function composeEnv(service: ComposeService): Record<string, string> {
  const env = service.environment ?? {};
  if (!Array.isArray(env)) return env;
  return Object.fromEntries(env.map((entry) => [entry.split('=')[0], entry.split('=').slice(1).join('=')]));
}

/**
 * The names .env.example lists: `required` (set, `KEY=value`) and `optional`
 * (documented but commented out, `# KEY=`).
 */
export function loadEnvExample(text = readFileSync(path.join(ROOT, '.env.example'), 'utf8')): {
  required: Set<string>;
  optional: Set<string>;
} {
  const required = new Set<string>();
  const optional = new Set<string>();
  for (const line of text.split('\n')) {
    const set = /^([A-Z][A-Z0-9_]*)=/.exec(line);
    if (set) {
      required.add(set[1]);
      continue;
    }
    const commented = /^#\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    if (commented) optional.add(commented[1]);
  }
  return { required, optional };
}

/** Names in `used` that .env.example does not list, sorted. */
export function unknownNames(
  used: Iterable<string>,
  envExample: ReturnType<typeof loadEnvExample>,
): string[] {
  return [...new Set(used)]
    .filter((name) => !envExample.required.has(name) && !envExample.optional.has(name))
    .sort();
}

/** The `FROM ... AS <stage>` names of the shared Dockerfile. */
export function dockerfileStages(text = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')): string[] {
  return [...text.matchAll(/^FROM\s+\S+\s+AS\s+(\S+)\s*$/gim)].map((match) => match[1]);
}
