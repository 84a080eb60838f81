// GraphQL over HTTP conformance: the graphql-http server audits against the running
// server (BASE_URL). Fails on any error, or on more warnings than the budget; prints
// every audit that is not ok, with why.
import { serverAudits } from 'graphql-http';

const base = process.env.BASE_URL ?? 'http://127.0.0.1:8080';
const MAX_WARNINGS = 2;

const results = [];
for (const audit of serverAudits({ url: `${base}/graphql` })) {
  results.push({ name: audit.name, ...(await audit.fn()) });
}
const by = (s) => results.filter((r) => r.status === s);
for (const r of results.filter((r) => r.status !== 'ok')) {
  console.log(`${r.status}: ${r.name}: ${r.reason}`);
}
const [ok, warn, err] = [by('ok').length, by('warn').length, by('error').length];
console.log(`graphql-http audits: ${ok} ok, ${warn} warnings, ${err} errors`);
if (err > 0 || warn > MAX_WARNINGS) {
  console.error(`GraphQL over HTTP: want 0 errors and at most ${MAX_WARNINGS} warnings`);
  process.exit(1);
}
