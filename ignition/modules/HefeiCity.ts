// The whole deployment of the city ledger: CityYuan, the merchant registry and the two escrows,
// with every role handed to its own holder. Parameters per network live in ignition/parameters/.
// The deployer is the initial admin; on a real network the city then hands admin over with the
// two-step, delayed transfer (see README "Deploying to the city's network").
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";
import { keccak256, toHex } from "viem";

const role = (name: string) => keccak256(toHex(name));

export default buildModule("HefeiCity", (m) => {
  const deployer = m.getAccount(0);
  const adminTransferDelay = m.getParameter("adminTransferDelay", 3 * 24 * 60 * 60);
  const issuer = m.getParameter("issuer");
  const issuerAllowance = m.getParameter("issuerAllowance", 0n);
  const compliance = m.getParameter("compliance");
  const pauser = m.getParameter("pauser");
  // The attesting side, apart from the admin: the attester admin (the auditor's office) appoints
  // and removes attesters; the admin can do neither, and no address holds roles of both sides.
  const attesterAdmin = m.getParameter("attesterAdmin");
  const attester = m.getParameter("attester");
  // Seconds a reserve attestation allows issuing; then issuing stops until a fresh report.
  const maxReportAge = m.getParameter("maxReportAge", 35 * 24 * 60 * 60);
  const registrar = m.getParameter("registrar");
  const voucherOffice = m.getParameter("voucherOffice");
  // The city service's key that signs resident tickets (verified-residents red packets and
  // residents-only voucher campaigns).
  const ticketSigner = m.getParameter("ticketSigner");

  const cityYuan = m.contract("CityYuan", [deployer, adminTransferDelay, attesterAdmin, attester, maxReportAge]);
  const grantIssuer = m.call(cityYuan, "grantRole", [role("ISSUER_ROLE"), issuer], { id: "grantIssuer" });
  // An allowance only goes to an issuer, so after the grant. Issuing also needs a fresh reserve
  // attestation by the attester (Secure Mint): none is made here.
  m.call(cityYuan, "increaseIssuerAllowance", [issuer, issuerAllowance], { after: [grantIssuer] });
  m.call(cityYuan, "grantRole", [role("COMPLIANCE_ROLE"), compliance], { id: "grantCompliance" });
  m.call(cityYuan, "grantRole", [role("PAUSER_ROLE"), pauser], { id: "grantPauser" });

  const merchantRegistry = m.contract("MerchantRegistry", [deployer, adminTransferDelay]);
  m.call(merchantRegistry, "grantRole", [role("REGISTRAR_ROLE"), registrar], { id: "grantRegistrar" });

  const redPacket = m.contract("RedPacket", [cityYuan, deployer, adminTransferDelay]);
  m.call(redPacket, "setTicketSigner", [ticketSigner]);

  const vouchers = m.contract("Vouchers", [cityYuan, merchantRegistry, deployer, adminTransferDelay]);
  m.call(vouchers, "grantRole", [role("CITY_SPONSOR_ROLE"), voucherOffice], { id: "grantVoucherOffice" });
  m.call(vouchers, "grantRole", [role("GUARDIAN_ROLE"), compliance], { id: "grantGuardian" });
  m.call(vouchers, "setTicketSigner", [ticketSigner], { id: "setVouchersTicketSigner" });

  // Both escrows are city escrows: compliance cannot freeze them by mistake.
  m.call(cityYuan, "setCityEscrow", [redPacket, true], { id: "registerRedPacketEscrow" });
  m.call(cityYuan, "setCityEscrow", [vouchers, true], { id: "registerVouchersEscrow" });

  return { cityYuan, merchantRegistry, redPacket, vouchers };
});
