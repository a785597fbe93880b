import { Stack, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';

/**
 * Flattens a resolved CloudFormation value the way cdk-nag names IAM5 findings
 * (`Fn::Join` joined, `Ref` as `<Name>`, `Fn::GetAtt` as `<Res.Attr>`), so that an
 * acknowledgment names the exact wildcard resource it covers.
 */
export function flattenForNag(node: unknown): string {
  if (node === undefined) {
    return '';
  }
  if (typeof node === 'string') {
    return node.replace(/\${/g, '<').replace(/}/g, '>');
  }
  const obj = node as Record<string, any>;
  if (obj['Fn::Join']) {
    const [delimiter, items] = obj['Fn::Join'];
    return (items as unknown[]).map(flattenForNag).join(delimiter);
  }
  if (obj['Fn::Sub']) {
    return flattenForNag(obj['Fn::Sub']);
  }
  if (obj['Fn::GetAtt']) {
    const [resource, attribute] = obj['Fn::GetAtt'];
    return `<${flattenForNag(resource)}.${flattenForNag(attribute)}>`;
  }
  if (obj['Fn::ImportValue']) {
    return flattenForNag(obj['Fn::ImportValue']);
  }
  if (obj.Ref) {
    return `<${flattenForNag(obj.Ref)}>`;
  }
  return JSON.stringify(node);
}

/**
 * Acknowledges AwsSolutions-IAM5 for exactly the given wildcard resources on `target` (a policy
 * or role), one finding id per resource, with a reason.
 */
export function acknowledgeWildcardResources(target: IConstruct, resources: string[], reason: string): void {
  const stack = Stack.of(target);
  const ids = new Set<string>();
  for (const resource of resources) {
    const flat = flattenForNag(stack.resolve(resource));
    if (flat.includes('*')) {
      ids.add(`AwsSolutions::AwsSolutions-IAM5[Resource::${flat}]`);
    }
  }
  for (const id of ids) {
    Validations.of(target).acknowledge({ id, reason });
  }
}
