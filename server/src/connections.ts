// Who holds the service's connections. Node's own cap (`maxConnections`) is one pool for everyone:
// one client holding 1,000 half-open sockets took all of it (0 of 10 real requests served). Here
// every connection is counted per remote address on the server's 'connection' event:
// - one address holds at most `perAddress` connections (well under the global cap); more are
//   closed at once;
// - the last `reserved` places under the global cap are kept for signed-in residents: a
//   connection accepted there may only carry requests with a live session (others get 503
//   `service_busy` and the connection is closed), so a flood of anonymous sockets from many
//   addresses still leaves room for the residents who are using the wallet;
// - slow sockets are cut by Node's headers and request timeouts (server options in main.ts).
// Behind reverse proxies (HCY_TRUSTED_PROXY_HOPS > 0) every socket comes from a proxy, so the
// per-address cap is off and the proxies must cap per client; the reserve still applies.
import type { Server } from "node:http";
import type { Socket } from "node:net";

export interface ConnectionLimits {
  maxConnections: number;
  perAddress: number;
  reserved: number;
  /** false behind trusted proxies: all sockets share the proxies' addresses. */
  capPerAddress: boolean;
}

export class ConnectionGuard {
  private readonly byAddress = new Map<string, number>();
  private readonly reservedSockets = new WeakSet<Socket>();
  private open = 0;
  refusedPerAddress = 0;

  constructor(private readonly limits: ConnectionLimits) {}

  get openConnections(): number {
    return this.open;
  }

  attach(server: Server): void {
    // Node refuses beyond the global cap itself, before 'connection' fires.
    server.maxConnections = this.limits.maxConnections;
    server.on("connection", (socket: Socket) => this.admit(socket));
  }

  private admit(socket: Socket): void {
    const address = socket.remoteAddress ?? "unknown";
    const held = this.byAddress.get(address) ?? 0;
    if (this.limits.capPerAddress && held >= this.limits.perAddress) {
      this.refusedPerAddress++;
      socket.destroy();
      return;
    }
    this.byAddress.set(address, held + 1);
    this.open++;
    if (this.open > this.limits.maxConnections - this.limits.reserved) this.reservedSockets.add(socket);
    socket.once("close", () => {
      this.open--;
      const n = (this.byAddress.get(address) ?? 1) - 1;
      if (n <= 0) this.byAddress.delete(address);
      else this.byAddress.set(address, n);
    });
  }

  /** Whether the socket was accepted into the place kept for signed-in residents. */
  isReserved(socket: Socket | undefined): boolean {
    return socket !== undefined && this.reservedSockets.has(socket);
  }
}
