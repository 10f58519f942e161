// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title Hefei City Yuan (HCY): the city's CNY-pegged ledger
/// @notice 2 decimals: 1 unit is 1 fen. Issued by the city's bank against deposits, redeemed
/// (burned) when a resident cashes out. Payments carry a 32-byte order reference so a merchant can
/// match a receipt to an order from logs alone; refunds point at the payment they return.
/// @dev The rules on money that never bend:
/// - Issuing needs two keys on two addresses. The issuing side (the admin, who gives allowances,
///   and the issuers, who spend them) and the attesting side (the attester admin, set at deployment,
///   and the attesters it appoints) never share an address: granting a role of one side to a
///   holder of the other reverts with `CityYuanRoleConflict`. The attester role is administered by
///   the attester admin, not by the admin, so the admin cannot make itself or anyone an attester.
/// - Secure Mint: the supply after issuing may never exceed the reserves now, which are the
///   latest attestation's reserves minus everything redeemed since (redemptions are paid out of the
///   reserve, so money cashed out cannot be issued again without a new report). Issuing also stops
///   once the latest attestation is older than `maxReportAge` (set at deployment), until a fresh
///   one. Attesting less than the supply is allowed (auditors must be able to say so); it blocks
///   issuing and shows as coverage below 100 % on the ledger page.
/// - One issue per bank reference: a deposit is issued against once, ever.
/// - An issuing allowance only moves by `increaseIssuerAllowance`/`decreaseIssuerAllowance`, so an
///   issuer who races a cut can issue at most the old allowance, never old + new; revoking (or
///   renouncing) the issuer role sets it to zero.
/// - Nothing can be sent to the token contract itself (it could never be moved again).
/// - A city escrow (RedPacket, Vouchers) registered by the admin cannot be frozen: freezing it
///   would stop every resident's packets or vouchers at once. The escrows instead ask
///   `isFrozen` about each sender and claimer. To halt an escrow on purpose, the admin first
///   unregisters it (a second key, on the record), or the pauser pauses everything.
interface ICityYuan is IERC20, IERC20Metadata, IERC20Permit {
    // ───────────────────────────── errors ─────────────────────────────

    /// @notice Thrown when a frozen account would send, receive, or spend an allowance.
    /// @param account The frozen account.
    error CityYuanAccountFrozen(address account);
    /// @notice Thrown when an issuer tries to issue more than its remaining issuing allowance.
    /// @param issuer The issuer.
    /// @param allowance What it may still issue, in fen.
    /// @param needed What it tried to issue, in fen.
    error CityYuanIssuerAllowanceExceeded(address issuer, uint256 allowance, uint256 needed);
    /// @notice Thrown when an amount that must be positive is zero.
    error CityYuanZeroAmount();
    /// @notice Thrown when a bank reference or order reference that must be set is zero.
    error CityYuanMissingReference();
    /// @notice Thrown when a third party moves zero tokens out of someone else's account
    /// (the address-poisoning trick that plants look-alike entries in a victim's history).
    /// @param spender Who called `transferFrom`.
    /// @param from Whose account it named.
    error CityYuanZeroValueTransferFrom(address spender, address from);
    /// @notice Thrown when a refund asks for more than is still refundable on a payment.
    /// @param paymentId The payment refunded.
    /// @param refundable What is still refundable on it, in fen.
    /// @param requested The refund asked for, in fen.
    error CityYuanRefundExceedsPayment(bytes32 paymentId, uint256 refundable, uint256 requested);
    /// @notice Thrown when a freeze or unfreeze would not change the account's state.
    /// @param account The account.
    /// @param frozen Its state, which the call would not change.
    error CityYuanFreezeUnchanged(address account, bool frozen);
    /// @notice Thrown when issuing would bring the supply above the latest attested reserves.
    /// @param reserves The latest attested reserves, in fen.
    /// @param supplyAfter The supply the issue would reach, in fen.
    error CityYuanReservesExceeded(uint256 reserves, uint256 supplyAfter);
    /// @notice Thrown when an allowance decrease is larger than what the issuer has left (the
    /// issuer may have issued in the meantime: read the allowance again).
    /// @param issuer The issuer.
    /// @param allowance Its allowance now, in fen.
    /// @param subtracted The decrease asked for, in fen.
    error CityYuanIssuerAllowanceBelowZero(address issuer, uint256 allowance, uint256 subtracted);
    /// @notice Thrown when the admin gives an issuing allowance to an account without the issuer role.
    /// @param account The account without the issuer role.
    error CityYuanNotIssuer(address account);
    /// @notice Thrown when compliance tries to freeze a registered city escrow.
    /// @param escrow The city escrow.
    error CityYuanEscrowNotFreezable(address escrow);
    /// @notice Thrown when an account that is not a registered city escrow records an escrow payment.
    /// @param account The caller, not a city escrow.
    error CityYuanNotCityEscrow(address account);
    /// @notice Thrown when a role of the issuing side (admin, issuer) would go to a holder of a role
    /// of the attesting side (attester admin, attester), or the other way round: one key must never
    /// be able to both issue and vouch for the reserves.
    /// @param account The account the role would go to.
    /// @param role The role it would get.
    /// @param heldRole The role of the other side it already holds.
    error CityYuanRoleConflict(address account, bytes32 role, bytes32 heldRole);
    /// @notice Thrown when issuing while the latest reserve attestation is older than `maxReportAge`
    /// (or there is none yet): a fresh report must be published first.
    /// @param attestedAt When the latest attestation was published (0: never), in Unix seconds.
    /// @param maxReportAge How long an attestation allows issuing, in seconds.
    error CityYuanReserveReportTooOld(uint256 attestedAt, uint256 maxReportAge);
    /// @notice Thrown when issuing under a bank reference that has already been issued against.
    /// @param bankRef The bank deposit reference, already used.
    error CityYuanBankReferenceUsed(bytes32 bankRef);
    /// @notice Thrown at deployment when the attester admin or the first attester is the zero address.
    /// @param role The role left without a holder.
    error CityYuanMissingRoleHolder(bytes32 role);
    /// @notice Thrown at deployment when the maximum report age is zero or above the limit.
    /// @param maxReportAge The maximum report age asked for, in seconds.
    /// @param limit The largest one allowed, in seconds.
    error CityYuanInvalidMaxReportAge(uint256 maxReportAge, uint256 limit);

