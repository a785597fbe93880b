export * from './lifecycle-policy';
export * from './lifecycle-rule';
export * from './preview';
