/**
 * Snippets of docs/pull-through-cache.md: each `// #region <name>` is shown there word for word
 * (test/examples/docs-snippets.test.ts), and every function is synthesized by the same test.
 */
import { Stack, aws_iam as iam, aws_secretsmanager as secretsmanager } from 'aws-cdk-lib';
import { PullThroughCache, SecureRegistry, UpstreamCredentials, UpstreamRegistry } from '../../src';

/** One cache rule per kind of upstream, and a grant. */
export function pullThroughCaches(stack: Stack): void {
  const dockerHubSecret = secretsmanager.Secret.fromSecretNameV2(stack, 'DockerHubSecret', 'ecr-pullthroughcache/docker-hub');
  const taskRole = new iam.Role(stack, 'TaskRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  // #region pull-through-cache-rules
  // Docker Hub with an existing secret; official images are pulled as docker-hub/library/nginx
  new PullThroughCache(stack, 'DockerHub', {
    upstream: UpstreamRegistry.dockerHub({ credentials: UpstreamCredentials.fromSecret(dockerHubSecret) }),
  });

  // GitHub Container Registry with a placeholder secret filled in after deploy
  new PullThroughCache(stack, 'Ghcr', {
    upstream: UpstreamRegistry.githubContainerRegistry({ credentials: UpstreamCredentials.placeholder() }),
  });

  // Anonymous upstreams
  new PullThroughCache(stack, 'EcrPublic', { upstream: UpstreamRegistry.ecrPublic() });

  // ECR-to-ECR: another account or Region, through a role trusted by pullthroughcache.ecr.amazonaws.com
  const cache = new PullThroughCache(stack, 'Dr', {
    upstream: UpstreamRegistry.ecr({ account: '222222222222', region: 'eu-west-1' }),
    ecrRepositoryPrefix: 'dr',
    upstreamRepositoryPrefix: 'prod',
  });
  cache.grantPullThroughCache(taskRole);
  // #endregion
}

/** The upstream side of a cross-account ECR-to-ECR cache, in the upstream account (111111111111). */
export function ecrToEcrUpstream(stack: Stack): void {
  const upstreamRegistry = new SecureRegistry(stack, 'Registry');
  const ordersRepository = upstreamRegistry.addRepository('Orders', { repositoryName: 'prod/orders' });
  // #region ecr-to-ecr-upstream
  // every repository under prod/ of the upstream registry, through its registry policy
  upstreamRegistry.grantEcrToEcrCache('222222222222', { repositoryPrefix: 'prod' });
  // or one repository, through its repository policy
  ordersRepository.grantEcrToEcrCache('222222222222');
  // #endregion
}

/** Every snippet of the page, by function name. */
export const SNIPPETS: Record<string, (stack: Stack) => void> = { pullThroughCaches, ecrToEcrUpstream };
