import { App, Stack, aws_iam as iam } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildFlagship } from '../../examples/secure-registry/app';
import { RegistryPolicyScope, SecureRegistry, UpstreamRegistry } from '../../src/registry';

/**
 * The orders CloudFormation must keep for ECR: a resource is created after everything it
 * depends on, through `DependsOn`, `Ref` or `Fn::GetAtt` (also inside `Fn::Sub` strings).
 */
function dependencyGraph(template: any): Map<string, Set<string>> {
  const resources: Record<string, any> = template.Resources ?? {};
  const graph = new Map<string, Set<string>>();
  const refs = (value: any, out: Set<string>) => {
    if (Array.isArray(value)) {
      value.forEach((v) => refs(v, out));
    } else if (value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) {
        if (k === 'Ref' && typeof v === 'string' && v in resources) {
          out.add(v);
        } else if (k === 'Fn::GetAtt') {
          const target = Array.isArray(v) ? v[0] : String(v).split('.')[0];
          if (target in resources) {
            out.add(target);
          }
        } else if (k === 'Fn::Sub') {
          const text = Array.isArray(v) ? v[0] : v;
          for (const m of String(text).matchAll(/\$\{([A-Za-z0-9]+)(\.[A-Za-z.]+)?\}/g)) {
            if (m[1] in resources) {
              out.add(m[1]);
            }
          }
          refs(v, out);
        } else {
          refs(v, out);
        }
      }
    }
  };
  for (const [id, resource] of Object.entries(resources)) {
    const deps = new Set<string>([].concat(resource.DependsOn ?? []));
    refs(resource.Properties ?? {}, deps);
    graph.set(id, deps);
  }
  return graph;
}

/** Whether `from` is created after `to`. */
function createdAfter(graph: Map<string, Set<string>>, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    for (const dep of graph.get(id) ?? []) {
      if (dep === to) {
        return true;
      }
      if (!seen.has(dep)) {
        seen.add(dep);
        stack.push(dep);
      }
    }
  }
  return false;
}

function ofType(template: any, type: string): Array<[string, any]> {
  return Object.entries(template.Resources ?? {}).filter(([, r]: [string, any]) => r.Type === type) as Array<[string, any]>;
}

/** Asserts every order ECR needs in one template; returns how many orders it checked. */
function assertEcrOrders(template: any): number {
  const graph = dependencyGraph(template);
  let checked = 0;
  const templates = ofType(template, 'AWS::ECR::RepositoryCreationTemplate');
  // A cache rule is live only after the creation template of its prefix.
  for (const [ruleId, rule] of ofType(template, 'AWS::ECR::PullThroughCacheRule')) {
    const prefix = String(rule.Properties.EcrRepositoryPrefix).replace(/\/$/, '');
    const matching = templates.filter(([, t]) => String(t.Properties.Prefix).replace(/\/$/, '') === prefix);
    expect({ rule: ruleId, templates: matching.length }).toEqual({ rule: ruleId, templates: 1 });
    expect({ rule: ruleId, after: createdAfter(graph, ruleId, matching[0][0]) }).toEqual({ rule: ruleId, after: true });
    checked++;
  }
  // A template is live only after its role's permissions.
  for (const [templateId, t] of templates) {
    const role = t.Properties.CustomRoleArn?.['Fn::GetAtt']?.[0];
    if (!role) {
      continue;
    }
    for (const [policyId, policy] of ofType(template, 'AWS::IAM::ManagedPolicy')) {
      if (JSON.stringify(policy.Properties.Roles ?? []).includes(`"${role}"`)) {
        expect({ template: templateId, after: createdAfter(graph, templateId, policyId) })
          .toEqual({ template: templateId, after: true });
        checked++;
      }
    }
  }
  // The registry policy comes after the V2 scope setting, where the stack sets it.
  const scopeSettings = ofType(template, 'Custom::EcrAccountSetting')
    .filter(([, r]) => JSON.stringify(r.Properties.Create ?? '').includes('REGISTRY_POLICY_SCOPE'));
  for (const [policyId] of ofType(template, 'AWS::ECR::RegistryPolicy')) {
    for (const [settingId] of scopeSettings) {
      expect({ policy: policyId, after: createdAfter(graph, policyId, settingId) }).toEqual({ policy: policyId, after: true });
      checked++;
    }
  }
  return checked;
}

describe('deploy order: what ECR needs to exist first', () => {
  test('every stack of the flagship', () => {
    const app = new App();
    const stacks = buildFlagship(app);
    let checked = 0;
    for (const stack of Object.values(stacks) as Stack[]) {
      checked += assertEcrOrders(Template.fromStack(stack).toJSON());
    }
    // 5 cache rules after their templates, and every template after its role policy.
    expect(checked).toBeGreaterThanOrEqual(5 + 7);
  });

  test('a registry with a cache, a create-on-push template and the V2 scope', () => {
    const stack = new Stack(new App(), 'RegistryStack', { env: { account: '111111111111', region: 'us-east-1' } });
    const registry = new SecureRegistry(stack, 'Registry', { registryPolicyScope: RegistryPolicyScope.V2 });
    registry.addPullThroughCache(UpstreamRegistry.ecrPublic());
    registry.replicateTo({ region: 'us-west-2' });
    registry.addToRegistryPolicy(new iam.PolicyStatement({
      actions: ['ecr:ReplicateImage'],
      principals: [new iam.AccountPrincipal('222222222222')],
      resources: ['*'],
    }));
    expect(assertEcrOrders(Template.fromStack(stack).toJSON())).toBe(3);
  });
});
