import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import * as access from '../../examples/docs/access';
import * as compliance from '../../examples/docs/compliance';
import * as network from '../../examples/docs/network';
import * as pullThroughCache from '../../examples/docs/pull-through-cache';
import * as registry from '../../examples/docs/registry';
import * as repositories from '../../examples/docs/repositories';
import * as verifiedImage from '../../examples/docs/verified-image';
import { RECIPES } from '../../examples/recipes/recipes';
import { SecureRegistry } from '../../src';
import { compliantApp, synthCompliant } from '../compliance/harness';

/**
 * Every TypeScript snippet of README.md and docs/*.md is an excerpt of a compiled file under
 * examples/: the code between `// #region <name>` and `// #endregion`, dedented, word for word.
 * (jsii-rosetta also compiles the README's snippets, but it does not read docs/.)
 */
const ROOT = path.join(__dirname, '..', '..');
const EXAMPLES = path.join(ROOT, 'examples');
/** Pages generated from the code or owned by the nag pack; they carry no excerpts. */
const NOT_EXCERPTED = new Set(['ERRORS.md', 'RULES.md']);

function examplesFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? examplesFiles(full) : e.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every region of every file under examples/, by name (names are unique across files). */
function regions(): Map<string, { file: string; code: string }> {
  const out = new Map<string, { file: string; code: string }>();
  const re = /^([ \t]*)\/\/ #region ([a-z0-9-]+)\n([\s\S]*?)^[ \t]*\/\/ #endregion$/gm;
  for (const file of examplesFiles(EXAMPLES)) {
    for (const m of fs.readFileSync(file, 'utf-8').matchAll(re)) {
      const indent = m[1].length;
      const code = m[3].split('\n').map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length))).join('\n');
      if (out.has(m[2])) {
        throw new Error(`region '${m[2]}' is defined twice (${out.get(m[2])!.file}, ${file})`);
      }
      out.set(m[2], { file: path.relative(ROOT, file), code });
    }
  }
  return out;
}

/** README.md and every hand-written docs/ page, by path. */
function pages(): Map<string, string> {
  const out = new Map<string, string>([['README.md', fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8')]]);
  for (const name of fs.readdirSync(path.join(ROOT, 'docs')).filter((n) => n.endsWith('.md') && !NOT_EXCERPTED.has(n))) {
    out.set(`docs/${name}`, fs.readFileSync(path.join(ROOT, 'docs', name), 'utf-8'));
  }
  return out;
}

/** The ```ts blocks of a page (the info string may carry rosetta parameters such as fixture=recipes). */
function tsBlocks(page: string): string[] {
  return [...page.matchAll(/^```ts(?: [^\n]*)?\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

describe('snippets of README.md and docs/ are excerpts of compiled examples', () => {
  const found = regions();
  const shown = new Map([...found].map(([name, r]) => [r.code, name]));

  test.each([...pages().keys()])('every TypeScript block of %s is a region of examples/, word for word', (name) => {
    const notExcerpts = tsBlocks(pages().get(name)!).filter((code) => !shown.has(code));
    expect(notExcerpts).toEqual([]);
  });

  test('every region is shown on some page', () => {
    const all = [...pages().values()].flatMap(tsBlocks);
    expect([...found].filter(([, r]) => !all.includes(r.code)).map(([name]) => name)).toEqual([]);
  });

  test('every recipe has a region of the same name', () => {
    expect(Object.keys(RECIPES).filter((name) => !found.has(name))).toEqual([]);
  });
});

describe('README.md for the npm page', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');

  test('is at most 20 KB', () => {
    expect(Buffer.byteLength(readme)).toBeLessThanOrEqual(20 * 1024);
  });

  test('links only with absolute URLs or anchors (the npm package ships no docs/ or examples/)', () => {
    const relative = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((m) => m[1]).filter((url) => !/^(https:\/\/|#)/.test(url));
    expect(relative).toEqual([]);
  });

  test('keeps the two set-up commands CI runs', () => {
    expect(readme).toContain('npm ci && npm run synth');
    expect(readme).toContain('npm ci && npm test');
  });
});

describe('recipes', () => {
  test.each(Object.keys(RECIPES))('%s synthesizes and passes every compliance pack', (name) => {
    const app = compliantApp();
    const stacks = RECIPES[name](app);
    const result = synthCompliant(app);
    expect(result.assembly.stacks.map((s) => s.stackName).sort()).toEqual(stacks.map((s) => s.stackName).sort());
  });
});

describe('docs/ snippets run', () => {
  const ENV = { account: '111111111111', region: 'us-east-1' };
  const stackSnippets = {
    ...registry.SNIPPETS,
    ...pullThroughCache.SNIPPETS,
    ...repositories.SNIPPETS,
    ...access.SNIPPETS,
    ...network.SNIPPETS,
    ...verifiedImage.SNIPPETS,
  };
  const appSnippets = { ...registry.APP_SNIPPETS, ...repositories.APP_SNIPPETS, ...compliance.APP_SNIPPETS };

  test.each(Object.keys(stackSnippets))('%s synthesizes', (name) => {
    const app = new App();
    (stackSnippets as Record<string, (stack: Stack) => void>)[name](new Stack(app, 'Stack', { env: ENV }));
    expect(app.synth().stacks.length).toBeGreaterThan(0);
  });

  test.each(Object.keys(appSnippets))('%s synthesizes', (name) => {
    const app = new App();
    new SecureRegistry(new Stack(app, 'Stack', { env: ENV }), 'Registry');
    (appSnippets as Record<string, (app: App) => void>)[name](app);
    expect(app.synth().stacks.length).toBeGreaterThan(0);
  });

  test('acknowledge synthesizes', () => {
    const app = new App();
    compliance.acknowledge(new SecureRegistry(new Stack(app, 'Stack', { env: ENV }), 'Registry'));
    expect(app.synth().stacks.length).toBe(1);
  });
});
