// Preload for bin tests: at exit, sets exit code 9 if cdk8s, zod or yaml were loaded.
'use strict';
process.on('exit', () => {
  if (Object.keys(require.cache).some((f) => /[\\/]node_modules[\\/](cdk8s|zod|yaml)[\\/]/.test(f))) process.exitCode = 9;
});
