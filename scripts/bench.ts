/**
 * `npm run bench`: every benchmark, each printing figures measured in this one run.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const scripts = ['bench-synth.ts', 'bench-lifecycle.ts', 'bench-compliance.ts'].filter((f) => fs.existsSync(path.join(__dirname, f)));
for (const script of scripts) {
  execFileSync(process.execPath, [
    require.resolve('ts-node/dist/bin.js'), '--project', path.join(__dirname, 'tsconfig.json'), path.join(__dirname, script),
  ], { stdio: 'inherit' });
}
