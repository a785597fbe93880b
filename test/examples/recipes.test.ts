import * as fs from 'fs';
import * as path from 'path';
import { RECIPES } from '../../examples/recipes/recipes';
import { compliantApp, synthCompliant } from '../compliance/harness';

const ROOT = path.join(__dirname, '..', '..');
const RECIPES_FILE = path.join(ROOT, 'examples', 'recipes', 'recipes.ts');

/** The `// #region name` blocks of the recipes file, dedented, as the README must show them. */
function regions(): Map<string, string> {
  const out = new Map<string, string>();
  const re = /^([ \t]*)\/\/ #region ([a-z-]+)\n([\s\S]*?)^[ \t]*\/\/ #endregion$/gm;
  for (const m of fs.readFileSync(RECIPES_FILE, 'utf-8').matchAll(re)) {
    const indent = m[1].length;
    out.set(m[2], m[3].split('\n').map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length))).join('\n'));
  }
  return out;
}

describe('README recipes', () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf-8');

  test('every recipe has a region, and the README shows each region word for word', () => {
    const found = regions();
    expect([...found.keys()].sort()).toEqual(Object.keys(RECIPES).sort());
    for (const [name, code] of found) {
      expect({ name, inReadme: readme.includes('```ts\n' + code + '```') }).toEqual({ name, inReadme: true });
    }
  });

  test.each(Object.keys(RECIPES))('%s synthesizes and passes every compliance pack', (name) => {
    const app = compliantApp();
    const stacks = RECIPES[name](app);
    const result = synthCompliant(app);
    expect(result.assembly.stacks.map((s) => s.stackName).sort()).toEqual(stacks.map((s) => s.stackName).sort());
  });
});
