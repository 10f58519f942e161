// The city recovery desk's hand on the chain (CityRecovery): a clerk key the service holds, which
// holds RECOVERY_DESK_ROLE. It approves, for the desk, a recovery of an account that chose the desk
// only after the bank re-verified the resident (server/src/recovery/desk.ts), and it relays
// `executeRecovery` for a new phone once a recovery is ready on chain (that call is open to anyone;
// the desk pays its gas). It never moves money: CityRecovery can only add a passkey and remove
// lost ones.
//
// The key: HCY_RECOVERY_DESK_KEY (a 32-byte hex private key, from the environment like the other
// keys); on the local chain only, Hardhat's public account #17, which the localhost Ignition
// parameters name as `recoveryDesk`. Transactions from the key are sent one at a time (one nonce
// sequence).
import {
  type Address,
  createWalletClient,
  type Hex,
  http,
  isHex,
  type PublicClient,
  type WalletClient,
  zeroAddress,
} from "viem";
import { mnemonicToAccount, privateKeyToAccount } from "viem/accounts";
import { cityAccountAbi, cityRecoveryAbi } from "../../../generated/contracts.js";
import { LOCAL_CHAIN_ID } from "../config.js";

export type Passkey = { qx: Hex; qy: Hex };

/** A recovery as the chain holds it now. */
export type RecoveryOnChain = {
  id: Hex;
  /** Started and in the account's current round (not executed, cancelled or re-guarded). */
  pending: boolean;
  approvals: number;
  threshold: number;
  deskApproved: boolean;
  /** Unix seconds from which it can be executed; 0 while too few agreed. */
  readyAt: number;
};

export interface RecoveryDeskChain {
  /** The clerk's address (holds RECOVERY_DESK_ROLE). */
  readonly clerk: Address;
  /** The desk delay in seconds (7 days on the city chain). */
  deskDelay(): Promise<number>;
  /** Whether the account chose the city desk among its helpers (the guardians in effect). */
  choseDesk(account: Address): Promise<boolean>;
  /** Whether (qx, qy) is a passkey of the account now. */
  isPasskey(account: Address, key: Passkey): Promise<boolean>;
  /** The recovery of `account` to `key` removing `lost`, in the account's current round. */
  recovery(account: Address, key: Passkey, lost: readonly Passkey[]): Promise<RecoveryOnChain>;
  /** Whether a recovery id (of any round) is still pending. */
  isPending(id: Hex): Promise<boolean>;
  /** The latest block's time (seconds). */
  chainTime(): Promise<number>;
  /** Starts the recovery as the desk, or approves it as the desk when it exists already; waits for it. */
  approveAsDesk(account: Address, key: Passkey, lost: readonly Passkey[]): Promise<{ txHash: Hex }>;
  /** Sends executeRecovery and waits for it. */
  execute(account: Address, key: Passkey, lost: readonly Passkey[]): Promise<{ txHash: Hex }>;
}

/** Hardhat's public account #17: the localhost parameters' `recoveryDesk` (never on a real chain). */
const LOCAL_DESK = () =>
  mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: 17 });

/** The desk key from the environment, or the public local one on the local chain; undefined: no desk. */
export function recoveryDeskAccount(chainId: number, env: NodeJS.ProcessEnv = process.env) {
  const key = env.HCY_RECOVERY_DESK_KEY?.trim();
  if (key !== undefined && key !== "") {
    if (!/^0x[0-9a-fA-F]{64}$/.test(key)) throw new Error("HCY_RECOVERY_DESK_KEY must be a 32-byte hex private key");
    return privateKeyToAccount(key as Hex);
  }
  return chainId === LOCAL_CHAIN_ID ? LOCAL_DESK() : undefined;
}

export function recoveryDeskChain(options: {
  client: PublicClient;
  rpcUrl: string;
  recovery: Address;
  account: ReturnType<typeof privateKeyToAccount> | ReturnType<typeof mnemonicToAccount>;
}): RecoveryDeskChain {
  const { client, recovery } = options;
  const wallet: WalletClient = createWalletClient({
    account: options.account,
    transport: http(options.rpcUrl, { retryCount: 0, timeout: 20_000 }),
  });
  const contract = { address: recovery, abi: cityRecoveryAbi } as const;
  let queue: Promise<unknown> = Promise.resolve();
  /** One transaction of the clerk key at a time: one nonce sequence, no two sends racing for a nonce. */
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };
  const lostArg = (lost: readonly Passkey[]) => lost.map((k) => ({ qx: k.qx, qy: k.qy }));
  const send = (functionName: "startRecovery" | "approveRecovery" | "executeRecovery", args: readonly unknown[]) =>
    serial(async () => {
      const hash = await wallet.writeContract({
        ...contract,
        functionName,
        args,
        chain: null,
        account: options.account,
      } as unknown as Parameters<WalletClient["writeContract"]>[0]);
      const receipt = await client.waitForTransactionReceipt({ hash });
      if (receipt.status !== "success") throw new Error(`${functionName} reverted (${hash})`);
      return { txHash: hash };
    });

  const pendingOf = async (id: Hex) => {
    const r = await client.readContract({ ...contract, functionName: "recoveryOf", args: [id] });
    if (r.account === zeroAddress) return { r, pending: false };
    const round = await client.readContract({ ...contract, functionName: "recoveryRound", args: [r.account] });
    return { r, pending: r.round === round };
  };

  return {
    clerk: options.account.address,
    async deskDelay() {
      return Number(await client.readContract({ ...contract, functionName: "deskDelay" }));
    },
    async choseDesk(account) {
      const g = await client.readContract({ ...contract, functionName: "guardiansOf", args: [account] });
      return g.cityDesk;
    },
    async isPasskey(account, key) {
      if ((await client.getCode({ address: account })) === undefined) return false;
      return client
        .readContract({ address: account, abi: cityAccountAbi, functionName: "isPasskey", args: [key.qx, key.qy] })
        .catch(() => false);
    },
    async recovery(account, key, lost) {
      const id = await client.readContract({
        ...contract,
        functionName: "recoveryId",
        args: [account, key.qx, key.qy, lostArg(lost)],
      });
      const [{ r, pending }, g] = await Promise.all([
        pendingOf(id),
        client.readContract({ ...contract, functionName: "guardiansOf", args: [account] }),
      ]);
      return {
        id,
        pending,
        approvals: r.approvals,
        threshold: g.threshold,
        deskApproved: r.deskApproved,
        readyAt: Number(r.readyAt),
      };
    },
    async isPending(id) {
      if (!isHex(id) || id.length !== 66) return false;
      return (await pendingOf(id)).pending;
    },
    async chainTime() {
      return Number((await client.getBlock({ blockTag: "latest" })).timestamp);
    },
    async approveAsDesk(account, key, lost) {
      const id = await client.readContract({
        ...contract,
        functionName: "recoveryId",
        args: [account, key.qx, key.qy, lostArg(lost)],
      });
      const { r } = await pendingOf(id);
      return r.account === zeroAddress
        ? send("startRecovery", [account, key.qx, key.qy, lostArg(lost)])
        : send("approveRecovery", [id]);
    },
    async execute(account, key, lost) {
      return send("executeRecovery", [account, key.qx, key.qy, lostArg(lost)]);
    },
  };
}
