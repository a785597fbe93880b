/**
 * Integration test: a SecureRegistry deployed for real, then read back through the ECR APIs.
 *
 * Offline (`npx integ-runner --language typescript`, part of `npm test`) only the committed
 * snapshot is verified. With credentials, `npx projen integ --force` deploys, asserts and
 * destroys: see docs/integ.md. It changes REGISTRY-WIDE settings of the account and Region
 * (scanning, replication, signing): use a sandbox account.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { disposableBaseline, integEnv, otherRegion } from './integ-helpers';
import { SIGNING_REGIONS } from '../src/private/ecr-model';
import { CreationTemplateAppliedFor } from '../src/registry/creation-template';
import { SecureRegistry } from '../src/registry/secure-registry';
import { UpstreamRegistry } from '../src/registry/upstream-registry';

const app = new App();
const env = integEnv();
const stack = new Stack(app, 'SecureRegistryIntegStack', { env });

const registry = new SecureRegistry(stack, 'Registry', {
  baseline: disposableBaseline(stack),
});
const replicaRegion = otherRegion(env.region);
registry.replicateTo({ region: replicaRegion, repositoryPrefixes: ['integ/'] });
registry.addPullThroughCache(UpstreamRegistry.ecrPublic(), { ecrRepositoryPrefix: 'integ-ecr-public' });
registry.addCreationTemplate({ prefix: 'integ/', appliedFor: [CreationTemplateAppliedFor.CREATE_ON_PUSH] });
const signing = SIGNING_REGIONS.has(env.region);
if (signing) {
  registry.addSigningRule({ repositoryFilters: ['integ-signed/*'] });
}

const integ = new IntegTest(app, 'SecureRegistry', {
  testCases: [stack],
  regions: [env.region],
});

integ.assertions.awsApiCall('ECR', 'getRegistryScanningConfiguration', {})
  .expect(ExpectedResult.objectLike({
    scanningConfiguration: ExpectedResult.objectLike({
      scanType: 'ENHANCED',
      rules: ExpectedResult.arrayWith([
        ExpectedResult.objectLike({ scanFrequency: 'SCAN_ON_PUSH' }),
      ]),
    }),
  }));

integ.assertions.awsApiCall('ECR', 'describeRegistry', {})
  .expect(ExpectedResult.objectLike({
    registryId: env.account,
    replicationConfiguration: {
      rules: [{
        destinations: [{ region: replicaRegion, registryId: env.account }],
        repositoryFilters: [{ filter: 'integ/', filterType: 'PREFIX_MATCH' }],
      }],
    },
  }));

integ.assertions.awsApiCall('ECR', 'describePullThroughCacheRules', { ecrRepositoryPrefixes: ['integ-ecr-public'] })
  .expect(ExpectedResult.objectLike({
    pullThroughCacheRules: [ExpectedResult.objectLike({
      ecrRepositoryPrefix: 'integ-ecr-public',
      upstreamRegistryUrl: 'public.ecr.aws',
    })],
  }));

// The template was declared as 'integ/' and is rendered in AWS's form, 'integ'. Read back by the
// same string: this also answers live whether ECR keeps the string as given (the docs say only
// that it assumes a trailing '/').
integ.assertions.awsApiCall('ECR', 'describeRepositoryCreationTemplates', { prefixes: ['integ'] })
  .expect(ExpectedResult.objectLike({
    repositoryCreationTemplates: [ExpectedResult.objectLike({
      prefix: 'integ',
      appliedFor: ['CREATE_ON_PUSH'],
      imageTagMutability: 'IMMUTABLE',
      encryptionConfiguration: ExpectedResult.objectLike({ encryptionType: 'KMS' }),
    })],
  }));

if (signing) {
  integ.assertions.awsApiCall('ECR', 'getSigningConfiguration', {})
    .expect(ExpectedResult.objectLike({
      signingConfiguration: {
        rules: [ExpectedResult.objectLike({
          repositoryFilters: [{ filter: 'integ-signed/*', filterType: 'WILDCARD_MATCH' }],
        })],
      },
    }));
}

app.synth();
