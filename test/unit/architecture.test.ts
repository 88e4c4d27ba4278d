import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const SRC = join(import.meta.dirname, '../../src');
const BIOME = join(import.meta.dirname, '../../node_modules/.bin/biome');

/** Every .ts file below `dir`, as paths relative to `src/`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => relative(SRC, join(dir, file)));
}

/** The module specifiers a source file imports or re-exports. */
function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  return [...text.matchAll(/^(?:import|export)\s(?:[^;]*?from\s+)?'([^']+)'/gms)].map((m) => m[1]!);
}

/** Runs Biome's import-cycle rule alone over `dir`; resolves with its exit code and output. */
async function cycleCheck(cwd: string, dir: string): Promise<{ code: number; output: string }> {
  const args = ['lint', '--only=suspicious/noImportCycles', '--diagnostic-level=error', dir];
  try {
    const { stdout, stderr } = await run(BIOME, args, { cwd });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, output: stdout + stderr };
  }
}

describe('the source tree', () => {
  it('has no import cycle anywhere in src/', async () => {
    const { code, output } = await cycleCheck(join(SRC, '..'), 'src');
    expect(output).not.toMatch(/noImportCycles/);
    expect(code).toBe(0);
  });

  it.each([
    [
      'import values from each other',
      "import { b } from './b.js';\nexport const a = () => b();\n",
      "import { a } from './a.js';\nexport const b = () => a();\n",
    ],
    [
      // The compiler drops `import type`, but the modules still depend on each other (madge counts it too).
      'close the cycle with a type-only import',
      "import type { B } from './b.js';\nexport const a = (value: B) => value;\n",
      "import { a } from './a.js';\nexport type B = number;\nexport const b = () => a(1);\n",
    ],
  ])('fails the cycle check when two modules %s', async (_how, a, b) => {
    const dir = mkdtempSync(join(tmpdir(), 'cycle-'));
    try {
      // The project's own lint settings, so that the rule's severity and options there are what is tested.
      const { linter } = JSON.parse(readFileSync(join(SRC, '../biome.json'), 'utf8'));
      writeFileSync(join(dir, 'biome.json'), JSON.stringify({ linter }));
      writeFileSync(join(dir, 'a.ts'), a);
      writeFileSync(join(dir, 'b.ts'), b);
      const { code, output } = await cycleCheck(dir, '.');
      expect(output).toMatch(/noImportCycles/);
      expect(code).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('keeps the domain free of GraphQL, HTTP and the rest of the gateway', () => {
    const domain = sources(join(SRC, 'domain'));
    expect(domain.length).toBeGreaterThan(0);
    for (const file of domain) {
      // Only sibling domain modules: no graphql, no node:http, no undici, nothing from ../
      for (const specifier of importsOf(file))
        expect({ file, specifier }).toEqual({ file, specifier: expect.stringMatching(/^\.\/[\w-]+\.js$/) });
    }
  });

  it('builds viewneo URLs only in the upstream module (and the sandbox that plays viewneo)', () => {
    const outside = sources(SRC).filter((file) => !file.startsWith('viewneo/') && !file.startsWith('sandbox/'));
    const offenders = outside.filter((file) => /\/api\/v1\.0|\/oauth\/(token|authorize)/.test(readFileSync(join(SRC, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('lets no resolver touch loaders, cache keys or the upstream client', () => {
    for (const file of sources(join(SRC, 'resolvers'))) {
      const text = readFileSync(join(SRC, file), 'utf8');
      expect({ file, loaders: /dataloader|loaders|cacheKey|invalidate|\.prime\(/i.test(text) }).toEqual({ file, loaders: false });
      for (const specifier of importsOf(file)) {
        expect({ file, specifier }).not.toEqual({
          file,
          specifier: expect.stringMatching(/session\/(loaders|resources)|cache\/|viewneo\/(client|requests|transport)/),
        });
      }
    }
  });

  it('lists every schema type file in src/schema/index.ts and keeps type files from importing each other', () => {
    const typeFiles = sources(join(SRC, 'schema')).filter((file) =>
      /builder\.(node|objectType|objectRef|queryFields?|mutationFields?|inputType|enumType|scalarType|unionType)\(/.test(
        readFileSync(join(SRC, file), 'utf8'),
      ),
    );
    const index = importsOf('schema/index.ts');
    expect(typeFiles.length).toBeGreaterThan(5);
    for (const file of typeFiles.filter((f) => f !== 'schema/builder.ts')) {
      expect(index).toContain(`./${file.slice('schema/'.length).replace(/\.ts$/, '.js')}`);
      const siblings = importsOf(file).filter(
        (s) => s.startsWith('./') && typeFiles.includes(`schema/${s.slice(2).replace(/\.js$/, '.ts')}`),
      );
      expect({ file, siblings }).toEqual({
        file,
        siblings: file === 'schema/index.ts' ? siblings : ['./builder.js'].filter((b) => siblings.includes(b)),
      });
    }
  });
});
