// Deploys through the same Ignition module to a separately started node over HTTP, as the city
// would to its own network, and checks the result against the generated bindings.
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { after, before, describe, it } from "node:test";
import { network } from "hardhat";
import { deploymentFor } from "../../generated/contracts.js";
import CityAccounts from "../../ignition/modules/CityAccounts.js";
import {
  bin,
  freePort,
  type Managed,
  rpcChainId,
  startProcess,
  stopProcess,
  waitFor,
} from "../../scripts/lib/processes.js";
import { PARAMETERS } from "./fixture.js";

describe("deployment to a remote node over HTTP", () => {
  let node: Managed;
  let url: string;

  before(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    node = startProcess("node", bin("hardhat"), ["node", "--hostname", "127.0.0.1", "--port", String(port)], {
      log: () => {},
      quiet: true,
    });
    await waitFor("hardhat node", async () => (await rpcChainId(url)) === 31337, { timeoutMs: 60_000, process: node });
  });

  after(async () => {
    await stopProcess(node);
  });

  it("deploys the whole city with the localhost parameters to the addresses the bindings name", async () => {
    const deploymentDir = await mkdtemp(path.join(tmpdir(), "hcy-ignition-"));
    const connection = await network.create({ network: "localhost", override: { url } });
    try {
      const deployed = await connection.ignition.deploy(CityAccounts, {
        parameters: PARAMETERS,
        displayUi: false,
        deploymentId: `remote-test-${path.basename(deploymentDir)}`,
      });
      const expected = deploymentFor(31337);
      assert.ok(expected, "generated/contracts.ts has the local chain");
      assert.equal(deployed.cityYuan.address.toLowerCase(), expected.contracts.CityYuan.toLowerCase());
      assert.equal(deployed.redPacket.address.toLowerCase(), expected.contracts.RedPacket.toLowerCase());
      assert.equal(deployed.vouchers.address.toLowerCase(), expected.contracts.Vouchers.toLowerCase());
      assert.equal(
        deployed.cityAccountFactory.address.toLowerCase(),
        expected.contracts.CityAccountFactory.toLowerCase(),
      );
      assert.equal(deployed.cityPaymaster.address.toLowerCase(), expected.contracts.CityPaymaster.toLowerCase());
      assert.equal(deployed.familyCards.address.toLowerCase(), expected.contracts.FamilyCards.toLowerCase());
      assert.equal(deployed.delayedTransfers.address.toLowerCase(), expected.contracts.DelayedTransfers.toLowerCase());
      // Both are city escrows: card payments are recorded as refundable, pending transfers unfreezable.
      assert.equal(await deployed.cityYuan.read.isCityEscrow([deployed.familyCards.address]), true);
      assert.equal(await deployed.cityYuan.read.isCityEscrow([deployed.delayedTransfers.address]), true);
      const client = await connection.viem.getPublicClient();
      for (const address of Object.values(expected.contracts)) {
        const code = await client.getCode({ address });
        assert.ok(code && code.length > 2, `code at ${address}`);
      }
      assert.equal(await deployed.cityYuan.read.name(), "Hefei City Yuan");
    } finally {
      await connection.close();
      rmSync(
        path.resolve(
          import.meta.dirname,
          "..",
          "..",
          "ignition",
          "deployments",
          `remote-test-${path.basename(deploymentDir)}`,
        ),
        {
          recursive: true,
          force: true,
        },
      );
    }
  });
});
