import { Token, aws_ecr as ecr, aws_kms as kms } from 'aws-cdk-lib';
import { Problems } from './errors';

/*
 * ECR's rules for names, prefixes, filters, upstreams and Regions, used by the constructs that
 * build resources and by the EcrSupplyChainChecks rules that audit them, so that both agree.
 */

/**
 * The prefix value of pull-through cache rules and creation templates that stands for every
 * repository.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
 */
export const ROOT = 'ROOT';

/**
 * Scanning filters (CloudFormation `AWS::ECR::RegistryScanningConfiguration`, filter type
 * `WILDCARD`): 1-255 characters of lowercase letters, digits, `.`, `_`, `-`, `/` and `*`.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-filters.html
 */
export const SCAN_FILTER_PATTERN = /^[a-z0-9*](?:[._\-/a-z0-9*]?[a-z0-9*]+)*$/;
/** At most 100 filters per scanning rule (CloudFormation schema). */
export const MAX_SCAN_FILTERS = 100;

export function validateScanFilters(problems: Problems, filters: string[], prop: string): void {
  if (filters.length > MAX_SCAN_FILTERS) {
    problems.add('TooManyScanFilters',
      `${prop} has ${filters.length} filters; ECR accepts at most ${MAX_SCAN_FILTERS} per scanning rule: ` +
      "use wildcards such as 'prod/*' (see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-filters.html)");
  }
  for (const f of filters) {
    if (Token.isUnresolved(f)) {
      continue;
    }
    if (f.length < 1 || f.length > 255 || !SCAN_FILTER_PATTERN.test(f)) {
      problems.add('InvalidScanFilter',
        `${prop} entry '${f}' is not a valid scanning filter: use 1-255 lowercase letters, digits, ` +
        "'.', '_', '-', '/' and '*' wildcards, e.g. 'prod/*' or '*' " +
        '(see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-filters.html)');
    }
  }
}

/**
 * Whether a scanning filter (`FilterType: WILDCARD`) matches a repository name: "a filter with
 * no wildcard will match all repository names that contain the filter. A filter with a wildcard
 * (*) matches on any repository name where the wildcard replaces zero or more characters in the
 * repository name."
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning-filters.html
 */
export function scanFilterMatches(filter: string, name: string): boolean {
  if (!filter.includes('*')) {
    return name.includes(filter);
  }
  return wildcardRegex(filter, true).test(name);
}

/**
 * Whether a scanning filter matches every repository whose name starts with `prefix`.
 */
export function scanFilterCoversPrefix(filter: string, prefix: string): boolean {
  if (!filter.includes('*')) {
    return prefix.includes(filter);
  }
  if (!filter.endsWith('*')) {
    return false;
  }
  // head* matches prefix + anything when head matches some beginning of the prefix.
  const head = filter.slice(0, -1);
  return wildcardRegex(head, false).test(prefix);
}

/** Whether a scanning filter matches every possible repository name (only `*`s). */
export function scanFilterMatchesEverything(filter: string): boolean {
  return /^\*+$/.test(filter);
}

/** A RegExp anchored at the start (and at the end when asked) where `*` stands for any characters. */
export function wildcardRegex(pattern: string, anchoredEnd: boolean): RegExp {
  const body = pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('.*');
  return new RegExp(`^${body}${anchoredEnd ? '$' : ''}`);
}

/**
 * Replication filters (`PREFIX_MATCH`): 2-256 characters.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-ecr-replicationconfiguration-repositoryfilter.html
 */
export const REPLICATION_PREFIX_PATTERN = /^(?:[a-z0-9]+(?:[._-][a-z0-9]*)*\/)*[a-z0-9]*(?:[._-][a-z0-9]*)*$/;
/** "Each rule may contain up to 100 filters." @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html */
export const MAX_REPLICATION_FILTERS = 100;

export function validateReplicationPrefixes(problems: Problems, prefixes: string[], prop: string): void {
  if (prefixes.length > MAX_REPLICATION_FILTERS) {
    problems.add('TooManyReplicationFilters',
      `${prop} has ${prefixes.length} prefixes; ECR accepts at most ${MAX_REPLICATION_FILTERS} per replication rule ` +
      '(see https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html): use shorter, shared prefixes');
  }
  for (const p of prefixes) {
    if (Token.isUnresolved(p)) {
      continue;
    }
    if (p.length < 2 || p.length > 256 || !REPLICATION_PREFIX_PATTERN.test(p)) {
      problems.add('InvalidReplicationPrefix',
        `${prop} entry '${p}' is not a valid repository prefix: use 2-256 lowercase letters, digits, '.', '_', '-' ` +
        "and '/' with no wildcards, e.g. 'prod/' (replication matches repository names that start with it)");
    }
  }
}

