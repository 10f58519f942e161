// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";

/// @title Hefei City Yuan (HCY): the city's CNY-pegged ledger
/// @notice 2 decimals: 1 unit is 1 fen. Issued by the city's bank against deposits, redeemed
/// (burned) when a resident cashes out. Payments carry a 32-byte order reference so a merchant can
/// match a receipt to an order from logs alone; refunds point at the payment they return.
interface ICityYuan is IERC20, IERC20Metadata, IERC20Permit {
    // ───────────────────────────── errors ─────────────────────────────

    /// @notice Thrown when a frozen account would send, receive, or spend an allowance.
    error CityYuanAccountFrozen(address account);
    /// @notice Thrown when an issuer tries to issue more than its remaining issuing allowance.
    error CityYuanIssuerAllowanceExceeded(address issuer, uint256 allowance, uint256 needed);
    /// @notice Thrown when an amount that must be positive is zero.
    error CityYuanZeroAmount();
    /// @notice Thrown when a bank reference or order reference that must be set is zero.
    error CityYuanMissingReference();
    /// @notice Thrown when a third party moves zero tokens out of someone else's account
    /// (the address-poisoning trick that plants look-alike entries in a victim's history).
    error CityYuanZeroValueTransferFrom(address spender, address from);
    /// @notice Thrown when a refund asks for more than is still refundable on a payment.
    error CityYuanRefundExceedsPayment(bytes32 paymentId, uint256 refundable, uint256 requested);
    /// @notice Thrown when a freeze or unfreeze would not change the account's state.
    error CityYuanFreezeUnchanged(address account, bool frozen);

    // ───────────────────────────── events ─────────────────────────────

    /// @notice Emitted when an issuer mints `amount` to `to` against a bank deposit `bankRef`.
    event Issued(address indexed issuer, address indexed to, uint256 amount, bytes32 indexed bankRef);
    /// @notice Emitted when `account` burns `amount` to be paid out to its bank account (`bankRef`).
    event Redeemed(address indexed account, uint256 amount, bytes32 indexed bankRef);
    /// @notice Emitted by `pay`: `payer` paid `payee` `amount` for the order `orderRef`.
    /// @dev `paymentId` is `keccak256(abi.encode(payer, payee, orderRef))`; refunds point at it.
    event PaymentMade(
        bytes32 indexed paymentId,
        address indexed payer,
        address indexed payee,
        uint256 amount,
        bytes32 orderRef
    );
    /// @notice Emitted when `payee` returns `amount` of payment `paymentId` to `payer`.
    event PaymentRefunded(bytes32 indexed paymentId, address indexed payee, address indexed payer, uint256 amount);
    /// @notice Emitted when a compliance officer freezes `account`, with the legal reason.
    event AccountFrozen(address indexed account, address indexed officer, string reason);
    /// @notice Emitted when a compliance officer unfreezes `account`, with the reason.
    event AccountUnfrozen(address indexed account, address indexed officer, string reason);
    /// @notice Emitted when the admin sets how much `issuer` may still issue.
    event IssuerAllowanceSet(address indexed issuer, uint256 allowance);
    /// @notice Emitted when an attester publishes a reserve attestation.
    event ReservesAttested(
        uint256 indexed attestationId,
        address indexed attester,
        uint256 reserves,
        bytes32 reportHash,
        string uri
    );

    // ───────────────────────────── issuing ─────────────────────────────

    /// @notice Mints `amount` fen to `to` against the bank deposit `bankRef`. Issuer role only;
    /// spends the caller's issuing allowance.
    function issue(address to, uint256 amount, bytes32 bankRef) external;

    /// @notice Burns `amount` fen of the caller's own balance to be paid out to the bank account
    /// identified by `bankRef`.
    function redeem(uint256 amount, bytes32 bankRef) external;

    /// @notice Sets the remaining issuing allowance of `issuer`. Admin only.
    function setIssuerAllowance(address issuer, uint256 allowance) external;

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

    // ───────────────────────────── compliance ─────────────────────────────

    /// @notice Freezes `account` by law: it can no longer send, receive, or spend an allowance.
    function freeze(address account, string calldata reason) external;

    /// @notice Lifts a freeze.
    function unfreeze(address account, string calldata reason) external;

    /// @notice Whether `account` is frozen.
    function isFrozen(address account) external view returns (bool);

    // ───────────────────────────── emergency and reserves ─────────────────────────────

    /// @notice Stops every movement of tokens. Pauser role only.
    function pause() external;

    /// @notice Resumes movements. Pauser role only.
    function unpause() external;

    /// @notice Publishes a reserve attestation: `reserves` fen held at the bank, the hash of the
    /// auditor's report and where to read it.
    function attestReserves(uint256 reserves, bytes32 reportHash, string calldata uri) external;

    /// @notice Number of reserve attestations published so far.
    function attestationCount() external view returns (uint256);
}
