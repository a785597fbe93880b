import { RemovalPolicy, Token, aws_ecr as ecr } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Problems } from './errors';

/*
 * Run-time shape checks for callers the type checker never sees: plain JavaScript, and jsii
 * languages whose values reach us unchecked (a string where a list is expected, the string
 * 'false' where a boolean is expected, a missing required property). Without them such values
 * fail far from their cause, with a raw TypeError, one error per character of a string, or not
 * at all ('false' is truthy).
 *
 * Every public constructor and method that takes props calls `checkArgs` first. A problem is
 * reported with the usual code, construct path, bad value and fix:
 * - `MissingRequiredProp`: a required argument or property is undefined;
 * - `InvalidPropType`: a value of the wrong type (null included: leave a property out instead).
 * Unresolved tokens (strings, numbers, lists, `IResolvable` objects) are skipped, never refused.
 *
 * Objects are recognised by their members (duck typing), not by `instanceof`: an `iam.IRole`
 * made by another copy of aws-cdk-lib, or any object that implements the interface, is accepted.
 */

/** A kind of value: what it must be, and a check of a value that is neither undefined, null nor a token. */
export interface Kind {
  /** What the value must be, e.g. `an array of strings`. */
  readonly expected: string;
  /** An example of a valid value, for the fix, e.g. `['prod/*']`. */
  readonly example?: string;
  /** Whether the value must be given. */
  readonly required?: boolean;
  /** Reports the problems of `value` at `path` (`value` is defined, not null and not a token). */
  readonly check: (value: unknown, path: string, problems: Problems) => void;
}

const MAX_SHOWN = 60;

/** How a value reads in a message: `the string 'prod/*'`, `the number 5`, `null`, `an array of 2 elements`. */
export function describeValue(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  switch (typeof value) {
    case 'undefined': return 'undefined';
    case 'string': return `the string ${quote(value)}`;
    case 'number': return `the number ${value}`;
    case 'boolean': return `the boolean ${value}`;
    case 'function': return `a function${value.name ? ` (${value.name})` : ''}`;
    case 'object': {
      if (Array.isArray(value)) {
        return `an array of ${value.length} element${value.length === 1 ? '' : 's'}`;
      }
      const ctor = (value as object).constructor?.name;
      if (ctor && ctor !== 'Object') {
        return `an instance of ${ctor}`;
      }
      let json: string;
      try {
        json = JSON.stringify(value);
      } catch {
        json = '{...}';
      }
      return `the object ${json.length > MAX_SHOWN ? `${json.slice(0, MAX_SHOWN)}...` : json}`;
    }
    default: return `a ${typeof value}`;
  }
}

function quote(s: string): string {
  return `'${s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}...` : s}'`;
}

function isToken(value: unknown): boolean {
  if (typeof value === 'string' || typeof value === 'number') {
    return Token.isUnresolved(value);
  }
  return value !== null && typeof value === 'object' && Token.isUnresolved(value);
}

/** The fix for a value of the wrong type: a targeted one for the usual slips, else the expected kind. */
function fixFor(kind: Kind, value: unknown): string {
  const base = kind.expected;
  if (typeof value === 'string' && base.startsWith('an array')) {
    return `put it in a list: ['${value}']`;
  }
  if (typeof value === 'string' && base === 'a boolean' && /^(true|false)$/i.test(value.trim())) {
    return `use the boolean ${value.trim().toLowerCase()}, not a string (every non-empty string counts as true)`;
  }
  if (typeof value === 'string' && base.startsWith('a number') && value.trim() !== '' && !isNaN(Number(value))) {
    return `use the number ${Number(value)}, not a string`;
  }
  if (typeof value === 'number' && base.startsWith('a string')) {
    return `use the string '${value}' (ids such as account numbers are strings; a number loses leading zeros)`;
  }
  return `use ${base}${kind.example ? `, e.g. ${kind.example}` : ''}`;
}

function wrongType(kind: Kind, value: unknown, path: string, problems: Problems): void {
  problems.add('InvalidPropType', `${path} is ${describeValue(value)}, but it must be ${kind.expected}: ${fixFor(kind, value)}`);
}

/** Checks one value against `kind` at `path` (e.g. `props.scanOnPushFilters`), adding problems. */
export function checkValue(value: unknown, path: string, kind: Kind, problems: Problems): void {
  if (value === undefined) {
    if (kind.required) {
      problems.add('MissingRequiredProp',
        `${path} is missing: it is required (${kind.expected})${kind.example ? `; give e.g. ${kind.example}` : ''}`);
    }
    return;
  }
  if (value === null && kind.required) {
    problems.add('InvalidPropType',
      `${path} is null, but it is required (${kind.expected})${kind.example ? `; give e.g. ${kind.example}` : ''}`);
    return;
  }
  if (value === null) {
    problems.add('InvalidPropType', `${path} is null: leave the property out (undefined) for its default, or ${fixFor(kind, value)}`);
    return;
  }
  if (isToken(value)) {
    return;
  }
  kind.check(value, path, problems);
}

