// A merchant's view of payments: with nothing but logs, match a receipt to an order, then
// refund part of it, and see that a refund can never exceed what was paid.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { getAddress, parseEventLogs } from "viem";
import { MERCHANTS, RESIDENTS } from "../../scripts/lib/demo-accounts.js";
import { deployCity, ref } from "./fixture.js";

describe("CityYuan payments as a merchant reads them", () => {
  it("finds the payment for an order from logs alone and refunds part of it", async () => {
    const { viem, publicClient, contracts, walletAt, fund } = await deployCity();
    const resident = walletAt(RESIDENTS[0].index);
    const merchant = walletAt(MERCHANTS[0].index);
    await fund(resident.account.address, 10_000n);

    const orderRef = ref("ORDER-8848");
    const hash = await contracts.cityYuan.write.pay([merchant.account.address, 2_850n, orderRef], {
      account: resident.account,
    });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });

    // The merchant's receipts view: PaymentMade logs where it is the payee.
    const logs = await publicClient.getContractEvents({
      address: contracts.cityYuan.address,
      abi: contracts.cityYuan.abi,
      eventName: "PaymentMade",
      args: { payee: merchant.account.address },
      fromBlock: 0n,
    });
    assert.equal(logs.length, 1);
    const [payment] = logs;
    assert.equal(payment.args.orderRef, orderRef);
    assert.equal(payment.args.amount, 2_850n);
    assert.equal(payment.args.payer, getAddress(resident.account.address));
    assert.equal(payment.transactionHash, receipt.transactionHash);
    const paymentId = await contracts.cityYuan.read.paymentIdOf([
      resident.account.address,
      merchant.account.address,
      orderRef,
    ]);
    assert.equal(payment.args.paymentId, paymentId);

    // The same receipt carries the ERC-20 Transfer, so plain wallets see it too.
    const transfers = parseEventLogs({ abi: contracts.cityYuan.abi, logs: receipt.logs, eventName: "Transfer" });
    assert.equal(transfers.length, 1);
    assert.equal(transfers[0].args.value, 2_850n);

    // Refund half; the refund event points at the payment.
    await viem.assertions.emitWithArgs(
      contracts.cityYuan.write.refund([resident.account.address, orderRef, 1_000n], { account: merchant.account }),
      contracts.cityYuan,
      "PaymentRefunded",
      [paymentId, merchant.account.address, resident.account.address, 1_000n],
    );
    assert.equal(await contracts.cityYuan.read.refundable([paymentId]), 1_850n);
    assert.equal(await contracts.cityYuan.read.balanceOf([resident.account.address]), 10_000n - 2_850n + 1_000n);

    // More than what is left of the payment is refused with the exact error and amounts.
    await viem.assertions.revertWithCustomErrorWithArgs(
      contracts.cityYuan.write.refund([resident.account.address, orderRef, 1_851n], { account: merchant.account }),
      contracts.cityYuan,
      "CityYuanRefundExceedsPayment",
      [paymentId, 1_850n, 1_851n],
    );
  });

  it("gives every role to its own holder, as the Ignition parameters say", async () => {
    const { contracts, walletAt } = await deployCity();
    const roles = ["ISSUER_ROLE", "COMPLIANCE_ROLE", "PAUSER_ROLE", "ATTESTER_ROLE"] as const;
    const holders = [1, 2, 3, 4];
    for (const [i, name] of roles.entries()) {
      const role = await contracts.cityYuan.read[name]();
      for (const index of [0, 1, 2, 3, 4, 5]) {
        const has = await contracts.cityYuan.read.hasRole([role, walletAt(index).account.address]);
        assert.equal(has, index === holders[i], `${name} held by #${index}: ${has}`);
      }
    }
    assert.equal(await contracts.cityYuan.read.issuerAllowance([walletAt(1).account.address]), 100_000_000_000n);
    // Two keys to mint: the attester side administers itself; the admin (#0) holds none of it.
    const attesterAdmin = await contracts.cityYuan.read.ATTESTER_ADMIN_ROLE();
    assert.equal(await contracts.cityYuan.read.hasRole([attesterAdmin, walletAt(4).account.address]), true);
    assert.equal(await contracts.cityYuan.read.hasRole([attesterAdmin, walletAt(0).account.address]), false);
    assert.equal(
      await contracts.cityYuan.read.getRoleAdmin([await contracts.cityYuan.read.ATTESTER_ROLE()]),
      attesterAdmin,
    );
    assert.equal(await contracts.cityYuan.read.maxReportAge(), 35n * 24n * 3600n);
    assert.equal(await contracts.cityYuan.read.decimals(), 2);
    assert.equal(await contracts.cityYuan.read.symbol(), "HCY");
  });
});