    // ───────────────────────────── events ─────────────────────────────

    /// @notice Emitted when an issuer mints `amount` to `to` against a bank deposit `bankRef`.
    /// @param issuer The issuer who minted.
    /// @param to Who received the new HCY.
    /// @param amount How much was minted, in fen.
    /// @param bankRef The bank deposit the HCY is issued against.
    event Issued(address indexed issuer, address indexed to, uint256 amount, bytes32 indexed bankRef);
    /// @notice Emitted when `account` burns `amount` to be paid out to its bank account (`bankRef`).
    /// @param account Who cashed out.
    /// @param amount How much was burned, in fen.
    /// @param bankRef The bank payout the burn is for.
    event Redeemed(address indexed account, uint256 amount, bytes32 indexed bankRef);
    /// @notice Emitted by `pay`: `payer` paid `payee` `amount` for the order `orderRef`.
    /// @dev `paymentId` is `keccak256(abi.encode(payer, payee, orderRef))`; refunds point at it.
    /// @param paymentId The id refunds point at.
    /// @param payer Who paid.
    /// @param payee Who was paid.
    /// @param amount How much was paid, in fen.
    /// @param orderRef The merchant's order reference.
    event PaymentMade(
        bytes32 indexed paymentId,
        address indexed payer,
        address indexed payee,
        uint256 amount,
        bytes32 orderRef
    );
    /// @notice Emitted when `payee` returns `amount` of payment `paymentId` to `payer`.
    /// @param paymentId The payment (or voucher receipt) refunded.
    /// @param payee Who returns the money (the merchant).
    /// @param payer Who gets it back (the resident).
    /// @param amount How much was returned, in fen.
    event PaymentRefunded(bytes32 indexed paymentId, address indexed payee, address indexed payer, uint256 amount);
    /// @notice Emitted when a compliance officer freezes `account`, with the legal reason.
    /// @param account The account frozen.
    /// @param officer The compliance officer.
    /// @param reason The legal reason.
    event AccountFrozen(address indexed account, address indexed officer, string reason);
    /// @notice Emitted when a compliance officer unfreezes `account`, with the reason.
    /// @param account The account unfrozen.
    /// @param officer The compliance officer.
    /// @param reason Why the freeze was lifted.
    event AccountUnfrozen(address indexed account, address indexed officer, string reason);
    /// @notice Emitted whenever `issuer`'s issuing allowance changes by the admin's hand (increase,
    /// decrease, or the issuer role revoked); issuing itself spends it without this event.
    /// @param issuer The issuer.
    /// @param allowance How much the issuer may issue from now on, in fen.
    event IssuerAllowanceSet(address indexed issuer, uint256 allowance);
    /// @notice Emitted when an attester publishes a reserve attestation.
    /// @param attestationId 1, 2, 3, ...: the latest one bounds issuing.
    /// @param attester Who published it.
    /// @param reserves Fen held at the bank for HCY, per the auditor's report.
    /// @param reportHash The hash of the auditor's report.
    /// @param uri Where to read the report.
    event ReservesAttested(
        uint256 indexed attestationId,
        address indexed attester,
        uint256 reserves,
        bytes32 reportHash,
        string uri
    );
    /// @notice Emitted when the admin registers or unregisters a city escrow.
    /// @param escrow The escrow contract (RedPacket, Vouchers).
    /// @param registered True when registered: it cannot be frozen and may record escrow payments.
    event CityEscrowSet(address indexed escrow, bool registered);

    // ───────────────────────────── issuing ─────────────────────────────