/**
 * Checks the arguments of a public constructor or method and throws one error listing every
 * problem, at `where` (a construct, or a stand-in for one not created yet; `undefined` for
 * values built outside the construct tree).
 */
export function checkArgs(where: IConstruct | undefined, args: Array<[string, unknown, Kind]>): void {
  const problems = new Problems();
  for (const [path, value, kind] of args) {
    checkValue(value, path, kind, problems);
  }
  if (where) {
    problems.throwIfAny(where);
  } else {
    problems.throwIfAnyUnscoped();
  }
}

function primitive(type: 'string' | 'number' | 'boolean', expected: string, example?: string): Kind {
  const kind: Kind = {
    expected,
    example,
    check: (value, path, problems) => {
      if (typeof value !== type || (type === 'number' && Number.isNaN(value))) {
        wrongType(kind, value, path, problems);
      }
    },
  };
  return kind;
}

/** A string. */
export const STRING = primitive('string', 'a string');
/** A number. */
export const NUMBER = primitive('number', 'a number');
/** A boolean. */
export const BOOLEAN = primitive('boolean', 'a boolean');

/** The same kind, with another example for messages. */
export function withExample(kind: Kind, example: string): Kind {
  return { ...kind, example };
}

/** The same kind, required. */
export function required(kind: Kind): Kind {
  return { ...kind, required: true };
}

/** An array whose elements are all of `element`. */
export function arrayOf(element: Kind, example?: string): Kind {
  const kind: Kind = {
    expected: `an array (each element ${element.expected})`,
    example: example ?? (element.example ? `[${element.example}]` : undefined),
    check: (value, path, problems) => {
      if (!Array.isArray(value)) {
        wrongType(kind, value, path, problems);
        return;
      }
      value.forEach((v, i) => checkValue(v, `${path}[${i}]`, required(element), problems));
    },
  };
  return kind;
}

/** A map from strings to values of `element` (e.g. tags). */
export function recordOf(element: Kind, example?: string): Kind {
  const kind: Kind = {
    expected: `an object (each value ${element.expected})`,
    example,
    check: (value, path, problems) => {
      if (typeof value !== 'object' || Array.isArray(value)) {
        wrongType(kind, value, path, problems);
        return;
      }
      for (const [k, v] of Object.entries(value as object)) {
        checkValue(v, `${path}['${k}']`, required(element), problems);
      }
    },
  };
  return kind;
}

/**
 * A member of an enum (jsii passes enum members as their string values): `name` is the enum's
 * name, `values` reads its members (lazily, so that modules that import each other can use it).
 */
export function enumOf(name: string, values: () => Record<string, string>): Kind {
  let expected: string | undefined;
  const describe = () => {
    expected ??= `one of ${Object.keys(values()).map((k) => `${name}.${k}`).join(', ')}`;
    return expected;
  };
  const kind: Kind = {
    get expected() {
      return describe();
    },
    check: (value, path, problems) => {
      if (typeof value !== 'string' || !Object.values(values()).includes(value)) {
        wrongType(kind, value, path, problems);
      }
    },
  };
  return kind;
}

/**
 * An object that has every member in `members` (an interface such as `iam.IRole`, or an
 * enum-like class such as `ecr.RepositoryEncryption`), recognised by duck typing.
 */
export function objectWith(name: string, members: string[], example?: string): Kind {
  const kind: Kind = {
    expected: name,
    example,
    check: (value, path, problems) => {
      if ((typeof value !== 'object' && typeof value !== 'function') || Array.isArray(value) ||
        !members.every((m) => m in (value as object))) {
        wrongType(kind, value, path, problems);
      }
    },
  };
  return kind;
}

/**
 * A struct (a props or options object) with the given fields; `fields` is read lazily.
 * Unknown fields are left alone.
 */
export function struct(name: string, fields: () => Record<string, Kind>, example = '{}'): Kind {
  const kind: Kind = {
    expected: `an object (${name})`,
    example,
    check: (value, path, problems) => {
      if (typeof value !== 'object' || Array.isArray(value)) {
        wrongType(kind, value, path, problems);
        return;
      }
      for (const [field, fieldKind] of Object.entries(fields())) {
        checkValue((value as Record<string, unknown>)[field], `${path}.${field}`, fieldKind, problems);
      }
    },
  };
  return kind;
}

/** The same kind, with its fields extended (for props that extend options). */
export function extend(base: () => Record<string, Kind>, more: () => Record<string, Kind>): () => Record<string, Kind> {
  return () => ({ ...base(), ...more() });
}

// Interfaces and classes the public API takes, by the members they are recognised by.

