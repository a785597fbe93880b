export * from './baseline';
export * from './lifecycle';
export * from './repository';
export * from './nag';