    /// @notice Mints `amount` fen to `to` against the bank deposit `bankRef`. Issuer role only;
    /// refuses a `bankRef` already issued against, spends the caller's issuing allowance, and
    /// refuses when the latest attestation is older than `maxReportAge` or the supply after issuing
    /// would exceed the reserves now (`latestReserves`).
    function issue(address to, uint256 amount, bytes32 bankRef) external;

    /// @notice Burns `amount` fen of the caller's own balance to be paid out to the bank account
    /// identified by `bankRef`. The payout comes out of the reserve, so `latestReserves` falls by
    /// `amount` too.
    function redeem(uint256 amount, bytes32 bankRef) external;

    /// @notice Whether `bankRef` has been issued against (a second issue under it reverts).
    function isBankReferenceUsed(bytes32 bankRef) external view returns (bool);

    /// @notice Raises `issuer`'s remaining issuing allowance by `added`. Admin only; the account
    /// must hold the issuer role.
    function increaseIssuerAllowance(address issuer, uint256 added) external;

    /// @notice Lowers `issuer`'s remaining issuing allowance by `subtracted`. Admin only. Reverts if
    /// the issuer has less left (it may have issued meanwhile), so a cut can never be raced into
    /// old + new allowance.
    function decreaseIssuerAllowance(address issuer, uint256 subtracted) external;

    /// @notice How much `issuer` may still issue.
    function issuerAllowance(address issuer) external view returns (uint256);

    /// @notice Everything ever issued, in fen.
    function totalIssued() external view returns (uint256);

    /// @notice Everything ever redeemed, in fen.
    function totalRedeemed() external view returns (uint256);

    // ───────────────────────────── payments ─────────────────────────────

    /// @notice Pays `payee` `amount` fen for order `orderRef` and records it as refundable.
    /// @return paymentId The id refunds point at.
    function pay(address payee, uint256 amount, bytes32 orderRef) external returns (bytes32 paymentId);

    /// @notice The caller (the payee of an earlier payment) returns `amount` to `payer` for the
    /// order `orderRef`. Cannot exceed what is still refundable on that payment.
    function refund(address payer, bytes32 orderRef, uint256 amount) external;

    /// @notice The id of the payment(s) from `payer` to `payee` for `orderRef`.
    function paymentIdOf(address payer, address payee, bytes32 orderRef) external pure returns (bytes32);

    /// @notice What is still refundable on payment `paymentId`.
    function refundable(bytes32 paymentId) external view returns (uint256);

    /// @notice A registered city escrow records that `payer` paid `payee` `amount` fen of their own
    /// money for `orderRef` through it (a voucher sale: the resident's part), so the payee can
    /// refund it with `refund` like any payment, never more than that. Moves no tokens.
    /// @return paymentId The payment's id (as `paymentIdOf`).
    function recordEscrowPayment(
        address payer,
        address payee,
        bytes32 orderRef,
        uint256 amount
    ) external returns (bytes32 paymentId);

    // ───────────────────────────── compliance ─────────────────────────────

    /// @notice Freezes `account` by law: it can no longer send, receive, or spend an allowance, and
    /// the city escrows refuse its claims and redemptions. A registered city escrow cannot be frozen.
    function freeze(address account, string calldata reason) external;

    /// @notice Lifts a freeze.
    function unfreeze(address account, string calldata reason) external;

    /// @notice Whether `account` is frozen. One storage read: the escrows call it on every claim.
    function isFrozen(address account) external view returns (bool);

    /// @notice Registers (or unregisters) `escrow` as a city escrow. Admin only.
    function setCityEscrow(address escrow, bool registered) external;

    /// @notice Whether `account` is a registered city escrow (which cannot be frozen).
    function isCityEscrow(address account) external view returns (bool);

    // ───────────────────────────── emergency and reserves ─────────────────────────────

    /// @notice Stops every movement of tokens. Pauser role only.
    function pause() external;

    /// @notice Resumes movements. Pauser role only.
    function unpause() external;

    /// @notice Publishes a reserve attestation: `reserves` fen held at the bank now, the hash of the
    /// auditor's report and where to read it. Attester role only (granted by the attester admin).
    /// Starts a new `maxReportAge` window for issuing.
    function attestReserves(uint256 reserves, bytes32 reportHash, string calldata uri) external;

    /// @notice Number of reserve attestations published so far.
    function attestationCount() external view returns (uint256);

    /// @notice The reserves now, in fen: the latest attestation's reserves minus everything redeemed
    /// since, never below 0 (0 before the first attestation). The supply can never be issued above it.
    function latestReserves() external view returns (uint256);

    /// @notice How much more may be issued against the reserves now: `latestReserves` minus the
    /// supply, or 0 when the reserves do not cover the supply. Issuing also needs a fresh report.
    function reservesHeadroom() external view returns (uint256);

    /// @notice When the latest attestation was published, in Unix seconds (0 before the first).
    function latestAttestationTime() external view returns (uint256);

    /// @notice How long after its publication an attestation still allows issuing, in seconds. Set
    /// at deployment.
    function maxReportAge() external view returns (uint256);
}
