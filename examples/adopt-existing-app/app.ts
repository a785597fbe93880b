/**
 * Adopting the library on an existing app: repositories declared with plain aws-cdk-lib stay as
 * they are in code; the guardrail aspect brings them to the baseline where that is safe, and
 * only reports what it must not change (encryption and the name are create-only: changing them
 * replaces the repository). EcrSupplyChainChecks then checks the whole app at synth.
 *
 * Run: `npx cdk synth --app "npx ts-node --prefer-ts-exts examples/adopt-existing-app/app.ts"`
 * (synthesized with every compliance pack by test/examples/examples.test.ts).
 */
import { App, Aspects, RemovalPolicy, Stack, aws_ecr as ecr, aws_kms as kms } from 'aws-cdk-lib';
import { EcrRepositoryGuardrail, GuardrailMode } from '../../src';
import { limitGrantsToAwsServices } from '../secure-registry/app';

/** The existing app: what a team had before adopting the library. */
export function buildExistingApp(app: App): Stack {
  const stack = new Stack(app, 'LegacyServices', { env: { account: '555555555555', region: 'us-east-2' } });
  const key = new kms.Key(stack, 'ImagesKey', { enableKeyRotation: true });
  limitGrantsToAwsServices(key); // the account runs AWS Control Tower's proactive control CT.KMS.PR.3
  // Already encrypted with a customer managed key; nothing else configured.
  new ecr.Repository(stack, 'Billing', {
    repositoryName: 'legacy/billing',
    encryption: ecr.RepositoryEncryption.KMS,
    encryptionKey: key,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  new ecr.Repository(stack, 'Reports', {
    repositoryName: 'legacy/reports',
    encryption: ecr.RepositoryEncryption.KMS,
    encryptionKey: key,
  });
  return stack;
}

/** The one line that adopts the library: ENFORCE the baseline where it is safe to change. */
export function adopt(app: App): void {
  Aspects.of(app).add(new EcrRepositoryGuardrail({ mode: GuardrailMode.ENFORCE }));
}

if (require.main === module) {
  const app = new App();
  buildExistingApp(app);
  adopt(app);
  app.synth();
}
