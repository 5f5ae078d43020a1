// The forward-proxy side of the sandbox: `CONNECT host:443` for a served host is answered 200 and the
// tunnel's TLS is terminated here with the sandbox leaf (the way a TLS-inspecting corporate proxy
// works, SDK-RECIPE §3); the decrypted HTTP/1.1 stream is fed to an internal http.Server. Any other
// host gets 502 with a JSON body, which the SDKs surface as RestError 502 with that code.
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { TLSSocket, type SecureContext } from "node:tls";
import type { Socket } from "node:net";

export interface ProxyHooks {
  secureContext: SecureContext;
  /** Whether the sandbox serves this (lower-case) host name on port 443. */
  serves(host: string): boolean;
  /** Called for each refused CONNECT (for the request log). */
  refused(host: string, port: number, status: number): void;
  /** Every socket the proxy opens, so close() can end them promptly. */
  track(socket: Duplex): void;
}

/** The CONNECT host each TLS socket was opened for; requests on it are for that host. */
export const tunnelHost = new WeakMap<object, string>();

/** Parse a CONNECT target `host:port` (IPv6 in brackets). */
export function parseConnectTarget(target: string): { host: string; port: number } {
  const m = /^\[?([^\]]+?)\]?(?::(\d+))?$/.exec(target.trim());
  return { host: (m?.[1] ?? target).toLowerCase().replace(/\.$/, ""), port: m?.[2] ? Number(m[2]) : 443 };
}

export function attachConnect(proxy: Server, inner: Server, hooks: ProxyHooks): void {
  proxy.on("connect", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    hooks.track(socket);
    socket.on("error", () => socket.destroy());
    const { host, port } = parseConnectTarget(req.url ?? "");
    if (port !== 443 || !hooks.serves(host)) {
      refuse(socket, host, port);
      hooks.refused(host, port, 502);
      return;
    }
    socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
    if (head.length > 0) socket.unshift(head);
    const tls = new TLSSocket(socket as Socket, { isServer: true, secureContext: hooks.secureContext });
    hooks.track(tls);
    tls.on("error", () => {
      tls.destroy();
      socket.destroy();
    });
    tunnelHost.set(tls, host);
    inner.emit("connection", tls);
  });
}

/** 502 with a JSON body: with an empty body keyvault-keys throws a TypeError instead of a RestError (SDK-RECIPE §3). */
function refuse(socket: Duplex, host: string, port: number): void {
  const body = JSON.stringify({
    error: {
      code: "ProxyHostNotFound",
      message: `The sandbox proxy does not serve ${host}:${port}: it answers only the estate cloud's login, ARM and Graph hosts and the vaults of the estate on port 443.`,
    },
  });
  socket.end(
    "HTTP/1.1 502 Bad Gateway\r\n"
    + "Content-Type: application/json; charset=utf-8\r\n"
    + `Content-Length: ${Buffer.byteLength(body)}\r\n`
    + "Connection: close\r\n\r\n" + body,
  );
}
