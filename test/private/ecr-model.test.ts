import { Token } from 'aws-cdk-lib';
import {
  PULL_THROUGH_CACHE_SECRET_ARN_PATTERN, ROOT, hasPullThroughCache, normalizeTemplatePrefix, prefixWithoutSlash,
  repositoryNamePattern, scanFilterMatchesEverything, upstreamFromUrl, upstreamRequiresCredentials, validateCachePrefix,
} from '../../src/private/ecr-model';
import { Problems } from '../../src/private/errors';

describe('repository prefixes', () => {
  test.each([
    ['prod', 'prod', 'prod', 'prod/*'],
    ['prod/', 'prod', 'prod', 'prod/*'],
    ['team/a', 'team/a', 'team/a', 'team/a/*'],
    ['team/a/', 'team/a', 'team/a', 'team/a/*'],
    [ROOT, ROOT, ROOT, '*'],
  ])('%s: normalized %s, one name part %s, IAM pattern %s', (prefix, normalized, part, pattern) => {
    expect(normalizeTemplatePrefix(prefix)).toBe(normalized);
    expect(prefixWithoutSlash(prefix)).toBe(part);
    expect(repositoryNamePattern(prefix)).toBe(pattern);
  });

  test('a token prefix is kept as it is and gets a separator before the wildcard', () => {
    const token = Token.asString({ Ref: 'Prefix' });
    expect(normalizeTemplatePrefix(token)).toBe(token);
    expect(repositoryNamePattern(token)).toBe(`${token}/*`);
  });

  test.each([
    ['docker-hub', true],
    ['ROOT', true],
    ['a', false],
    ['team/', true],
    ['Team', false],
  ])('cache prefix %s valid: %s', (prefix, valid) => {
    const problems = new Problems();
    validateCachePrefix(problems, prefix, 'ecrRepositoryPrefix');
    expect(problems.isEmpty).toBe(valid);
  });
});

describe('scan filters', () => {
  test.each([['*', true], ['**', true], ['prod*', false], ['', false]])('%s matches everything: %s', (filter, expected) => {
    expect(scanFilterMatchesEverything(filter)).toBe(expected);
  });
});

describe('upstreams', () => {
  test.each([
    ['registry-1.docker.io', 'docker-hub'],
    ['https://docker.io/library', 'docker-hub'],
    ['index.docker.io', 'docker-hub'],
    ['ghcr.io', 'github-container-registry'],
    ['MyRegistry.azurecr.io', 'azure-container-registry'],
    ['registry.gitlab.com', 'gitlab-container-registry'],
    ['cgr.dev', 'chainguard'],
    ['public.ecr.aws', undefined],
    ['quay.io', undefined],
  ])('%s is %s', (url, upstream) => {
    expect(upstreamFromUrl(url)).toBe(upstream);
    if (upstream !== undefined) {
      expect(upstreamRequiresCredentials(upstream)).toBe(true);
    }
  });

  test.each(['quay', 'ecr-public', 'k8s', 'ecr'])('%s needs no credentials', (upstream) => {
    expect(upstreamRequiresCredentials(upstream)).toBe(false);
  });

  test('the secret ARN pattern wants the ecr-pullthroughcache/ name prefix', () => {
    expect(PULL_THROUGH_CACHE_SECRET_ARN_PATTERN.test(
      'arn:aws:secretsmanager:us-east-1:111111111111:secret:ecr-pullthroughcache/docker-hub-AbCdEf')).toBe(true);
    expect(PULL_THROUGH_CACHE_SECRET_ARN_PATTERN.test(
      'arn:aws-us-gov:secretsmanager:us-gov-west-1:111111111111:secret:ecr-pullthroughcache/hub')).toBe(true);
    expect(PULL_THROUGH_CACHE_SECRET_ARN_PATTERN.test(
      'arn:aws:secretsmanager:us-east-1:111111111111:secret:dockerhub-AbCdEf')).toBe(false);
  });

  test.each([['us-east-1', true], ['eu-west-1', true], ['cn-north-1', false], ['us-gov-west-1', false]])(
    'pull through cache in %s: %s', (region, expected) => {
      expect(hasPullThroughCache(region)).toBe(expected);
    });
});