/**
 * Signing filters (`WILDCARD_MATCH`): 1-256 characters, `*` matches any sequence.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
 */
export const SIGNING_FILTER_PATTERN = /^(?:[a-z0-9*]+(?:[._-][a-z0-9*]+)*\/)*[a-z0-9*]+(?:[._-][a-z0-9*]+)*$/;

export function validateSigningFilters(problems: Problems, filters: string[], prop: string): void {
  if (filters.length < 1 || filters.length > 100) {
    problems.add('InvalidSigningFilterCount',
      `${prop} has ${filters.length} filters; a signing rule takes 1-100 (omit the rule's filters to sign every repository)`);
  }
  for (const f of filters) {
    if (Token.isUnresolved(f)) {
      continue;
    }
    if (f.length > 256 || !SIGNING_FILTER_PATTERN.test(f)) {
      problems.add('InvalidSigningFilter',
        `${prop} entry '${f}' is not a valid signing filter: use lowercase letters, digits, '.', '_', '-', '/' ` +
        "and '*' wildcards with no leading, trailing or doubled separators, e.g. 'prod/*'");
    }
  }
}

/**
 * Repository prefixes of creation templates and pull-through cache rules (besides `ROOT`):
 * lowercase letters and digits separated by `.`, `_`, `__` or `-`, with `/` between parts and
 * an optional trailing `/`.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-repositorycreationtemplate.html
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-pullthroughcacherule.html
 */
export const REPOSITORY_PREFIX_PATTERN = /^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)$/;

/** A creation template prefix: 1-256 characters, or `ROOT`. */
export function validateTemplatePrefix(problems: Problems, prefix: string, prop: string): void {
  if (Token.isUnresolved(prefix)) {
    return;
  }
  if (prefix.length < 1 || prefix.length > 256 || !REPOSITORY_PREFIX_PATTERN.test(prefix)) {
    problems.add('InvalidTemplatePrefix',
      `${prop} '${prefix}' is not a valid repository prefix: use lowercase letters and digits separated by ` +
      "'.', '_', '__' or '-', with '/' between parts (e.g. 'prod/'), or 'ROOT' for every repository");
  }
}

/**
 * A pull-through cache prefix (`ecrRepositoryPrefix` / `upstreamRepositoryPrefix`):
 * 2-30 characters, or `ROOT`.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreatePullThroughCacheRule.html
 */
export function validateCachePrefix(problems: Problems, prefix: string, prop: string): void {
  if (Token.isUnresolved(prefix)) {
    return;
  }
  if (prefix !== ROOT && (prefix.length < 2 || prefix.length > 30 || !REPOSITORY_PREFIX_PATTERN.test(prefix))) {
    problems.add('InvalidRepositoryPrefix',
      `${prop} '${prefix}' is invalid: use 2-30 lowercase letters and digits separated by '.', '_', '__', '-' ` +
      'or \'/\' (e.g. \'docker-hub\'), or \'ROOT\'');
  }
}

/**
 * `prod`, `prod/` -> `prod`; `ROOT` and tokens stay. ECR assumes a trailing `/` on template
 * and cache prefixes, so `prod` and `prod/` name the same repositories; AWS's form for a cache
 * rule and its template is the same string without the slash ("the repository prefix you
 * specify during rule creation is what you should specify as your repository creation template
 * prefix as well"). This is the form we render and the key we compare by.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-creation-templates.html
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-rule.html
 */
export function normalizeTemplatePrefix(prefix: string): string {
  if (prefix === ROOT || Token.isUnresolved(prefix)) {
    return prefix;
  }
  return prefix.replace(/\/+$/, '');
}

/** `prod/` -> `prod`: a prefix as one name part (e.g. in a secret name). */
export function prefixWithoutSlash(prefix: string): string {
  return prefix.replace(/\/+$/, '');
}

/**
 * The context key that keeps the trailing `/` on rendered creation-template prefixes, as
 * earlier releases of this library rendered them: set it to `true` for a registry deployed with those
 * releases when its update must not replace the templates (a template's `Prefix` is
 * create-only). Without it templates render AWS's form, without the slash.
 */
export const TEMPLATE_PREFIX_TRAILING_SLASH_CONTEXT = 'cdk-secure-registry:templatePrefixTrailingSlash';

/**
 * The repository names a prefix covers, as an IAM resource name pattern: `*` for `ROOT`,
 * else `<prefix>/*`.
 */
