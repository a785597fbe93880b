/**
 * Single account, single Region: a secure registry in a dozen lines.
 *
 * Run: `npx cdk synth --app "npx ts-node --prefer-ts-exts examples/single-account/app.ts"`
 * (synthesized with every compliance pack by test/examples/examples.test.ts).
 */
import { App, Stack } from 'aws-cdk-lib';
import { SecureRegistry, UpstreamRegistry } from '../../src';

/** Builds the single-account registry into `app`. */
export function buildSingleAccount(app: App): Stack {
  const stack = new Stack(app, 'TeamRegistry', { env: { account: '444444444444', region: 'eu-central-1' } });
  const registry = new SecureRegistry(stack, 'Registry'); // enhanced scanning, one KMS key
  registry.addRepository('Api', { repositoryName: 'team/api' }); // immutable, scanned, lifecycle, retained
  registry.addRepository('Worker', { repositoryName: 'team/worker' });
  registry.addPullThroughCache(UpstreamRegistry.ecrPublic()); // + PULL_THROUGH_CACHE template
  registry.replicateTo({ region: 'eu-west-1', repositoryPrefixes: ['team/'] });
  return stack;
}

if (require.main === module) {
  const app = new App();
  buildSingleAccount(app);
  app.synth();
}
