import { Token } from 'aws-cdk-lib';
import { Problems } from './errors';

/*
 * Shared validation rules. Each rule skips unresolved tokens (their value is only known at
 * deploy time) and adds a problem naming the value and the fix.
 * Patterns and limits come from the CloudFormation resource schemas and the ECR API model.
 */

/**
 * ECR repository names: 2-256 characters, lowercase alphanumeric groups separated by `.`, `_`,
 * `__` or runs of `-`, optionally namespaced with `/`.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ecr-repository.html#cfn-ecr-repository-repositoryname
 */
export const REPOSITORY_NAME_PATTERN =
  /^(?=.{2,256}$)([a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*(\/[a-z0-9]+((\.|_|__|-+)[a-z0-9]+)*)*)$/;

/** 12-digit AWS account id. */
export const ACCOUNT_ID_PATTERN = /^[0-9]{12}$/;

/**
 * AWS Region names (`us-east-1`, `eu-central-2`, `us-gov-west-1`, `cn-north-1`, ...).
 * ECR's replication schema accepts `[0-9a-z-]{2,25}`; we are stricter to catch typos.
 */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$/;

/** AWS Organizations id. @see https://docs.aws.amazon.com/organizations/latest/APIReference/API_Organization.html */
export const ORGANIZATION_ID_PATTERN = /^o-[a-z0-9]{10,32}$/;

export function isUnresolved(value: unknown): boolean {
  return typeof value === 'string' ? Token.isUnresolved(value) : value !== undefined && Token.isUnresolved(value);
}

export function validateRepositoryName(problems: Problems, name: string | undefined, prop = 'repositoryName'): void {
  if (name === undefined || Token.isUnresolved(name)) {
    return;
  }
  if (name.length < 2 || name.length > 256) {
    problems.add('InvalidRepositoryName',
      `${prop} '${name}' is ${name.length} characters long; ECR accepts 2-256 characters`);
    return;
  }
  if (!REPOSITORY_NAME_PATTERN.test(name)) {
    const suggestion = suggestRepositoryName(name);
    problems.add('InvalidRepositoryName',
      `${prop} '${name}' is not a valid ECR repository name: use lowercase letters and digits, ` +
      'separated by \'.\', \'_\', \'__\' or \'-\', with \'/\' between path parts and no leading, trailing or ' +
      `doubled separators${suggestion && suggestion !== name ? ` (e.g. '${suggestion}')` : ''}`);
  }
}

/** A best-effort valid name close to the given one, for error messages. */
export function suggestRepositoryName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9._/-]+/g, '-')
    .split('/')
    .map((part) => part.replace(/^[._-]+|[._-]+$/g, '').replace(/\.{2,}/g, '.').replace(/_{3,}/g, '__'))
    .filter((part) => part.length > 0)
    .join('/');
}

export function validateAccountId(problems: Problems, account: string | undefined, prop: string): void {
  if (account === undefined || Token.isUnresolved(account)) {
    return;
  }
  if (!ACCOUNT_ID_PATTERN.test(account)) {
    problems.add('InvalidAccountId',
      `${prop} '${account}' is not an AWS account id: use the 12-digit account number, e.g. '111111111111'`);
  }
}

export function validateRegion(problems: Problems, region: string | undefined, prop: string): void {
  if (region === undefined || Token.isUnresolved(region)) {
    return;
  }
  if (!REGION_PATTERN.test(region)) {
    problems.add('InvalidRegion',
      `${prop} '${region}' is not an AWS Region name: use e.g. 'us-east-1' or 'eu-west-1'`);
  }
}

export function validateOrganizationId(problems: Problems, orgId: string | undefined, prop: string): void {
  if (orgId === undefined || Token.isUnresolved(orgId)) {
    return;
  }
  if (!ORGANIZATION_ID_PATTERN.test(orgId)) {
    problems.add('InvalidOrganizationId',
      `${prop} '${orgId}' is not an AWS Organizations id: use 'o-' followed by 10-32 lowercase ` +
      'letters or digits, as `aws organizations describe-organization` prints it');
  }
}
