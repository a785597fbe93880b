export * from './lifecycle-policy';
