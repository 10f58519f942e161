// The shop's receipts, live: past ones read from the deployment block, new ones pushed over the
// node's WebSocket the moment their block is mined (eth_subscribe logs, filtered by payee), or
// polled every second when the node offers no WebSocket. The subscription starts before the
// history is read, so nothing mined in between is missed; duplicates are dropped by position.

import { type LedgerEvent, ledgerTopic } from "@core/audit/ledgerEvents";
import { readLedgerLogs } from "@core/audit/readLedger";
import { createRpcClient } from "@core/audit/rpc";
import { cityYuanAbi, vouchersAbi } from "@generated/contracts";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { type Address, createPublicClient, type Hex, http, type Log, type PublicClient, pad, webSocket } from "viem";
import { cityChain } from "../../chain";
import { deployment } from "../../contracts";
import { rpcHttpUrl, rpcWsUrl } from "../../env";
import { buildReceipts, type Receipt } from "./receipts";

export type LiveMode = "connecting" | "websocket" | "polling";

const WS_PROBE_MS = 2_000;

function keyOf(event: { transactionHash: Hex; logIndex: number }) {
  return `${event.transactionHash}:${event.logIndex}`;
}

/** viem's decoded log -> our LedgerEvent (same field names as the ABI). */
function toLedgerEvent(log: Log, kind: LedgerEvent["kind"]): LedgerEvent | undefined {
  if (log.blockNumber === null || log.transactionHash === null || log.logIndex === null) return undefined;
  const args = (log as unknown as { args: Record<string, unknown> }).args;
  const withTime = log as unknown as { blockTimestamp?: bigint | number | null };
  return {
    ...args,
    kind,
    blockNumber: log.blockNumber,
    logIndex: log.logIndex,
    transactionHash: log.transactionHash,
    blockTimestamp: withTime.blockTimestamp ? Number(withTime.blockTimestamp) : Math.floor(Date.now() / 1000),
  } as LedgerEvent;
}

async function socketClient(): Promise<PublicClient | undefined> {
  try {
    const client = createPublicClient({
      chain: cityChain,
      transport: webSocket(rpcWsUrl, { retryCount: 0, timeout: WS_PROBE_MS, reconnect: { attempts: 5, delay: 1_000 } }),
    });
    await client.getBlockNumber();
    return client as PublicClient;
  } catch {
    return undefined;
  }
}

export function useReceipts(shop: Address | undefined, onLive?: (receipt: Receipt) => void) {
  const [events, setEvents] = useState<LedgerEvent[]>([]);
  const [times, setTimes] = useState<Map<bigint, number>>(new Map());
  const [mode, setMode] = useState<LiveMode>("connecting");
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string>();
  const onLiveRef = useRef(onLive);
  onLiveRef.current = onLive;
  const seen = useRef(new Set<string>());

  const add = useCallback(
    (incoming: LedgerEvent[], live: boolean) => {
      const fresh = incoming.filter((e) => !seen.current.has(keyOf(e)));
      if (fresh.length === 0) return;
      for (const e of fresh) seen.current.add(keyOf(e));
      setEvents((old) => [...old, ...fresh]);
      if (live && shop) {
        for (const receipt of buildReceipts(fresh, shop, () => Math.floor(Date.now() / 1000))) {
          onLiveRef.current?.(receipt);
        }
      }
    },
    [shop],
  );

  useEffect(() => {
    if (!shop || !deployment) return;
    let cancelled = false;
    const unwatch: (() => void)[] = [];
    seen.current = new Set();
    setEvents([]);
    setLoading(true);
    setError(undefined);
    setMode("connecting");
    const { CityYuan, Vouchers } = deployment.contracts;

    const subscribe = (client: PublicClient, poll: boolean) => {
      const options = poll ? { poll: true as const, pollingInterval: 1_000 } : {};
      unwatch.push(
        client.watchContractEvent({
          address: CityYuan,
          abi: cityYuanAbi,
          eventName: "PaymentMade",
          args: { payee: shop },
          ...options,
          onLogs: (logs) =>
            add(
              logs.flatMap((l) => toLedgerEvent(l, "PaymentMade") ?? []),
              true,
            ),
        }),
        client.watchContractEvent({
          address: Vouchers,
          abi: vouchersAbi,
          eventName: "VoucherRedeemed",
          args: { payee: shop },
          ...options,
          onLogs: (logs) =>
            add(
              logs.flatMap((l) => toLedgerEvent(l, "VoucherRedeemed") ?? []),
              true,
            ),
        }),
        client.watchContractEvent({
          address: CityYuan,
          abi: cityYuanAbi,
          eventName: "PaymentRefunded",
          args: { payee: shop },
          ...options,
          onLogs: (logs) =>
            add(
              logs.flatMap((l) => toLedgerEvent(l, "PaymentRefunded") ?? []),
              false,
            ),
        }),
      );
    };

    (async () => {
      const ws = await socketClient();
      if (cancelled) return;
      if (ws) {
        subscribe(ws, false);
        setMode("websocket");
      } else {
        subscribe(createPublicClient({ chain: cityChain, transport: http(rpcHttpUrl) }) as PublicClient, true);
        setMode("polling");
      }
      try {
        const rpc = createRpcClient(rpcHttpUrl);
        const head = BigInt(await rpc.call<string>("eth_blockNumber", []));
        const me = pad(shop.toLowerCase() as Hex, { size: 32 });
        const contracts = deployment.contracts;
        const from = BigInt(deployment.deployBlock);
        const [paid, refunded] = await Promise.all([
          readLedgerLogs(rpc, {
            contracts,
            fromBlock: from,
            toBlock: head,
            only: ["CityYuan", "Vouchers"],
            topics: [[ledgerTopic("PaymentMade"), ledgerTopic("VoucherRedeemed")], null, null, me],
          }),
          readLedgerLogs(rpc, {
            contracts,
            fromBlock: from,
            toBlock: head,
            only: ["CityYuan"],
            topics: [ledgerTopic("PaymentRefunded"), null, me],
          }),
        ]);
        const history = [...paid, ...refunded];
        // Block times for the history, one batched read of the distinct blocks.
        const blocks = [...new Set(history.filter((e) => e.blockTimestamp === undefined).map((e) => e.blockNumber))];
        const headers = await rpc.batch<{ timestamp: Hex }>(
          blocks.map((b) => ({ method: "eth_getBlockByNumber", params: [`0x${b.toString(16)}`, false] })),
        );
        if (cancelled) return;
        setTimes(new Map(blocks.map((b, i) => [b, Number(BigInt(headers[i].timestamp))])));
        add(history, false);
      } catch (e) {
        if (!cancelled) setError(e instanceof Error ? e.message : String(e));
      } finally {
        if (!cancelled) setLoading(false);
      }
    })();
    return () => {
      cancelled = true;
      for (const stop of unwatch) stop();
    };
  }, [shop, add]);

  const receipts = useMemo(
    () => (shop ? buildReceipts(events, shop, (block) => times.get(block) ?? 0) : []),
    [events, times, shop],
  );
  return { receipts, mode, loading, error };
}
