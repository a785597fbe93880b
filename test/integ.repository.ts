/**
 * Integration test: a SecureRepository with a lifecycle policy, deployed for real and read
 * back through the ECR APIs. Offline only the committed snapshot is verified; see
 * docs/integ.md to run it live.
 */
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { disposableBaseline, integEnv } from './integ-helpers';
import { LifecyclePolicy } from '../src/lifecycle/lifecycle-policy';
import { LifecycleRule } from '../src/lifecycle/lifecycle-rule';
import { SecureRepository } from '../src/repository/secure-repository';

const app = new App();
const env = integEnv();
const stack = new Stack(app, 'SecureRepositoryIntegStack', { env });

const lifecyclePolicy = new LifecyclePolicy({
  rules: [
    LifecycleRule.expireUntagged(Duration.days(1)),
    LifecycleRule.keepNewest({ count: 5, tagPatternList: ['v*'] }),
  ],
});
const repositoryName = 'integ/secure-repository';
new SecureRepository(stack, 'Repository', {
  repositoryName,
  baseline: disposableBaseline(stack),
  lifecyclePolicy,
});

const integ = new IntegTest(app, 'SecureRepository', {
  testCases: [stack],
  regions: [env.region],
});

integ.assertions.awsApiCall('ECR', 'describeRepositories', { repositoryNames: [repositoryName] })
  .expect(ExpectedResult.objectLike({
    repositories: [ExpectedResult.objectLike({
      repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: ExpectedResult.objectLike({ encryptionType: 'KMS' }),
    })],
  }));

integ.assertions.awsApiCall('ECR', 'getLifecyclePolicy', { repositoryName })
  .expect(ExpectedResult.objectLike({
    repositoryName,
    lifecyclePolicyText: lifecyclePolicy.render(),
  }));

integ.assertions.awsApiCall('ECR', 'startLifecyclePolicyPreview', { repositoryName })
  .next(integ.assertions.awsApiCall('ECR', 'getLifecyclePolicyPreview', { repositoryName })
    .expect(ExpectedResult.objectLike({ repositoryName, status: 'COMPLETE' }))
    .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(15) }));

app.synth();
