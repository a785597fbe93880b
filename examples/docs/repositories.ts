/**
 * Snippets of docs/repositories-and-lifecycle.md: each `// #region <name>` is shown there word
 * for word (test/examples/docs-snippets.test.ts), and every function is run by the same test.
 */
import { App, Duration, Stack, aws_iam as iam } from 'aws-cdk-lib';
import {
  CountSelection, LifecycleImage, LifecyclePolicy, LifecycleRule, LifecycleTagStatus,
  PublicRepositoryArchitecture, PublicRepositoryOperatingSystem, RegistryBaseline, SecurePublicRepository,
  SecureRepository,
} from '../../src';

/** A repository with the baseline, pulled by a role and by the organization. */
export function repository(stack: Stack): void {
  const executionRole = new iam.Role(stack, 'ExecutionRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  // #region repository
  const orders = new SecureRepository(stack, 'Orders', { repositoryName: 'prod/orders' });
  orders.grantPull(executionRole); // pull actions on prod/orders + ecr:GetAuthorizationToken
  orders.grantPullToOrganization('o-exampleorg1');
  // #endregion
}

/** One baseline value for several repositories. */
export function sharedBaseline(stack: Stack): void {
  // #region baseline
  const baseline = new RegistryBaseline({ imageTagMutabilityExclusionFilters: ['latest'], tags: { team: 'platform' } });
  new SecureRepository(stack, 'Api', { repositoryName: 'prod/api', baseline });
  // #endregion
}

/** A lifecycle policy built from rules and presets. */
export function lifecyclePolicy(_stack: Stack): void {
  // #region lifecycle-policy
  const policy = new LifecyclePolicy({
    rules: [
      LifecycleRule.keepNewest({ count: 30, tagPatternList: ['v*'] }), // priority 1
      LifecycleRule.expireUntagged(Duration.days(7)), // priority 2
      LifecycleRule.transition({ // priority 3
        tagStatus: LifecycleTagStatus.ANY,
        count: CountSelection.sinceImagePulled(Duration.days(90)),
      }),
      LifecycleRule.expire({ count: CountSelection.sinceImageTransitioned(Duration.days(365)) }), // archive class
    ],
  });
  policy.render(); // {"rules":[{"rulePriority":1,...}]}
  // #endregion
}

/** An offline preview of a policy on an image inventory. */
export function lifecyclePreview(_stack: Stack): void {
  const images: LifecycleImage[] = [{ imageDigest: 'sha256:' + 'a'.repeat(64), imageTags: ['v1'], imagePushedAt: new Date('2026-01-01T00:00:00Z') }];
  // #region lifecycle-preview
  // images: e.g. from aws ecr describe-images --filter imageStatus=ANY
  const preview = LifecyclePolicy.releaseRetention().preview(images, new Date());
  preview.previewResults; // [{ imageDigest, imageTags, imagePushedAt, action, appliedRulePriority, storageClass }]
  preview.summary; // expiringImageTotalCount, transitioningImageTotalCount, per-rule counts
  preview.warnings; // rollback-safety warnings
  // #endregion
}

/** A public repository on public.ecr.aws (ECR Public exists only in us-east-1). */
export function publicRepository(app: App): Stack {
  const publisher = iam.Role.fromRoleName(new Stack(app, 'Publisher', { env: { account: '111111111111', region: 'us-east-1' } }), 'Publisher', 'publisher');
  // #region public-repository
  // ECR Public exists only in us-east-1
  const stack = new Stack(app, 'PublicStack', { env: { account: '111111111111', region: 'us-east-1' } });
  const cli = new SecurePublicRepository(stack, 'Cli', {
    repositoryName: 'example-cli',
    description: 'The example command-line tool',
    aboutText: '# example-cli\nA tool that ...',
    usageText: '`docker run public.ecr.aws/<alias>/example-cli --help`',
    architectures: [PublicRepositoryArchitecture.X86_64, PublicRepositoryArchitecture.ARM_64],
    operatingSystems: [PublicRepositoryOperatingSystem.LINUX],
    tags: { team: 'platform' },
  });
  cli.grantPush(publisher);
  // #endregion
  return stack;
}

/** Every snippet of the page that needs a stack, by function name. */
export const SNIPPETS: Record<string, (stack: Stack) => void> = { repository, sharedBaseline, lifecyclePolicy, lifecyclePreview };
/** Snippets that make their own stacks. */
export const APP_SNIPPETS: Record<string, (app: App) => void> = { publicRepository };