export function repositoryNamePattern(prefix: string): string {
  if (prefix === ROOT) {
    return '*';
  }
  return `${normalizeTemplatePrefix(prefix)}/*`;
}

/**
 * Regions with ECR managed signing (CloudFormation `AWS::ECR::SigningConfiguration`).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
 */
export const SIGNING_REGIONS = new Set([
  'af-south-1', 'ap-east-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-south-1', 'ap-southeast-1',
  'ap-southeast-2', 'ca-central-1', 'eu-central-1', 'eu-north-1', 'eu-south-1', 'eu-west-1',
  'eu-west-2', 'eu-west-3', 'me-south-1', 'sa-east-1', 'us-east-1', 'us-east-2', 'us-west-1',
  'us-west-2', 'us-gov-east-1', 'us-gov-west-1',
]);

/**
 * The AWS Signer platform of the profiles ECR managed signing uses (Notation).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/managed-signing.html
 */
export const NOTATION_PLATFORM = 'Notation-OCI-SHA384-ECDSA';

/**
 * Tag mutability settings that keep release tags from being moved.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html
 */
export const IMMUTABLE_TAG_SETTINGS = ['IMMUTABLE', 'IMMUTABLE_WITH_EXCLUSION'];

/**
 * Whether a Region has ECR pull through cache: not in China or AWS GovCloud (US).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
 */
export function hasPullThroughCache(region: string): boolean {
  return !/^(cn-|us-gov-)/.test(region);
}

/**
 * Secrets that hold upstream credentials must be named with this prefix.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-secret.html
 */
export const PULL_THROUGH_CACHE_SECRET_PREFIX = 'ecr-pullthroughcache/';

/**
 * The ARN of a secret whose name has the pull-through-cache prefix.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-secret.html
 */
export const PULL_THROUGH_CACHE_SECRET_ARN_PATTERN = new RegExp(
  `^arn:aws(-[a-z]+)*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:${PULL_THROUGH_CACHE_SECRET_PREFIX}[a-zA-Z0-9/_+=.@-]+$`);

/**
 * Upstream registries that pull through cache can only reach with credentials held in a Secrets
 * Manager secret, by their `UpstreamRegistry` value.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
 */
const UPSTREAMS_NEEDING_CREDENTIALS = [
  'docker-hub', 'github-container-registry', 'azure-container-registry', 'gitlab-container-registry', 'chainguard',
];

/** Whether an upstream (an `UpstreamRegistry` value such as `docker-hub`) needs credentials. */
export function upstreamRequiresCredentials(upstreamRegistry: string): boolean {
  return UPSTREAMS_NEEDING_CREDENTIALS.includes(upstreamRegistry);
}

/**
 * The `UpstreamRegistry` value a URL points at, for the upstreams that need credentials
 * (Docker Hub under any of its host names, GitHub, Azure, GitLab, Chainguard).
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html
 */
export function upstreamFromUrl(url: string): string | undefined {
  const host = url.replace(/^[a-z]+:\/\//i, '').split('/')[0].toLowerCase();
  if (host === 'registry-1.docker.io' || host === 'docker.io' || host === 'index.docker.io') {
    return 'docker-hub';
  }
  if (host === 'ghcr.io') {
    return 'github-container-registry';
  }
  if (host.endsWith('.azurecr.io')) {
    return 'azure-container-registry';
  }
  if (host === 'registry.gitlab.com') {
    return 'gitlab-container-registry';
  }
  if (host === 'cgr.dev') {
    return 'chainguard';
  }
  return undefined;
}

/**
 * Where a repository's (or a creation template's) encryption can be used: DSSE-KMS only in the
 * AWS GovCloud (US) Regions, and a KMS key only in the repository's own Region.
 * @see https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html
 */
export function validateEncryptionRegion(problems: Problems, encryption: ecr.RepositoryEncryption | undefined,
  key: kms.IKey | undefined, region: string, what: string): void {
  if (encryption === ecr.RepositoryEncryption.KMS_DSSE && !Token.isUnresolved(region) && !region.startsWith('us-gov-')) {
    problems.add('KmsDsseUnavailable',
      `encryption KMS_DSSE is only available in the AWS GovCloud (US) Regions, not ${region}: ` +
      'use RepositoryEncryption.KMS ' +
      '(see https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html)');
  }
  if (key && !Token.isUnresolved(key.env.region) && !Token.isUnresolved(region) && key.env.region !== region) {
    problems.add('KeyInOtherRegion',
      `encryptionKey is in ${key.env.region} but the ${what} is in ${region}: ` +
      `ECR needs a key in the ${what}'s own Region`);
  }
}
