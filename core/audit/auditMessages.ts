// The audit's sentences in both languages: what each check compares, the groups they fall in, and
// how a mismatch is reported. Shared by the ledger page (spread into web's ledger messages) and
// `npm run audit`, so the page and the command say the same thing.
import { defineMessages } from "../i18n.js";

export const auditMessages = defineMessages({
  zh: {
    auditFail: "不一致：{what}。从事件算出 {fromEvents}，合约显示 {fromContract}。",
    check_balance: "账户 {subject} 的余额（转账事件之和 = balanceOf）",
    check_supplyEqualsBalances: "流通总量 = 所有账户余额之和",
    check_supplyEqualsBalances_balanceOf: "流通总量 = 合约报告的各账户余额之和",
    check_supplyEqualsIssuedMinusRedeemed: "发行事件之和 − 赎回事件之和 = 合约的累计发行 − 累计赎回",
    check_supplyEqualsIssuedMinusRedeemed_totalSupply: "流通总量 = 累计发行 − 累计赎回",
    check_issuedTotal: "累计发行 = 发行事件之和",
    check_redeemedTotal: "累计赎回 = 赎回事件之和",
    check_mintsEqualIssued: "新铸转账之和 = 发行事件之和",
    check_burnsEqualRedeemed: "销毁转账之和 = 赎回事件之和",
    check_reservesNow: "现有储备 = 最新储备证明 − 之后的赎回（合约的 latestReserves）",
    check_packetCount: "红包数量 = 红包创建事件数",
    check_packetRemaining: "红包 #{subject} 的剩余金额",
    check_redPacketEscrow: "红包托管余额 = 创建 − 领取 − 退回 + 直接转入且未转出的多余金额",
    check_campaignCount: "活动数量 = 活动创建事件数",
    check_campaignRemaining: "活动 #{subject} 的剩余预算",
    check_voucherEscrow: "消费券托管余额 = 预算 − 已付补贴 − 已退回 + 直接转入且未转出的多余金额",
    group_balances: "账户余额",
    group_supply: "流通总量",
    group_issuance: "发行与赎回",
    group_redPacket: "红包托管",
    group_vouchers: "消费券托管",
    check_redPacketExcess: "红包托管的多余金额（直接转入 − 管理员已转出）与合约一致且不为负：转出从未动用应付款",
    check_voucherExcess: "消费券托管的多余金额（直接转入 − 管理员已转出）与合约一致且不为负：转出从未动用应付款",
    auditEscrow_redPacket: "红包托管：应付 {owed}，多余 {excess}，管理员已转出的多余金额 {rescued}",
    auditEscrow_vouchers: "消费券托管：应付 {owed}，多余 {excess}，管理员已转出的多余金额 {rescued}",
    auditCoverage: "储备覆盖率：现有储备 {reserves}（最新证明减去之后的赎回）÷ 流通量 {supply} = {ratio}",
    auditCoverageNone: "储备覆盖率：还没有储备证明",
    auditCoverageShort: "储备不足 100%：在储备重新覆盖流通量之前不能发行。",
  },
  en: {
    auditFail: "MISMATCH: {what}. The events give {fromEvents}; the contract says {fromContract}.",
    check_balance: "balance of {subject} (sum of its Transfer events = balanceOf)",
    check_supplyEqualsBalances: "total supply = sum of all balances",
    check_supplyEqualsBalances_balanceOf: "total supply = sum of the balances the contract reports",
    check_supplyEqualsIssuedMinusRedeemed: "Σ Issued − Σ Redeemed events = the contract's totalIssued − totalRedeemed",
    check_supplyEqualsIssuedMinusRedeemed_totalSupply: "total supply = totalIssued − totalRedeemed",
    check_issuedTotal: "totalIssued = sum of Issued events",
    check_redeemedTotal: "totalRedeemed = sum of Redeemed events",
    check_mintsEqualIssued: "sum of mint transfers = sum of Issued events",
    check_burnsEqualRedeemed: "sum of burn transfers = sum of Redeemed events",
    check_reservesNow: "reserves now = latest attestation − redemptions since (the token's latestReserves)",
    check_packetCount: "packetCount = number of PacketCreated events",
    check_packetRemaining: "what red packet #{subject} has left",
    check_redPacketEscrow:
      "red-packet escrow balance = created − claimed − refunded + HCY sent to it directly and not rescued",
    check_campaignCount: "campaignCount = number of CampaignCreated events",
    check_campaignRemaining: "remaining budget of campaign #{subject}",
    check_voucherEscrow:
      "voucher escrow balance = budgets − discounts paid − returned + HCY sent to it directly and not rescued",
    group_balances: "Balances",
    group_supply: "Supply",
    group_issuance: "Issued and redeemed",
    group_redPacket: "Red-packet escrow",
    group_vouchers: "Voucher escrow",
    check_redPacketExcess:
      "red-packet escrow excess (sent in directly − rescued by the admin) matches the contract and is not negative: no rescue took money owed",
    check_voucherExcess:
      "voucher escrow excess (sent in directly − rescued by the admin) matches the contract and is not negative: no rescue took money owed",
    auditEscrow_redPacket: "Red-packet escrow: owes {owed}, excess {excess}, excess rescued by the admin {rescued}",
    auditEscrow_vouchers: "Voucher escrow: owes {owed}, excess {excess}, excess rescued by the admin {rescued}",
    auditCoverage:
      "Reserve coverage: reserves now {reserves} (latest attestation less redemptions since) ÷ supply {supply} = {ratio}",
    auditCoverageNone: "Reserve coverage: no reserve attestation yet",
    auditCoverageShort: "Reserves below 100 %: no issuing until reserves cover the supply again.",
  },
});
