// Sign-In with Ethereum from a resident's passkey account, checked by the service on a real
// `hardhat node` with the account factory deployed from its compiled artefact: before the account
// exists (ERC-6492: the factory call wraps the ERC-1271 signature, viem simulates the deployment)
// and after (ERC-1271 through the node). The passkey is a software P-256 key signing in the WebAuthn
// format the account checks; nothing about the verification is mocked. A signature by another
// passkey, or for another message, is refused with siwe_bad_signature in both cases.
import { readFileSync } from "node:fs";
import path from "node:path";
import { JsonRpcProvider, Network } from "ethers";
import {
  type Address,
  createWalletClient,
  encodeFunctionData,
  type Hex,
  http,
  keccak256,
  serializeErc6492Signature,
  toHex,
  zeroAddress,
} from "viem";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { personalSignHash } from "../../core/accountSignature.js";
import { cityAccountAbi, cityAccountFactoryAbi } from "../../generated/contracts.js";
import { cityAccountSignature, type SoftwarePasskey, softwarePasskey } from "../../scripts/lib/passkey.js";
import {
  account,
  call,
  freePort,
  HardhatNode,
  publicClientFor,
  ROOT,
  sessionCookie,
  siweMessage,
  startTestService,
  type TestService,
  walletFor,
} from "./helpers.js";

const ENTRY_POINT_V08: Address = "0x4337084D9E255Ff0702461CF8895CE9E3b5Ff108";
const CHAIN_ID = 31337;

let node: HardhatNode;
let provider: JsonRpcProvider;
let service: TestService;
let factory: Address;

const key = (label: string) => keccak256(toHex(`siwe-city-account-${label}`));

async function accountOf(passkey: SoftwarePasskey): Promise<Address> {
  return publicClientFor(node.url).readContract({
    address: factory,
    abi: cityAccountFactoryAbi,
    functionName: "accountAddress",
    args: [passkey.x, passkey.y],
  });
}

/** What the dApp's passkey account signs for `message` (ERC-7739 PersonalSign, WebAuthn assertion). */
function passkeySignature(signer: SoftwarePasskey, accountAddress: Address, message: string): Hex {
  return cityAccountSignature(signer, personalSignHash(accountAddress, CHAIN_ID, message));
}

/** The same, wrapped for an account not deployed yet: the factory call that creates it (ERC-6492). */
function undeployedSignature(
  owner: SoftwarePasskey,
  signer: SoftwarePasskey,
  accountAddress: Address,
  message: string,
) {
  return serializeErc6492Signature({
    address: factory,
    data: encodeFunctionData({ abi: cityAccountFactoryAbi, functionName: "createAccount", args: [owner.x, owner.y] }),
    signature: passkeySignature(signer, accountAddress, message),
  });
}

async function verify(message: string, signature: Hex) {
  return call(service.app, "POST", "/auth/verify", { body: { message, signature } });
}

beforeAll(async () => {
  node = new HardhatNode(await freePort());
  await node.start();
  const artefact = JSON.parse(
    readFileSync(
      path.join(ROOT, "artifacts/contracts/accounts/CityAccountFactory.sol/CityAccountFactory.json"),
      "utf8",
    ),
  ) as { bytecode: Hex };
  const client = publicClientFor(node.url);
  const hash = await walletFor(node.url, account(0)).deployContract({
    abi: cityAccountFactoryAbi,
    bytecode: artefact.bytecode,
    // No recovery contract: signing in never involves it.
    args: [ENTRY_POINT_V08, zeroAddress],
  });
  factory = (await client.waitForTransactionReceipt({ hash })).contractAddress as Address;
  provider = new JsonRpcProvider(node.url, Network.from(CHAIN_ID), { staticNetwork: true });
  service = await startTestService({ provider, config: { erc1271TimeoutMs: 10_000 } });
}, 240_000);

afterAll(async () => {
  await service?.close();
  provider?.destroy();
  await node?.stop();
});