/** A construct scope (`Construct`). */
export const SCOPE = objectWith('a construct (the scope, e.g. this)', ['node']);
/** A construct id. */
export const ID = withExample(STRING, "'MyConstruct'");
/** The `scope` and `id` arguments of a construct constructor, to check before `super()`. */
export function constructArgs(scope: unknown, id: unknown): Array<[string, unknown, Kind]> {
  return [['scope', scope, required(SCOPE)], ['id', id, required(ID)]];
}
/** `iam.IRole`. */
export const ROLE = objectWith('an iam.IRole', ['roleArn', 'grantPrincipal'], 'iam.Role.fromRoleArn(this, \'Role\', arn)');
/** `iam.IGrantable`. */
export const GRANTABLE = objectWith('an iam.IGrantable (a role, user or function)', ['grantPrincipal']);
/** `iam.IPrincipal`. */
export const PRINCIPAL = objectWith('an iam.IPrincipal', ['policyFragment'], "new iam.ServicePrincipal('ecs-tasks.amazonaws.com')");
/** `iam.PolicyStatement`. */
export const POLICY_STATEMENT = objectWith('an iam.PolicyStatement', ['toStatementJson'], 'new iam.PolicyStatement({...})');
/** `kms.IKey`. */
export const KEY = objectWith('a kms.IKey', ['keyArn', 'keyId'], 'kms.Key.fromKeyArn(this, \'Key\', arn)');
/** `ecr.IRepository`. */
export const REPOSITORY = objectWith('an ecr.IRepository', ['repositoryArn', 'repositoryName'], 'repository');
/** `ecr.RepositoryEncryption`. */
export const REPOSITORY_ENCRYPTION = objectWith('an ecr.RepositoryEncryption', ['value'], 'ecr.RepositoryEncryption.KMS');
/** `Duration`. */
export const DURATION = objectWith('a Duration', ['toSeconds'], 'Duration.days(7)');
/** `ec2.IVpc`. */
export const VPC = objectWith('an ec2.IVpc', ['vpcId', 'selectSubnets'], 'vpc');
/** `ec2.SubnetSelection`. */
export const SUBNET_SELECTION = struct('ec2.SubnetSelection', () => ({}), '{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }');
/** `logs.ILogGroup`. */
export const LOG_GROUP = objectWith('a logs.ILogGroup', ['logGroupArn'], 'logGroup');
/** `sns.ITopic`. */
export const TOPIC = objectWith('an sns.ITopic', ['topicArn'], 'topic');
/** `secretsmanager.ISecret`. */
export const SECRET = objectWith('a secretsmanager.ISecret', ['secretArn'], 'secret');
/** `signer.ISigningProfile`. */
export const SIGNING_PROFILE = objectWith('a signer.ISigningProfile', ['signingProfileArn'], 'profile');
/** `iam.IOidcProvider`. */
export const OIDC_PROVIDER = objectWith('an iam.IOidcProvider', ['oidcProviderArn'],
  'GitHubActionsPushRole.existingOidcProvider(this)');
/** `RegistryBaseline`. */
export const BASELINE = objectWith('a RegistryBaseline', ['_resolve', 'with'], 'new RegistryBaseline({...})');
/** `LifecyclePolicy`. */
export const LIFECYCLE_POLICY = objectWith('a LifecyclePolicy', ['render', 'preview'], 'LifecyclePolicy.secureDefault()');
/** `LifecycleRule`. */
export const LIFECYCLE_RULE = objectWith('a LifecycleRule', ['_spec', 'withPriority'],
  'LifecycleRule.expireUntagged(Duration.days(7))');
/** `CountSelection`. */
export const COUNT_SELECTION = objectWith('a CountSelection', ['countType', 'countNumber'], 'CountSelection.imageCountMoreThan(30)');
/** `UpstreamRegistry`. */
export const UPSTREAM = objectWith('an UpstreamRegistry', ['_bind', 'url'], 'UpstreamRegistry.ecrPublic()');
/** `UpstreamCredentials`. */
export const UPSTREAM_CREDENTIALS = objectWith('an UpstreamCredentials', ['_bind', '_knownName'],
  'UpstreamCredentials.placeholder()');
/** `IRepositoryRegistry` (a `SecureRegistry`). */
export const REPOSITORY_REGISTRY = objectWith('a SecureRegistry (IRepositoryRegistry)',
  ['account', 'region', 'baseline', 'grantPushRequirements', 'scansRepository'], 'registry');
/** `SecureRegistry`. */
export const SECURE_REGISTRY = objectWith('a SecureRegistry', ['addCreationTemplate', 'addToRegistryPolicy', 'baseline'], 'registry');

/** The fields of `RegistryBaselineProps`, shared by every props type that extends it. */
export function baselineFields(): Record<string, Kind> {
  return {
    encryption: REPOSITORY_ENCRYPTION,
    encryptionKey: KEY,
    imageTagMutability: enumOf('ecr.TagMutability', () => ecr.TagMutability as unknown as Record<string, string>),
    imageTagMutabilityExclusionFilters: arrayOf(STRING, "['latest']"),
    scanOnPush: BOOLEAN,
    lifecyclePolicy: LIFECYCLE_POLICY,
    removalPolicy: enumOf('RemovalPolicy', () => RemovalPolicy as unknown as Record<string, string>),
    emptyOnDelete: BOOLEAN,
    tags: recordOf(STRING, "{ team: 'platform' }"),
    repositoryPolicyStatements: arrayOf(POLICY_STATEMENT),
  };
}
