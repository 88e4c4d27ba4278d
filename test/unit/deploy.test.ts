import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
// `yaml` comes with @graphql-codegen/cli and vite; no YAML parser is a direct dependency.
import { parse, parseAllDocuments } from 'yaml';
import { SANDBOX_OAUTH_CLIENT } from '../../src/sandbox/oauth.js';

const root = new URL('../..', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const exposedPort = Number(/^EXPOSE (\d+)$/m.exec(read('Dockerfile'))?.[1]);
// Every variable name src/config.ts reads (as env.NAME or as a quoted 'NAME').
const configVariables = new Set([...read('src/config.ts').matchAll(/\benv\.([A-Z][A-Z_]+)\b|'([A-Z][A-Z_]+)'/g)].map((m) => m[1] ?? m[2]));

describe('deploy/docker-compose.yml', () => {
  const compose = parse(read('deploy/docker-compose.yml'));
  const { gateway, sandbox } = compose.services;

  it('runs the gateway and the sandbox from the one image the Dockerfile builds', () => {
    expect(gateway.build.context).toBe('..');
    expect(sandbox.build).toEqual(gateway.build);
    expect(sandbox.image).toBe(gateway.image);
    expect(sandbox.command).toEqual(['node', 'dist/sandbox/main.js']);
    expect(existsSync(new URL('src/sandbox/main.ts', root))).toBe(true);
  });

  it('points the gateway at the sandbox by the name the sandbox listens on', () => {
    expect(sandbox.environment.SANDBOX_HOST).toBe('sandbox');
    expect(gateway.environment.VIEWNEO_BASE_URL).toBe(`http://sandbox:${sandbox.environment.SANDBOX_PORT}`);
    expect(gateway.depends_on.sandbox.condition).toBe('service_healthy');
    expect(sandbox.healthcheck.test.join(' ')).toContain(`http://sandbox:${sandbox.environment.SANDBOX_PORT}/`);
  });

  it('gives the gateway the sandbox OAuth client and a long enough GATEWAY_SECRET', () => {
    expect(gateway.environment.VIEWNEO_CLIENT_ID).toBe(SANDBOX_OAUTH_CLIENT.clientId);
    expect(gateway.environment.VIEWNEO_CLIENT_SECRET).toBe(SANDBOX_OAUTH_CLIENT.clientSecret);
    const fallback = /^\$\{GATEWAY_SECRET:-(.+)\}$/.exec(gateway.environment.GATEWAY_SECRET)?.[1] ?? '';
    expect(fallback.length).toBeGreaterThanOrEqual(32);
  });

  it('sets only configuration variables the gateway knows and publishes its port', () => {
    for (const name of Object.keys(gateway.environment)) expect(configVariables).toContain(name);
    expect(gateway.ports).toContain(`${exposedPort}:${exposedPort}`);
  });
});

describe('deploy/k8s', () => {
  const files = readdirSync(new URL('deploy/k8s', root)).filter((f) => f.endsWith('.yaml'));
  const manifests = files
    .filter((f) => f !== 'kustomization.yaml')
    .flatMap((f) => parseAllDocuments(read(`deploy/k8s/${f}`)).map((doc) => doc.toJS()));
  const byKind = (kind: string) => manifests.find((m) => m.kind === kind);
  const deployment = byKind('Deployment');
  const service = byKind('Service');
  const hpa = byKind('HorizontalPodAutoscaler');
  const pod = deployment?.spec.template.spec;
  const container = pod?.containers[0];

  it('has a Deployment, a Service and a HorizontalPodAutoscaler, all listed in the kustomization', () => {
    expect(deployment?.apiVersion).toBe('apps/v1');
    expect(service?.apiVersion).toBe('v1');
    expect(hpa?.apiVersion).toBe('autoscaling/v2');
    const kustomization = parse(read('deploy/k8s/kustomization.yaml'));
    expect([...kustomization.resources].sort()).toEqual(files.filter((f) => f !== 'kustomization.yaml').sort());
  });

  it('selects the pods of the Deployment from the Deployment and the Service', () => {
    const labels = deployment.spec.template.metadata.labels;
    expect(labels).toMatchObject(deployment.spec.selector.matchLabels);
    expect(labels).toMatchObject(service.spec.selector);
  });

  it('routes the Service to the port the image exposes', () => {
    const port = container.ports.find((p: { name: string }) => p.name === service.spec.ports[0].targetPort);
    expect(port.containerPort).toBe(exposedPort);
    expect(container.env.find((e: { name: string }) => e.name === 'PORT').value).toBe(String(exposedPort));
  });

  it('probes liveness on /healthz and readiness on /readyz', () => {
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.startupProbe.httpGet.path).toBe('/healthz');
  });

  it('requests and limits CPU and memory', () => {
    for (const bound of ['requests', 'limits']) {
      expect(container.resources[bound]).toHaveProperty('cpu');
      expect(container.resources[bound]).toHaveProperty('memory');
    }
  });

  it('runs as a non-root user the kubelet can verify, without privilege escalation', () => {
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext.allowPrivilegeEscalation).toBe(false);
    expect(container.securityContext.capabilities.drop).toEqual(['ALL']);
  });

  it('reads VIEWNEO_CLIENT_SECRET and GATEWAY_SECRET from a Secret, never from a literal', () => {
    for (const name of ['VIEWNEO_CLIENT_SECRET', 'GATEWAY_SECRET']) {
      const variable = container.env.find((e: { name: string }) => e.name === name);
      expect(variable.value).toBeUndefined();
      expect(variable.valueFrom.secretKeyRef).toMatchObject({ name: expect.any(String), key: name });
    }
    for (const { name } of container.env) expect(configVariables).toContain(name);
  });

  it('autoscales the Deployment on CPU between at least two replicas and a maximum', () => {
    expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: deployment.metadata.name });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
    expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
  });
});
