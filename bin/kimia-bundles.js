#!/usr/bin/env node
'use strict';
require('../lib/src/cli/main').main();
