// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Hefei City Yuan (HCY): the city's CNY-pegged ERC-20 with ERC-2612 permit, issued by the city's
// bank against deposits and redeemed to bank accounts, with payments that carry an order reference,
// refunds bound to the payment they return, freezes by law, an emergency pause and reserve
// attestations. Roles are kept apart; the admin role moves in two steps with a delay.

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ICityYuan} from "./interfaces/ICityYuan.sol";

/// @title Hefei City Yuan (HCY)
/// @notice See {ICityYuan}. 2 decimals: 1 unit is 1 fen.
/// @dev Why this contract keeps its own balances instead of OpenZeppelin's (the house rule is
/// "inherit, don't re-implement"): every transfer must check that neither party is frozen and
/// must cost at most 1% more gas than an OpenZeppelin ERC20Pausable transfer. A separate
/// `frozen` mapping costs two extra cold SLOADs per transfer (~4,200 gas, ~8%). Like USDC v2.2,
/// we pack the frozen flag into the top bit of the balance word, so the freeze check reads the
/// words the transfer reads anyway. ERC20's `_balances` and `_totalSupply` are private, so
/// `balanceOf`, `totalSupply` and `_update` are overridden here; everything else (allowances,
/// permit, `transfer`/`transferFrom`/`_mint`/`_burn`, events and errors) is OpenZeppelin's, and
/// `_update` below mirrors OpenZeppelin's line for line apart from the freeze checks and the
/// supply bookkeeping. OpenZeppelin's own `_balances`/`_totalSupply` stay zero and unused.
///
/// Total supply is not stored: it is `issued - redeemed`, both kept in one slot (two uint128).
/// That makes "supply == issued - redeemed" true by construction and lets `issue` and `redeem`
/// write one supply slot, as OpenZeppelin's `_mint`/`_burn` do. uint128 fen (3.4e36 yuan) is far
/// beyond any real supply and keeps every balance below the frozen bit.
contract CityYuan is ICityYuan, ERC20Permit, Pausable, AccessControlDefaultAdminRules {
    // ───────────────────────────── roles ─────────────────────────────

    /// @notice Issues HCY against bank deposits, within an allowance set by the admin.
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    /// @notice Freezes and unfreezes accounts by law.
    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    /// @notice Pauses and resumes every movement in an emergency.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Publishes reserve attestations.
    bytes32 public constant ATTESTER_ROLE = keccak256("ATTESTER_ROLE");

    // ───────────────────────────── storage ─────────────────────────────

    /// @dev Top bit of an account word: the account is frozen. The other 255 bits are the balance,
    /// which never reaches this bit because balances are bounded by supply, a uint128.
    uint256 private constant _FROZEN_FLAG = 1 << 255;

    /// @dev Everything ever issued and redeemed, in one slot. `redeemed <= issued` always holds,
    /// since only balances are burned and balances sum to `issued - redeemed`.
    struct Supply {
        uint128 issued;
        uint128 redeemed;
    }

    /// @dev Balance in the low 255 bits, frozen flag in the top bit (see {_FROZEN_FLAG}).
    mapping(address account => uint256) private _accounts;
    Supply private _supply;
    mapping(address issuer => uint256) private _issuerAllowances;
    mapping(bytes32 paymentId => uint256) private _refundable;
    uint256 private _attestationCount;

    /// @param admin Holds DEFAULT_ADMIN_ROLE: grants the other roles and sets issuer allowances.
    /// @param adminTransferDelay Seconds between starting and accepting an admin transfer.
    constructor(
        address admin,
        uint48 adminTransferDelay
    )
        ERC20("Hefei City Yuan", "HCY")
        ERC20Permit("Hefei City Yuan")
        AccessControlDefaultAdminRules(adminTransferDelay, admin)
    {}

    // ───────────────────────────── issuing ─────────────────────────────

    /// @inheritdoc ICityYuan
    function issue(address to, uint256 amount, bytes32 bankRef) external onlyRole(ISSUER_ROLE) {
        if (bankRef == bytes32(0)) revert CityYuanMissingReference();
        if (amount == 0) revert CityYuanZeroAmount();
        address issuer = _msgSender();
        uint256 remaining = _issuerAllowances[issuer];
        if (amount > remaining) revert CityYuanIssuerAllowanceExceeded(issuer, remaining, amount);
        unchecked {
            _issuerAllowances[issuer] = remaining - amount;
        }
        _mint(to, amount);
        emit Issued(issuer, to, amount, bankRef);
    }

    /// @inheritdoc ICityYuan
    function redeem(uint256 amount, bytes32 bankRef) external {
        if (bankRef == bytes32(0)) revert CityYuanMissingReference();
        if (amount == 0) revert CityYuanZeroAmount();
        address account = _msgSender();
        _burn(account, amount);
        emit Redeemed(account, amount, bankRef);
    }

    /// @inheritdoc ICityYuan
    function setIssuerAllowance(address issuer, uint256 newAllowance) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _issuerAllowances[issuer] = newAllowance;
        emit IssuerAllowanceSet(issuer, newAllowance);
    }

    // ───────────────────────────── payments ─────────────────────────────

    /// @inheritdoc ICityYuan
    function pay(address payee, uint256 amount, bytes32 orderRef) external returns (bytes32 paymentId) {
        if (orderRef == bytes32(0)) revert CityYuanMissingReference();
        if (amount == 0) revert CityYuanZeroAmount();
        address payer = _msgSender();
        _transfer(payer, payee, amount);
        paymentId = paymentIdOf(payer, payee, orderRef);
        _refundable[paymentId] += amount;
        emit PaymentMade(paymentId, payer, payee, amount, orderRef);
    }

    /// @inheritdoc ICityYuan
    /// @dev Someone who is not the payee finds nothing refundable under their own payment id, so
    /// they get {CityYuanRefundExceedsPayment} with `refundable == 0`.
    function refund(address payer, bytes32 orderRef, uint256 amount) external {
        if (amount == 0) revert CityYuanZeroAmount();
        address payee = _msgSender();
        bytes32 paymentId = paymentIdOf(payer, payee, orderRef);
        uint256 left = _refundable[paymentId];
        if (amount > left) revert CityYuanRefundExceedsPayment(paymentId, left, amount);
        unchecked {
            _refundable[paymentId] = left - amount;
        }
        _transfer(payee, payer, amount);
        emit PaymentRefunded(paymentId, payee, payer, amount);
    }

    // ───────────────────────────── compliance ─────────────────────────────

    /// @inheritdoc ICityYuan
    function freeze(address account, string calldata reason) external onlyRole(COMPLIANCE_ROLE) {
        uint256 word = _accounts[account];
        if (word >= _FROZEN_FLAG) revert CityYuanFreezeUnchanged(account, true);
        _accounts[account] = word | _FROZEN_FLAG;
        emit AccountFrozen(account, _msgSender(), reason);
    }

    /// @inheritdoc ICityYuan
    function unfreeze(address account, string calldata reason) external onlyRole(COMPLIANCE_ROLE) {
        uint256 word = _accounts[account];
        if (word < _FROZEN_FLAG) revert CityYuanFreezeUnchanged(account, false);
        _accounts[account] = word ^ _FROZEN_FLAG;
        emit AccountUnfrozen(account, _msgSender(), reason);
    }

    // ───────────────────────────── emergency and reserves ─────────────────────────────

    /// @inheritdoc ICityYuan
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @inheritdoc ICityYuan
    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    /// @inheritdoc ICityYuan
    /// @dev Attestation ids start at 1, so the latest id equals {attestationCount}. A zero report
    /// hash reverts with {CityYuanMissingReference}: an attestation must point at its report.
    function attestReserves(
        uint256 reserves,
        bytes32 reportHash,
        string calldata uri
    ) external onlyRole(ATTESTER_ROLE) {
        if (reportHash == bytes32(0)) revert CityYuanMissingReference();
        uint256 attestationId = ++_attestationCount;
        emit ReservesAttested(attestationId, _msgSender(), reserves, reportHash, uri);
    }

    // ───────────────────────────── ERC-20 ─────────────────────────────

    /// @notice Moves `value` of `from`'s tokens to `to`, spending the caller's allowance.
    /// @dev Zero-value moves out of someone else's account revert: they need no allowance and are
    /// the address-poisoning trick (planting look-alike entries in a victim's history).
    function transferFrom(address from, address to, uint256 value) public override(ERC20, IERC20) returns (bool) {
        address spender = _msgSender();
        if (value == 0 && spender != from) revert CityYuanZeroValueTransferFrom(spender, from);
        return super.transferFrom(from, to, value);
    }

    // ───────────────────────────── internal ─────────────────────────────

    /// @dev OpenZeppelin's `ERC20._update` on our packed account words, plus: nothing moves while
    /// paused, and a frozen account neither sends nor receives. Issuing and redeeming (the only
    /// callers of `_mint` and `_burn`) count into `_supply`.
    function _update(address from, address to, uint256 value) internal override {
        _requireNotPaused();
        if (from == address(0)) {
            // Reverts past uint128, which keeps every balance below the frozen bit.
            _supply.issued = SafeCast.toUint128(_supply.issued + value);
        } else {
            uint256 fromWord = _accounts[from];
            if (fromWord >= _FROZEN_FLAG) revert CityYuanAccountFrozen(from);
            // Not frozen, so the word is the balance.
            if (fromWord < value) revert ERC20InsufficientBalance(from, fromWord, value);
            unchecked {
                _accounts[from] = fromWord - value;
            }
        }

        if (to == address(0)) {
            unchecked {
                // value <= balance of `from` <= issued - redeemed, and fits in uint128.
                _supply.redeemed += uint128(value);
            }
        } else {
            uint256 toWord = _accounts[to];
            if (toWord >= _FROZEN_FLAG) revert CityYuanAccountFrozen(to);
            unchecked {
                // balance + value <= issued - redeemed < 2**128: stays below the frozen bit.
                _accounts[to] = toWord + value;
            }
        }

        emit Transfer(from, to, value);
    }

    /// @dev A frozen account cannot spend an allowance it holds on someone else's tokens (the
    /// owner's and recipient's freezes are checked in {_update}).
    function _spendAllowance(address owner, address spender, uint256 value) internal override {
        if (_accounts[spender] >= _FROZEN_FLAG) revert CityYuanAccountFrozen(spender);
        super._spendAllowance(owner, spender, value);
    }

    // ───────────────────────────── reads ─────────────────────────────

    /// @notice 2: one unit is one fen.
    function decimals() public pure override(ERC20, IERC20Metadata) returns (uint8) {
        return 2;
    }

    /// @inheritdoc IERC20
    function totalSupply() public view override(ERC20, IERC20) returns (uint256) {
        Supply memory supply = _supply;
        return supply.issued - supply.redeemed;
    }

    /// @inheritdoc IERC20
    function balanceOf(address account) public view override(ERC20, IERC20) returns (uint256) {
        return _accounts[account] & ~_FROZEN_FLAG;
    }

    /// @inheritdoc IERC20Permit
    function nonces(address owner) public view override(ERC20Permit, IERC20Permit) returns (uint256) {
        return super.nonces(owner);
    }

    /// @inheritdoc ICityYuan
    function isFrozen(address account) external view returns (bool) {
        return _accounts[account] >= _FROZEN_FLAG;
    }

    /// @inheritdoc ICityYuan
    function issuerAllowance(address issuer) external view returns (uint256) {
        return _issuerAllowances[issuer];
    }

    /// @inheritdoc ICityYuan
    function totalIssued() external view returns (uint256) {
        return _supply.issued;
    }

    /// @inheritdoc ICityYuan
    function totalRedeemed() external view returns (uint256) {
        return _supply.redeemed;
    }

    /// @inheritdoc ICityYuan
    function paymentIdOf(address payer, address payee, bytes32 orderRef) public pure returns (bytes32) {
        return keccak256(abi.encode(payer, payee, orderRef));
    }

    /// @inheritdoc ICityYuan
    function refundable(bytes32 paymentId) external view returns (uint256) {
        return _refundable[paymentId];
    }

    /// @inheritdoc ICityYuan
    function attestationCount() external view returns (uint256) {
        return _attestationCount;
    }
}