describe("Sign-In with Ethereum from a passkey account", () => {
  const resident = softwarePasskey(key("resident"));
  const stranger = softwarePasskey(key("stranger"));

  it("signs in before the account exists (ERC-6492), and the sign-in deploys nothing", async () => {
    const address = await accountOf(resident);
    const message = await siweMessage(service, address);
    const res = await verify(message, undeployedSignature(resident, resident, address, message));
    expect(res.status).toBe(200);
    expect(res.json.address).toBe(address);
    expect(sessionCookie(res.headers)).toBeDefined();
    expect(await publicClientFor(node.url).getCode({ address })).toBeUndefined();
  });

  it("refuses an ERC-6492 signature by another passkey, or over another message", async () => {
    const address = await accountOf(resident);
    const message = await siweMessage(service, address);
    const byStranger = await verify(message, undeployedSignature(resident, stranger, address, message));
    expect(byStranger.status).toBe(401);
    expect(byStranger.json.error).toBe("siwe_bad_signature");

    // A failed attempt burns its nonce: the second try is a fresh message carrying a signature
    // the resident made for yet another one.
    const [fresh, other] = [await siweMessage(service, address), await siweMessage(service, address)];
    const reused = await verify(fresh, undeployedSignature(resident, resident, address, other));
    expect(reused.status).toBe(401);
    expect(reused.json.error).toBe("siwe_bad_signature");
  });

  it("signs in once the account exists (ERC-1271), and refuses another passkey's signature", async () => {
    const address = await accountOf(resident);
    const client = publicClientFor(node.url);
    await client.waitForTransactionReceipt({
      hash: await walletFor(node.url, account(1)).writeContract({
        address: factory,
        abi: cityAccountFactoryAbi,
        functionName: "createAccount",
        args: [resident.x, resident.y],
      }),
    });
    expect(await client.getCode({ address })).toBeTruthy();

    const message = await siweMessage(service, address);
    const ok = await verify(message, passkeySignature(resident, address, message));
    expect(ok.status).toBe(200);
    expect(ok.json.address).toBe(address);

    const other = await siweMessage(service, address);
    const refused = await verify(other, passkeySignature(stranger, address, other));
    expect(refused.status).toBe(401);
    expect(refused.json.error).toBe("siwe_bad_signature");
  });

  it("test_RemovedPasskey_EndsTheSessionsItOpened_OthersStay", async () => {
    const owner = softwarePasskey(key("removal-owner"));
    const phone = softwarePasskey(key("removal-phone"));
    const address = await accountOf(owner);
    const client = publicClientFor(node.url);
    await client.waitForTransactionReceipt({
      hash: await walletFor(node.url, account(1)).writeContract({
        address: factory,
        abi: cityAccountFactoryAbi,
        functionName: "createAccount",
        args: [owner.x, owner.y],
      }),
    });
    // The account's own operations come through the EntryPoint: stand in for it on this node.
    const rpc = (method: string, params: unknown[]) =>
      fetch(node.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
    await rpc("hardhat_impersonateAccount", [ENTRY_POINT_V08]);
    await rpc("hardhat_setBalance", [ENTRY_POINT_V08, "0x56BC75E2D63100000"]);
    const asEntryPoint = createWalletClient({ account: ENTRY_POINT_V08, transport: http(node.url) });
    const accountCall = async (functionName: "addPasskey" | "removePasskey", passkey: SoftwarePasskey) =>
      client.waitForTransactionReceipt({
        hash: await asEntryPoint.writeContract({
          chain: null,
          address,
          abi: cityAccountAbi,
          functionName,
          args: [passkey.x, passkey.y],
        }),
      });
    await accountCall("addPasskey", phone);

    const signInWith = async (passkey: SoftwarePasskey) => {
      const message = await siweMessage(service, address);
      const res = await verify(message, passkeySignature(passkey, address, message));
      expect(res.status).toBe(200);
      return sessionCookie(res.headers) as string;
    };
    const ownerSession = await signInWith(owner);
    const ownerSession2 = await signInWith(owner);
    const phoneSession = await signInWith(phone);
    for (const cookie of [ownerSession, ownerSession2, phoneSession]) {
      expect((await call(service.app, "GET", "/profile", { cookie })).status).toBe(200);
    }

    // The phone removes the owner's passkey (a lost device); after the short cache, its sessions end.
    await accountCall("removePasskey", owner);
    service.clock.advance(service.config.signerCheckCacheMs + 1);
    const ended = await call(service.app, "GET", "/profile", { cookie: ownerSession });
    expect(ended.status).toBe(401);
    expect(ended.json.error).toBe("signer_removed");
    const other = await call(service.app, "PUT", "/profile", { cookie: ownerSession2, body: { displayName: "x" } });
    expect(other.status).toBe(401);
    expect(other.json.error).toBe("not_signed_in"); // ended together with the first
    expect((await call(service.app, "GET", "/profile", { cookie: phoneSession })).status).toBe(200);
    // The removed passkey cannot sign in again.
    const message = await siweMessage(service, address);
    expect((await verify(message, passkeySignature(owner, address, message))).json.error).toBe("siwe_bad_signature");
  });

  it("refuses a signature made for another account with the same passkey (ERC-7739 binds the account)", async () => {
    const address = await accountOf(resident);
    const strangerAccount = await accountOf(stranger);
    const message = await siweMessage(service, address);
    const res = await verify(message, passkeySignature(resident, strangerAccount, message));
    expect(res.status).toBe(401);
    expect(res.json.error).toBe("siwe_bad_signature");
  });
});
