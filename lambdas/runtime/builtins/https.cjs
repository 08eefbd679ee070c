// The Node builtin as CommonJS (lib/function-bundle.ts BUILTIN_ALIASES): an ESM import of it would build its
// ESM facade at init, reading every export, some of which load Node's bundled undici.
/* global process */
module.exports = process.getBuiltinModule('node:https');
