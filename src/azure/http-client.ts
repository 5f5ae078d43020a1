// The one transport every client and the credential of a session share (azure-session.ts). Through a proxy
// (HTTPS_PROXY: the sandbox, or a corporate proxy) the SDK opens a new CONNECT tunnel and a new TLS
// handshake for every request: core-rest-pipeline's proxy policy sets `request.agent = new
// HttpsProxyAgent(proxyUrl)` without keep-alive, one agent per client pipeline (SDK-RECIPE §3: "Each request
// opens its own CONNECT tunnel … Budget a TLS handshake per request"). In the inventory benchmark that was
// about half the tool's CPU (1,456 tunnels for 1,456 requests). Here, where the proxy policy chose the
// proxy, the request gets ONE shared keep-alive agent per proxy URL instead, so a tunnel to a host serves
// many requests (the sandbox serves several per tunnel, like Azure). Requests the proxy
// policy left alone (NO_PROXY hosts, no proxy at all — real Azure direct) keep the SDK's default node
// client's agent, which already keeps connections alive (ts-http-runtime nodeHttpClient getOrCreateAgent:
// `new https.Agent({ keepAlive: !disableKeepAlive })`, cached per client, and this client is shared).
import { readFileSync } from "node:fs";
import { createSecureContext, rootCertificates, type SecureContext } from "node:tls";
import { HttpsProxyAgent } from "https-proxy-agent";
import { createDefaultHttpClient, type HttpClient, type PipelineRequest } from "@azure/core-rest-pipeline";
import { EXTRA_CA_ENV } from "./extra-ca-env.js";

/**
 * Sockets per origin (one vault host, the ARM host …) at most. Above the limiter's default concurrency (16),
 * which is what bounds requests in flight; this only keeps a burst of token + challenge requests from
 * opening an unbounded number of tunnels.
 */
export const PROXY_MAX_SOCKETS_PER_HOST = 32;

/** The trust of every TLS connection the tool opens: the system roots, NODE_EXTRA_CA_CERTS, and EXTRA_CA_ENV. */
export function toolSecureContext(env: NodeJS.ProcessEnv = process.env): SecureContext {
  const extra = env[EXTRA_CA_ENV];
  // Without our variable: node's default context (roots + NODE_EXTRA_CA_CERTS, read at start), built once.
  if (!extra) return createSecureContext();
  // `ca` replaces the default store, so the roots and NODE_EXTRA_CA_CERTS are named again.
  const ca = [...rootCertificates, readFileSync(extra, "utf8")];
  if (env.NODE_EXTRA_CA_CERTS) {
    try { ca.push(readFileSync(env.NODE_EXTRA_CA_CERTS, "utf8")); } catch { /* node itself only warns about it */ }
  }
  return createSecureContext({ ca });
}

export function createSharedHttpClient(inner: HttpClient = createDefaultHttpClient()): HttpClient {
  const agents = new Map<string, HttpsProxyAgent<string>>();
  // https-proxy-agent upgrades each tunnel with tls.connect(request options): without a secureContext, node
  // builds a new one per tunnel (root store + NODE_EXTRA_CA_CERTS loaded again; ~0.7 ms of CPU per tunnel in
  // the benchmark's profile). One context, the same trust, built once — with EXTRA_CA_ENV's CA when set.
  let secureContext: SecureContext | undefined;
  const extraCa = Boolean(process.env[EXTRA_CA_ENV]);
  const keepAliveAgentFor = (proxyUrl: string): HttpsProxyAgent<string> => {
    let a = agents.get(proxyUrl);
    if (!a) {
      a = new HttpsProxyAgent(proxyUrl, { keepAlive: true, maxSockets: PROXY_MAX_SOCKETS_PER_HOST });
      // Node's ClientRequest reads `agent.protocol` (and defaultPort); unset, agent-base guesses it from a
      // stack trace on every request (`new Error().stack`). This agent only carries https requests.
      a.protocol = "https:";
      agents.set(proxyUrl, a);
    }
    return a;
  };
  return {
    sendRequest(request: PipelineRequest) {
      if (request.agent instanceof HttpsProxyAgent && request.url.startsWith("https:")) {
        request.agent = keepAliveAgentFor((request.agent as HttpsProxyAgent<string>).proxy.href);
        // agent-base names a socket's pool from options.protocol (else from a stack-trace guess that fails
        // when the socket is freed): without it a kept-alive tunnel is filed under an http name and never reused.
        secureContext ??= toolSecureContext();
        request.requestOverrides = { secureContext, ...request.requestOverrides, protocol: "https:" };
      } else if (extraCa && request.url.startsWith("https:")) {
        // Direct (no proxy, or a NO_PROXY host): the SDK's node client spreads requestOverrides into
        // https.request's options, so its kept-alive agent's TLS sockets get the same trust.
        secureContext ??= toolSecureContext();
        request.requestOverrides = { secureContext, ...request.requestOverrides };
      }
      return inner.sendRequest(request);
    },
  };
}
