// Runs Pimlico's Alto bundler (same arguments) listening on loopback only. Alto 0.0.20 has no host
// option and binds 0.0.0.0 (esm/rpc/server.js: `fastify.listen({ port, host: "0.0.0.0" })`), which
// would expose the local bundler, and its funded executor key, to the whole network.
import net from "node:net";

const ANY = new Set(["0.0.0.0", "::"]);
const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (args[0] && typeof args[0] === "object" && ANY.has(args[0].host)) args[0] = { ...args[0], host: "127.0.0.1" };
  else if (typeof args[0] === "number" && ANY.has(args[1])) args[1] = "127.0.0.1";
  return listen.apply(this, args);
};

await import(new URL("../../node_modules/@pimlico/alto/esm/cli/alto.js", import.meta.url).href);
