// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Hefei City Yuan (HCY): the city's CNY-pegged ERC-20 with ERC-2612 permit, issued by the city's
// bank against deposits and redeemed to bank accounts, with payments that carry an order reference,
// refunds bound to the payment they return, freezes by law, an emergency pause and reserve
// attestations bounding the supply. Roles are kept apart; the admin role moves in two steps with a
// delay. The rules on issuing, allowances, escrows and freezes are in ICityYuan's notes.

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ICityYuan} from "./interfaces/ICityYuan.sol";
import {PaymentIds} from "./libraries/PaymentIds.sol";

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
/// write one supply slot, as OpenZeppelin's `_mint`/`_burn` do. The cap is on the supply, not on
/// the lifetime counters: the supply may never pass 2^128 - 1 fen (which keeps every balance below
/// the frozen bit), while `issued` and `redeemed` count modulo 2^128, so their difference stays
/// exact even if they wrap. Without that, a lifetime counter would be a lifetime cap: keys able to
/// issue and redeem in a loop could run `issued` up to 2^128 and stop issuing forever while the
/// supply is small. (Honest use never gets near: 2^128 fen is 3.4e34 yuan.)
contract CityYuan is ICityYuan, ERC20Permit, Pausable, AccessControlDefaultAdminRules {
    // ───────────────────────────── roles ─────────────────────────────

    /// @notice Issues HCY against bank deposits, within an allowance set by the admin.
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    /// @notice Freezes and unfreezes accounts by law.
    bytes32 public constant COMPLIANCE_ROLE = keccak256("COMPLIANCE_ROLE");
    /// @notice Pauses and resumes every movement in an emergency.
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Publishes reserve attestations. Administered by {ATTESTER_ADMIN_ROLE}, not by the admin.
    bytes32 public constant ATTESTER_ROLE = keccak256("ATTESTER_ROLE");
    /// @notice Grants and revokes the attester role (and itself). Set at deployment; the default admin
    /// can neither hold it nor grant it, so the admin alone can never publish reserves.
    bytes32 public constant ATTESTER_ADMIN_ROLE = keccak256("ATTESTER_ADMIN_ROLE");
    /// @notice The loosest maximum report age a deployment may choose: a quarter (regulated
    /// stablecoins publish monthly).
    uint256 public constant MAX_REPORT_AGE_LIMIT = 92 days;

    /// @inheritdoc ICityYuan
    uint256 public immutable maxReportAge;

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
    /// @dev The latest attestation's reserves and `_supply.redeemed` when it was published: the
    /// reserves now are the attested figure minus what was redeemed since (redemptions are paid out
    /// of the reserve), so a redemption writes nothing here. One slot, read by every issue.
    struct ReserveMark {
        uint128 attested;
        uint128 redeemedAtAttestation;
    }

    /// @dev When the latest attestation was published and how many there have been. One slot.
    struct AttestationClock {
        uint48 attestedAt;
        uint208 count;
    }

    ReserveMark private _reserveMark;
    AttestationClock private _attestationClock;
    /// @dev Bank references already issued against: one issue per deposit.
    mapping(bytes32 bankRef => bool) private _issuedBankRefs;
    /// @dev City escrows registered by the admin: never frozen, may record escrow payments.
    mapping(address account => bool) private _cityEscrows;

    /// @param admin Holds DEFAULT_ADMIN_ROLE: grants the issuer, compliance and pauser roles and sets
    /// issuer allowances. Never an attester or the attester admin.
    /// @param adminTransferDelay Seconds between starting and accepting an admin transfer.
    /// @param attesterAdmin Holds ATTESTER_ADMIN_ROLE: grants and revokes attesters (the auditor's
    /// office). Not the admin.
    /// @param attester The first attester, who publishes reserve reports. Not the admin.
    /// @param maxReportAge_ Seconds after its publication that a reserve attestation still allows
    /// issuing (more than 0, at most {MAX_REPORT_AGE_LIMIT}).
    constructor(
        address admin,
        uint48 adminTransferDelay,
        address attesterAdmin,
        address attester,
        uint256 maxReportAge_
    )
        ERC20("Hefei City Yuan", "HCY")
        ERC20Permit("Hefei City Yuan")
        AccessControlDefaultAdminRules(adminTransferDelay, admin)
    {
        if (attesterAdmin == address(0)) revert CityYuanMissingRoleHolder(ATTESTER_ADMIN_ROLE);
        if (attester == address(0)) revert CityYuanMissingRoleHolder(ATTESTER_ROLE);
        if (maxReportAge_ == 0 || maxReportAge_ > MAX_REPORT_AGE_LIMIT) {
            revert CityYuanInvalidMaxReportAge(maxReportAge_, MAX_REPORT_AGE_LIMIT);
        }
        maxReportAge = maxReportAge_;
        // The attester side administers itself: the default admin is not its admin.
        _setRoleAdmin(ATTESTER_ADMIN_ROLE, ATTESTER_ADMIN_ROLE);
        _setRoleAdmin(ATTESTER_ROLE, ATTESTER_ADMIN_ROLE);
        _grantRole(ATTESTER_ADMIN_ROLE, attesterAdmin);
        _grantRole(ATTESTER_ROLE, attester);
    }

    // ───────────────────────────── issuing ─────────────────────────────

    /// @inheritdoc ICityYuan
    function issue(address to, uint256 amount, bytes32 bankRef) external onlyRole(ISSUER_ROLE) {
        if (bankRef == bytes32(0)) revert CityYuanMissingReference();
        if (amount == 0) revert CityYuanZeroAmount();
        if (_issuedBankRefs[bankRef]) revert CityYuanBankReferenceUsed(bankRef);
        address issuer = _msgSender();
        uint256 remaining = _issuerAllowances[issuer];
        if (amount > remaining) revert CityYuanIssuerAllowanceExceeded(issuer, remaining, amount);
        // Secure Mint: a fresh report, and the supply after issuing covered by the reserves now.
        uint256 attestedAt = _attestationClock.attestedAt;
        if (block.timestamp > attestedAt + maxReportAge) revert CityYuanReserveReportTooOld(attestedAt, maxReportAge);
        uint256 supplyAfter = totalSupply() + amount;
        uint256 reserves = _reservesNow();
        if (supplyAfter > reserves) revert CityYuanReservesExceeded(reserves, supplyAfter);
        _issuedBankRefs[bankRef] = true;
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
    /// @dev Overflow past 2^256 - 1 reverts with the compiler's arithmetic panic.
    function increaseIssuerAllowance(address issuer, uint256 added) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!hasRole(ISSUER_ROLE, issuer)) revert CityYuanNotIssuer(issuer);
        _setIssuerAllowance(issuer, _issuerAllowances[issuer] + added);
    }

    /// @inheritdoc ICityYuan
    function decreaseIssuerAllowance(address issuer, uint256 subtracted) external onlyRole(DEFAULT_ADMIN_ROLE) {
        uint256 allowance = _issuerAllowances[issuer];
        if (subtracted > allowance) revert CityYuanIssuerAllowanceBelowZero(issuer, allowance, subtracted);
        unchecked {
            _setIssuerAllowance(issuer, allowance - subtracted);
        }
    }

    // ───────────────────────────── payments ─────────────────────────────

    /// @inheritdoc ICityYuan
    function pay(address payee, uint256 amount, bytes32 orderRef) external returns (bytes32 paymentId) {
        if (orderRef == bytes32(0)) revert CityYuanMissingReference();
        if (amount == 0) revert CityYuanZeroAmount();
        address payer = _msgSender();
        _transfer(payer, payee, amount);
        paymentId = PaymentIds.compute(payer, payee, orderRef);
        _refundable[paymentId] += amount;
        emit PaymentMade(paymentId, payer, payee, amount, orderRef);
    }

    /// @inheritdoc ICityYuan
    /// @dev Someone who is not the payee finds nothing refundable under their own payment id, so
    /// they get {CityYuanRefundExceedsPayment} with `refundable == 0`.
    function refund(address payer, bytes32 orderRef, uint256 amount) external {
        if (amount == 0) revert CityYuanZeroAmount();
        address payee = _msgSender();
        bytes32 paymentId = PaymentIds.compute(payer, payee, orderRef);
        uint256 left = _refundable[paymentId];
        if (amount > left) revert CityYuanRefundExceedsPayment(paymentId, left, amount);
        unchecked {
            _refundable[paymentId] = left - amount;
        }
        _transfer(payee, payer, amount);
        emit PaymentRefunded(paymentId, payee, payer, amount);
    }

    /// @inheritdoc ICityYuan
    /// @dev The escrow has already moved the tokens (from the payer, spending the allowance the
    /// payer gave it); this only makes `amount` refundable under the payment's id. It can take
    /// nothing from anyone: a refund moves the payee's own money back to the payer.
    function recordEscrowPayment(
        address payer,
        address payee,
        bytes32 orderRef,
        uint256 amount
    ) external returns (bytes32 paymentId) {
        address escrow = _msgSender();
        if (!_cityEscrows[escrow]) revert CityYuanNotCityEscrow(escrow);
        paymentId = PaymentIds.compute(payer, payee, orderRef);
        _refundable[paymentId] += amount;
    }

    // ───────────────────────────── compliance ─────────────────────────────

    /// @inheritdoc ICityYuan
    /// @dev A registered city escrow is refused with {CityYuanEscrowNotFreezable}: freezing it would
    /// stop every resident's packets or vouchers at once, which no court order about one person
    /// asks for. The escrows check each sender and claimer with {isFrozen} instead.
    function freeze(address account, string calldata reason) external onlyRole(COMPLIANCE_ROLE) {
        if (_cityEscrows[account]) revert CityYuanEscrowNotFreezable(account);
        if (_isFrozen(account)) revert CityYuanFreezeUnchanged(account, true);
        _setFrozen(account, true);
        emit AccountFrozen(account, _msgSender(), reason);
    }

    /// @inheritdoc ICityYuan
    function unfreeze(address account, string calldata reason) external onlyRole(COMPLIANCE_ROLE) {
        if (!_isFrozen(account)) revert CityYuanFreezeUnchanged(account, false);
        _setFrozen(account, false);
        emit AccountUnfrozen(account, _msgSender(), reason);
    }

    /// @inheritdoc ICityYuan
    /// @dev Registering does not lift a freeze already on the account; compliance unfreezes it.
    function setCityEscrow(address escrow, bool registered) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _cityEscrows[escrow] = registered;
        emit CityEscrowSet(escrow, registered);
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
    /// Reserves below the supply are accepted (that is what an auditor must be able to publish);
    /// issuing then stops until reserves cover the supply again. Reserves above 2^128 - 1 fen (the
    /// supply's cap) revert with OpenZeppelin's SafeCast error.
    function attestReserves(
        uint256 reserves,
        bytes32 reportHash,
        string calldata uri
    ) external onlyRole(ATTESTER_ROLE) {
        if (reportHash == bytes32(0)) revert CityYuanMissingReference();
        _reserveMark = ReserveMark({attested: SafeCast.toUint128(reserves), redeemedAtAttestation: _supply.redeemed});
        uint256 attestationId = _attestationClock.count + 1;
        _attestationClock = AttestationClock({attestedAt: uint48(block.timestamp), count: uint208(attestationId)});
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
            Supply memory supply = _supply;
            uint256 supplyAfter;
            unchecked {
                // issued - redeemed is the supply modulo 2^128, which is the supply (< 2^128).
                supplyAfter = uint256(supply.issued - supply.redeemed);
            }
            supplyAfter += value;
            // The supply may not pass uint128, which keeps every balance below the frozen bit.
            if (supplyAfter > type(uint128).max) revert SafeCast.SafeCastOverflowedUintDowncast(128, supplyAfter);
            unchecked {
                // The lifetime counter counts modulo 2^128 (see the contract's note).
                _supply.issued = supply.issued + uint128(value);
            }
        } else {
            uint256 fromWord = _accounts[from];
            if (_hasFrozenFlag(fromWord)) revert CityYuanAccountFrozen(from);
            // Not frozen, so the word is the balance.
            if (fromWord < value) revert ERC20InsufficientBalance(from, fromWord, value);
            unchecked {
                _accounts[from] = fromWord - value;
            }
        }

        if (to == address(0)) {
            unchecked {
                // value <= balance of `from` <= supply, fits in uint128; the counter counts modulo 2^128.
                _supply.redeemed += uint128(value);
            }
        } else {
            // HCY sent to the token itself could never move again (USDC refuses it too).
            if (to == address(this)) revert ERC20InvalidReceiver(to);
            uint256 toWord = _accounts[to];
            if (_hasFrozenFlag(toWord)) revert CityYuanAccountFrozen(to);
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
        if (_isFrozen(spender)) revert CityYuanAccountFrozen(spender);
        super._spendAllowance(owner, spender, value);
    }

    /// @dev Keeps the two keys to mint on different addresses: the issuing side (the default admin,
    /// who sets allowances, and the issuers) and the attesting side (the attester admin and the
    /// attesters) never share an address, however a role arrives (grant, the constructor, or
    /// accepting a default admin transfer). The admin may hold the issuer role: it still needs a
    /// fresh report that only the attesting side can publish.
    function _grantRole(bytes32 role, address account) internal override returns (bool) {
        if (role == ISSUER_ROLE || role == DEFAULT_ADMIN_ROLE) {
            _refuseIfHolds(account, role, ATTESTER_ROLE);
            _refuseIfHolds(account, role, ATTESTER_ADMIN_ROLE);
        } else if (role == ATTESTER_ROLE || role == ATTESTER_ADMIN_ROLE) {
            _refuseIfHolds(account, role, ISSUER_ROLE);
            _refuseIfHolds(account, role, DEFAULT_ADMIN_ROLE);
        }
        return super._grantRole(role, account);
    }

    function _refuseIfHolds(address account, bytes32 role, bytes32 heldRole) private view {
        if (hasRole(heldRole, account)) revert CityYuanRoleConflict(account, role, heldRole);
    }

    /// @dev The latest attested reserves minus what was redeemed since (never below zero).
    function _reservesNow() private view returns (uint256) {
        ReserveMark memory mark = _reserveMark;
        uint128 redeemedSince;
        unchecked {
            // The counter counts modulo 2^128 (see the contract's note): the difference is exact.
            redeemedSince = _supply.redeemed - mark.redeemedAtAttestation;
        }
        return mark.attested > redeemedSince ? mark.attested - redeemedSince : 0;
    }

    /// @dev Revoking (or renouncing) the issuer role zeroes the issuing allowance, so granting the
    /// role again later does not bring back an old allowance.
    function _revokeRole(bytes32 role, address account) internal override returns (bool revoked) {
        revoked = super._revokeRole(role, account);
        if (revoked && role == ISSUER_ROLE && _issuerAllowances[account] != 0) _setIssuerAllowance(account, 0);
    }

    function _setIssuerAllowance(address issuer, uint256 allowance) private {
        _issuerAllowances[issuer] = allowance;
        emit IssuerAllowanceSet(issuer, allowance);
    }

    // ── the frozen bit (as Circle's `_isBlacklisted`/`_blacklist`, on the packed account word) ──

    /// @dev Whether an account word carries the frozen flag.
    function _hasFrozenFlag(uint256 word) private pure returns (bool) {
        return word >= _FROZEN_FLAG;
    }

    /// @dev The balance an account word holds, without its frozen flag.
    function _balanceInWord(uint256 word) private pure returns (uint256) {
        return word & ~_FROZEN_FLAG;
    }

    /// @dev Whether `account` is frozen.
    function _isFrozen(address account) internal view returns (bool) {
        return _hasFrozenFlag(_accounts[account]);
    }

    /// @dev Sets or clears `account`'s frozen flag, leaving its balance as it is.
    function _setFrozen(address account, bool frozen) internal {
        uint256 word = _accounts[account];
        _accounts[account] = frozen ? word | _FROZEN_FLAG : word & ~_FROZEN_FLAG;
    }

    // ───────────────────────────── reads ─────────────────────────────

    /// @notice 2: one unit is one fen.
    function decimals() public pure override(ERC20, IERC20Metadata) returns (uint8) {
        return 2;
    }

    /// @inheritdoc IERC20
    function totalSupply() public view override(ERC20, IERC20) returns (uint256) {
        Supply memory supply = _supply;
        unchecked {
            return supply.issued - supply.redeemed;
        }
    }

    /// @inheritdoc IERC20
    function balanceOf(address account) public view override(ERC20, IERC20) returns (uint256) {
        return _balanceInWord(_accounts[account]);
    }

    /// @inheritdoc IERC20Permit
    function nonces(address owner) public view override(ERC20Permit, IERC20Permit) returns (uint256) {
        return super.nonces(owner);
    }

    /// @inheritdoc ICityYuan
    function isFrozen(address account) external view returns (bool) {
        return _isFrozen(account);
    }

    /// @inheritdoc ICityYuan
    function isCityEscrow(address account) external view returns (bool) {
        return _cityEscrows[account];
    }

    /// @inheritdoc ICityYuan
    function latestReserves() external view returns (uint256) {
        return _reservesNow();
    }

    /// @inheritdoc ICityYuan
    function reservesHeadroom() external view returns (uint256) {
        uint256 reserves = _reservesNow();
        uint256 supply = totalSupply();
        return reserves > supply ? reserves - supply : 0;
    }

    /// @inheritdoc ICityYuan
    function latestAttestationTime() external view returns (uint256) {
        return _attestationClock.attestedAt;
    }

    /// @inheritdoc ICityYuan
    function isBankReferenceUsed(bytes32 bankRef) external view returns (bool) {
        return _issuedBankRefs[bankRef];
    }

    /// @inheritdoc ICityYuan
    function issuerAllowance(address issuer) external view returns (uint256) {
        return _issuerAllowances[issuer];
    }

    /// @inheritdoc ICityYuan
    /// @dev Counted modulo 2^128 (see the contract's note); `totalIssued - totalRedeemed` is exact.
    function totalIssued() external view returns (uint256) {
        return _supply.issued;
    }

    /// @inheritdoc ICityYuan
    function totalRedeemed() external view returns (uint256) {
        return _supply.redeemed;
    }

    /// @inheritdoc ICityYuan
    function paymentIdOf(address payer, address payee, bytes32 orderRef) external pure returns (bytes32) {
        return PaymentIds.compute(payer, payee, orderRef);
    }

    /// @inheritdoc ICityYuan
    function refundable(bytes32 paymentId) external view returns (uint256) {
        return _refundable[paymentId];
    }

    /// @inheritdoc ICityYuan
    function attestationCount() external view returns (uint256) {
        return _attestationClock.count;
    }
}
