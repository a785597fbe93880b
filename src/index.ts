export * from './errors';
export * from './baseline';
export * from './lifecycle';
export * from './repository';
export * from './nag';
export * from './access';
export * from './network';
export * from './registry';
