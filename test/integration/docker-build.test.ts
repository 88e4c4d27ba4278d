import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = new URL('../..', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
const normalize = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function dockerfileInstructions(text: string): string[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.trim().startsWith('#'))
    .map(normalize);
}

/** The script's `# Dockerfile: <INSTRUCTION …>` markers, each with the command on its line. */
function scriptMarkers(text: string): { instruction: string; command: string }[] {
  return text.split('\n').flatMap((line) => {
    const match = /^(.*?)#\s*Dockerfile:\s*([A-Z]+\s.*)$/.exec(line);
    return match ? [{ instruction: normalize(match[2]!), command: match[1]!.trim() }] : [];
  });
}

// Image metadata takes effect when the container runs, so the script meets it out of order.
const METADATA = /^(EXPOSE|HEALTHCHECK|CMD) /;

describe('scripts/docker-build-check.sh', () => {
  const dockerfile = dockerfileInstructions(read('Dockerfile'));
  const script = read('scripts/docker-build-check.sh');
  const markers = scriptMarkers(script);

  it('marks every Dockerfile instruction once, build steps in the Dockerfile order', () => {
    expect([...markers.map((m) => m.instruction)].sort()).toEqual([...dockerfile].sort());
    const steps = (list: string[]) => list.filter((i) => !METADATA.test(i));
    expect(steps(markers.map((m) => m.instruction))).toEqual(steps(dockerfile));
  });

  it('runs each RUN command verbatim through sh -c', () => {
    const runs = markers.filter((m) => m.instruction.startsWith('RUN '));
    expect(runs.length).toBeGreaterThan(0);
    for (const { instruction, command } of runs) expect(command).toBe(`run '${instruction.slice('RUN '.length)}'`);
  });

  it('runs the exec-form CMD and HEALTHCHECK commands with the same arguments', () => {
    const execForms = dockerfile.filter((i) => /^(CMD|HEALTHCHECK .*CMD) \[/.test(i));
    expect(execForms).toHaveLength(2);
    for (const instruction of execForms) {
      const argv = JSON.parse(instruction.slice(instruction.indexOf('['))) as string[];
      for (const arg of argv) expect(script).toContain(arg);
    }
  });

  it('builds the image without an engine and serves /healthz and GraphQL as a non-root user', async () => {
    const run = promisify(execFile);
    const result = await run('bash', ['scripts/docker-build-check.sh'], {
      cwd: root,
      timeout: 230_000,
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
      throw new Error(`docker-build-check.sh failed (exit ${error.code}):\n${error.stdout}\n${error.stderr}`);
    });
    expect(result.stdout).toContain('GET /healthz answered 200');
    expect(result.stdout).toContain('{"data":{"__typename":"Query"}}');
    expect(result.stdout).toContain('OK: the Dockerfile builds');
  }, 240_000);
});
