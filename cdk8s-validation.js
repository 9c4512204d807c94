// cdk8s validation plugin entry for this repository (cdk8s.yaml `validations`): loads the
// TypeScript sources through tsx, so `cdk8s synth` needs no prior build.
'use strict';
require('tsx/cjs/api').register();
module.exports = require('./src/cdk8s-plugin.ts');
