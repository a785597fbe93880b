import { Token } from 'aws-cdk-lib';
import { Problems } from './errors';

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
 * Whether a scanning filter matches a repository name, as ECR documents it: a filter with no
 * wildcard matches every name that contains it; with `*`, the filter is anchored and `*`
 * replaces zero or more characters.
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
 * Creation template and pull-through cache prefixes, or `ROOT`.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-repositorycreationtemplate.html
 */
export const TEMPLATE_PREFIX_PATTERN = /^([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*\/?|ROOT)$/;

export function validateTemplatePrefix(problems: Problems, prefix: string, prop: string): void {
  if (Token.isUnresolved(prefix)) {
    return;
  }
  if (prefix.length < 1 || prefix.length > 256 || !TEMPLATE_PREFIX_PATTERN.test(prefix)) {
    problems.add('InvalidTemplatePrefix',
      `${prop} '${prefix}' is not a valid repository prefix: use lowercase letters and digits separated by ` +
      "'.', '_', '__' or '-', with '/' between parts (e.g. 'prod/'), or 'ROOT' for every repository");
  }
}

/** `prod`, `prod/` -> `prod/`; `ROOT` stays. ECR assumes a trailing `/` on template prefixes. */
export function normalizeTemplatePrefix(prefix: string): string {
  if (prefix === 'ROOT' || Token.isUnresolved(prefix)) {
    return prefix;
  }
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
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
