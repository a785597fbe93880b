import { IConstruct } from 'constructs';

/**
 * A stand-in for a construct that is not created yet (validation runs before `super()`), so
 * that errors name the path the construct would have: `[Stack/Id] Code: ...`.
 */
export function futurePath(scope: IConstruct, id: string): IConstruct {
  const parent = scope?.node?.path ?? '';
  return { node: { path: parent ? `${parent}/${id}` : id } } as unknown as IConstruct;
}
