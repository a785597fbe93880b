export * from './secure-repository';
export * from './secure-public-repository';
