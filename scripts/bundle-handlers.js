/*
 * Bundles VerifiedImage's custom-resource handler with esbuild: one self-contained file with the
 * AWS SDK clients it calls (the Lambda runtime's own SDK lags ECR's newer APIs). Run by the
 * `bundle:handlers` projen task before compile (so lib/ and the npm package hold it) and by jest's
 * globalSetup (so tests on a fresh clone synthesize with the current handler). Plain JavaScript:
 * it runs before anything is compiled.
 */
const path = require('path');

const root = path.join(__dirname, '..');

function bundleHandlers() {
  // Required here, not at the top: jest loads this file as its globalSetup.
  const esbuild = require('esbuild');
  esbuild.buildSync({
    entryPoints: [path.join(root, 'src/verified-image/handler/index.ts')],
    outfile: path.join(root, 'lib/verified-image/bundle/index.js'),
    bundle: true,
    platform: 'node',
    // The function's runtime (VerifiedImage uses Node.js 22 or later).
    target: 'node22',
    format: 'cjs',
    minifySyntax: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
}

module.exports = bundleHandlers;

if (require.main === module) {
  bundleHandlers();
}
