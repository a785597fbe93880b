/**
 * The README's first app: what `bin/<app>.ts` of a fresh `cdk init app --language typescript`
 * becomes after `npm install cdk-secure-registry cdk-nag`. The README shows the `first-app`
 * region word for word (test/examples/docs-snippets.test.ts), and test/examples/first-app.test.ts
 * synthesizes it as the cdk CLI does, with the compliance profile it applies.
 *
 * Run: `npx cdk synth --app "npx ts-node --prefer-ts-exts examples/first-app/app.ts"` (needs the
 * package installed under the name `cdk-secure-registry`; the tests map it to `src/`).
 */
// #region first-app
import { App, Stack, Validations } from 'aws-cdk-lib';
import { ComplianceProfile, GitHubActionsPushRole, SecureRegistry } from 'cdk-secure-registry';

const app = new App();
// At every synth: the cdk-nag packs (AWS Solutions, HIPAA, NIST 800-53 R4/R5, PCI DSS 3.2.1), the
// library's ECR supply-chain rules, and CloudFormation schema findings as errors. With
// @cdklabs/cdk-validator-cfnguard installed, { controlTower: true } adds Control Tower's rules.
ComplianceProfile.apply(app);
// A registry belongs to one account and Region: the stack needs an explicit env (use yours).
const stack = new Stack(app, 'RegistryStack', { env: { account: '111111111111', region: 'us-east-1' } });

// Enhanced scanning, one customer managed KMS key, and a repository with the secure baseline.
const registry = new SecureRegistry(stack, 'Registry');
const api = registry.addRepository('Api', { repositoryName: 'team/api' });

// GitHub Actions on main of example-org/api may push to team/api, and nothing else.
const ci = new GitHubActionsPushRole(stack, 'ApiCi', {
  githubRepository: 'example-org/api',
  branches: ['main'],
  repositories: [api],
});

// The one finding to acknowledge: docker login needs ecr:GetAuthorizationToken, which AWS
// accepts only on Resource '*'. Every other action of the role names team/api.
Validations.of(ci.policy).acknowledge({
  id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
  reason: 'ecr:GetAuthorizationToken has no resource type: AWS allows no narrower resource than *',
});
// #endregion

export { app, stack };
