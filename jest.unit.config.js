/** Pure unit specs only (no database): `npx jest -c jest.unit.config.js`. `npm test` runs everything. */
const base = require('./jest.config');
module.exports = { ...base, testMatch: ['<rootDir>/src/**/*.spec.ts'], globalSetup: undefined, globalTeardown: undefined };
