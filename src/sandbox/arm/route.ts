// What an ARM route is, and the matcher that binds a request path to one. Patterns are written like the
// Swagger paths: literal segments (matched case-insensitively, as ARM does), `{name}` = one segment
// (percent-decoded), `{scope*}` = one or more segments, matched lazily so that the literal tail after it
// (e.g. `/providers/Microsoft.Authorization/roleAssignments/{name}`) binds to its last possible place.
import type { OperationKind, SandboxRequest, SandboxResponse } from "../http.js";
import type { SandboxContext, TokenClaims } from "../context.js";

export interface ArmCall {
  req: SandboxRequest;
  ctx: SandboxContext;
  params: Record<string, string>;
  apiVersion: string;
  claims: TokenClaims;
  /** `https://<arm host>` */
  baseUrl: string;
}

export interface ArmRoute {
  method: string;
  /** "/subscriptions/{subscriptionId}/…/{name}"; "{scope*}" = any run of segments. */
  pattern: string;
  /** Resource type whose api-versions the route accepts (api-versions.ts), e.g. "Microsoft.KeyVault/vaults". */
  resourceType: string;
  /** RBAC action checked at the request's scope before handle() runs. */
  action: string | ((p: Record<string, string>) => string);
  kind: OperationKind;
  /**
   * Optional: skip the generic RBAC check (tenant-level routes such as GET /subscriptions, the caller's own
   * permissions, built-in role definitions at the root); handle() then filters or checks itself.
   */
  skipAuthorization?: boolean;
  handle(c: ArmCall): SandboxResponse | Promise<SandboxResponse>;
}

export interface CompiledPattern {
  regex: RegExp;
  names: { name: string; multi: boolean }[];
}

const compiled = new Map<string, CompiledPattern>();

export function compilePattern(pattern: string): CompiledPattern {
  const hit = compiled.get(pattern);
  if (hit) return hit;
  const names: CompiledPattern["names"] = [];
  let src = "^";
  for (const seg of pattern.split("/").filter((s) => s.length > 0)) {
    const m = /^\{([A-Za-z0-9_]+)(\*)?\}$/.exec(seg);
    if (m) {
      names.push({ name: m[1]!, multi: m[2] === "*" });
      src += m[2] === "*" ? "((?:/[^/]+)+?)" : "/([^/]+)";
    } else {
      src += "/" + seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    }
  }
  src += "/?$";
  const c = { regex: new RegExp(src, "i"), names };
  compiled.set(pattern, c);
  return c;
}

function decode(s: string): string {
  try { return decodeURIComponent(s); } catch { return s; }
}

/** Params of `path` (percent-encoded, `//` collapsed) under `pattern`, or undefined when it does not match. */
export function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const { regex, names } = compilePattern(pattern);
  const m = regex.exec(path);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  names.forEach((n, i) => {
    const raw = m[i + 1] ?? "";
    params[n.name] = n.multi ? raw.split("/").map(decode).join("/") : decode(raw);
  });
  return params;
}

export interface RouteMatch { route: ArmRoute; params: Record<string, string> }

/** First route (in order) whose method and pattern match; `pathMatched` tells a 405 from a 404. */
export function findRoute(routes: ArmRoute[], method: string, path: string): { match?: RouteMatch; pathMatched: boolean } {
  let pathMatched = false;
  for (const route of routes) {
    const params = matchPattern(route.pattern, path);
    if (!params) continue;
    if (route.method.toUpperCase() === method.toUpperCase()) return { match: { route, params }, pathMatched: true };
    pathMatched = true;
  }
  return { pathMatched };
}
