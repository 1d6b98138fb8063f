// The main questions, search, an entity and one error of each kind, asked through openapi-fetch
// with the types openapi-typescript generated from the server's /openapi.json (schema.d.ts, next
// to this file when it is checked). No cast anywhere: `tsc --noEmit` fails when an answer or an
// error is not typed as the document says. Run with node: prints what it got as JSON.
//   node out/calls.js http://127.0.0.1:8000
import createClient from "openapi-fetch";
import type { components, paths } from "./schema.js";

declare const process: { argv: string[] };

type Problem = components["schemas"]["Problem"];
// True exactly when A and B are the same type (not merely assignable either way).
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function sameType<Check extends true>(): void {}

// The JSON answers: list endpoints also answer text/csv (format=csv), which this client does not ask for.
const api = createClient<paths, "application/json" | "application/problem+json">({ baseUrl: process.argv[2] });

function fail(what: string, problem: Problem | undefined): never {
  throw new Error(`${what}: ${problem ? `${problem.status} ${problem.title}: ${problem.detail}` : "no answer"}`);
}

const dependents = await api.GET("/v1/dependents", { params: { query: { commodity: "稀土", limit: 5 } } });
sameType<Same<NonNullable<typeof dependents.error>, Problem>>();
if (!dependents.data) fail("dependents", dependents.error);

const escalation = await api.GET("/v1/escalation", { params: { query: { a: "美国", b: "中国" } } });
sameType<Same<NonNullable<typeof escalation.error>, Problem>>();
if (!escalation.data) fail("escalation", escalation.error);

const impact = await api.GET("/v1/measures/{measure}/impact", {
  params: { path: { measure: "measure:cn-2025-10-09-rare-earth-export-controls" } },
});
sameType<Same<NonNullable<typeof impact.error>, Problem>>();
if (!impact.data) fail("impact", impact.error);

const search = await api.GET("/v1/search", { params: { query: { q: "中方" } } });
if (!search.data) fail("search", search.error);

const entity = await api.GET("/v1/entities/{entity}", { params: { path: { entity: "稀土" } } });
if (!entity.data) fail("entity", entity.error);
const relationsIn: Record<string, number> = entity.data.relations.in;

const unknown = await api.GET("/v1/entities/{entity}", { params: { path: { entity: "rare eart" } } });
sameType<Same<NonNullable<typeof unknown.error>, Problem>>();
if (!unknown.error) throw new Error("an unknown name was answered");

const ambiguous = await api.GET("/v1/entities/{entity}", { params: { path: { entity: "US" } } });
if (!ambiguous.error) throw new Error("an ambiguous name was answered");

const invalid = await api.GET("/v1/dependents", { params: { query: { commodity: "稀土", limit: 0 } } });
if (!invalid.error) throw new Error("limit=0 was answered");

const refused = await api.POST("/v1/documents", { body: { text: "China announced export controls on gallium." } });
sameType<Same<NonNullable<typeof refused.error>, Problem>>();
if (!refused.error) throw new Error("a write without a token was accepted");

const problem = (p: Problem) => ({
  status: p.status,
  title: p.title,
  type: p.type,
  field: p.field ?? null,
  candidates: (p.candidates ?? []).map((c) => c.id),
  errors: (p.errors ?? []).map((e) => e.loc.join(".")),
  contentType: "",
});

console.log(
  JSON.stringify({
    dependents: { count: dependents.data.count, first: dependents.data.data[0]?.entity.id, exposure: dependents.data.data[0]?.exposure },
    escalation: { count: escalation.data.count, byA: escalation.data.summary.by_a, chains: escalation.data.chains.length },
    impact: { hits: impact.data.hits.map((d) => d.entity.id), measure: impact.data.measure.entity.id },
    search: search.data.data.map((hit) => hit.entity.id),
    entity: { id: entity.data.entity.id, names: entity.data.entity.names, isA: relationsIn["IS_A"] ?? 0 },
    notFound: { ...problem(unknown.error), contentType: unknown.response.headers.get("content-type") },
    ambiguous: { ...problem(ambiguous.error), contentType: ambiguous.response.headers.get("content-type") },
    invalid: { ...problem(invalid.error), contentType: invalid.response.headers.get("content-type") },
    unauthorized: { ...problem(refused.error), contentType: refused.response.headers.get("content-type") },
  }),
);
