// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Paymaster} from "@openzeppelin/contracts/account/paymaster/Paymaster.sol";
import {PaymasterSigner} from "@openzeppelin/contracts/account/paymaster/extensions/PaymasterSigner.sol";
import {ERC4337Utils} from "@openzeppelin/contracts/account/utils/ERC4337Utils.sol";
import {ERC7579Utils, Execution} from "@openzeppelin/contracts/account/utils/draft-ERC7579Utils.sol";
import {IERC7821} from "@openzeppelin/contracts/interfaces/draft-IERC7821.sol";
import {IEntryPoint, PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ICityAccount} from "../interfaces/ICityAccount.sol";
import {ICityAccountFactory} from "../interfaces/ICityAccountFactory.sol";
import {ICityPaymaster} from "../interfaces/ICityPaymaster.sol";

/// @title CityPaymaster: the city pays residents' gas for the operations its service signed
/// @notice OpenZeppelin's `PaymasterSigner` with a signer role and a policy; see ICityPaymaster.
///
/// Threat model (each item has a test named after it in test/contracts/accounts/CityPaymaster.t.sol):
/// - **Sponsorship nobody approved.** Every operation needs a signature of a SPONSOR_SIGNER_ROLE
///   holder (the city service) over the EIP-712 `UserOperationRequest`: sender, nonce, initCode,
///   callData, every gas limit and fee, and the window; the domain binds the chain id and this
///   paymaster's address. So a signature cannot be moved to another sender, another operation of
///   the same sender (the nonce), another chain or another paymaster, and is used at most once (the
///   EntryPoint's nonce). A bad signature fails validation (AA34), as ERC-4337 asks.
/// - **Quotas.** Kept by the service per person and day in its database (race-free there), not here:
///   no counter on chain that an alias day, a direct factory call or one person's burst could game.
/// - **The clock.** The window is signed as two `uint48` and checked whole: open-ended
///   (`validUntil` 0), empty, reversed or block-number windows are refused; the EntryPoint enforces
///   it (AA32). Validation never reads the time (ERC-7562) and casts nothing.
/// - **postOp.** There is none (empty context): no reservation to keep, nothing to starve.
/// - **A leaked signer key.** It can only pay for city business: the sender must run the city
///   account's code (code hash), a new account must come from the city factory (`initCode`), the
///   call data must be `execute` in single-batch mode whose every call goes to HCY, the red
///   packets, the vouchers, or the account itself for `addPasskey`/`removePasskey` only, with no
///   native value; every gas limit and `maxFeePerGas` is capped. The admin revokes the key (and
///   grants the next one: several holders may overlap during a rotation); the pauser stops all.
/// - **Gas.** Validation reads two storage words: the policy with the pause flag (one word, see
///   {Settings}) and the signer's role.
/// - **Roles.** DEFAULT_ADMIN_ROLE (delayed transfer) grants roles and unpauses; SPONSOR_SIGNER_ROLE
///   only signs sponsorships (it can call nothing); POLICY_ROLE sets the caps; TREASURER_ROLE moves
///   the deposit and stake; PAUSER_ROLE only stops sponsoring.
/// - **Storage rules.** Validation reads the paymaster's own storage (roles, caps), so under
///   ERC-7562 bundlers require it to be staked at the EntryPoint (see {addStake}).
contract CityPaymaster is ICityPaymaster, PaymasterSigner, AccessControlDefaultAdminRules {
    bytes32 public constant SPONSOR_SIGNER_ROLE = keccak256("SPONSOR_SIGNER_ROLE");
    bytes32 public constant POLICY_ROLE = keccak256("POLICY_ROLE");
    bytes32 public constant TREASURER_ROLE = keccak256("TREASURER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @dev validAfter (6) ‖ validUntil (6) ‖ ECDSA signature (65).
    uint256 private constant PAYMASTER_DATA_LENGTH = 77;
    /// @dev ERC-7821 single batch, revert on failure, no opData: the only mode CityAccount runs.
    bytes32 private constant BATCH_MODE = bytes32(uint256(1) << 248);
    /// @dev OpenZeppelin's PaymasterSigner type (private there), which the city service signs
    /// (core/sponsorship.ts); {sponsorshipHash} still computes it with OpenZeppelin's code.
    bytes32 private constant USER_OPERATION_REQUEST_TYPEHASH = keccak256(
        "UserOperationRequest(address sender,uint256 nonce,bytes initCode,bytes callData,bytes32 accountGasLimits,"
        "uint256 preVerificationGas,bytes32 gasFees,uint256 paymasterVerificationGasLimit,"
        "uint256 paymasterPostOpGasLimit,uint48 validAfter,uint48 validUntil)"
    );

    IEntryPoint private immutable _entryPoint;
    ICityAccountFactory private immutable _factory;
    /// @dev EXTCODEHASH of a city account (the factory's clone code), read once from the factory.
    bytes32 private immutable _accountCodeHash;
    address private immutable _cityYuan;
    address private immutable _redPacket;
    address private immutable _vouchers;
    address private immutable _familyCards;
    address private immutable _delayedTransfers;
    address private immutable _recovery;

    /// @dev The policy and the pause flag in one storage word, so that validation reads both with
    /// one SLOAD (OpenZeppelin's Pausable keeps its flag in a word of its own): the fee cap is
    /// stored in 120 bits ({setPolicy} refuses a larger one; 2^120 wei per gas is far above any fee).
    struct Settings {
        uint32 maxCallGas;
        uint32 maxVerificationGas;
        uint32 maxPreVerificationGas;
        uint32 maxPaymasterGas;
        uint120 maxFeePerGas;
        bool paused;
    }

    Settings private _settings;

    /// @param entryPoint_ The EntryPoint (v0.8 at its canonical address).
    /// @param factory The factory whose accounts are sponsored.
    /// @param targets The city contracts calls may go to.
    /// @param initialPolicy The caps to start with.
    /// @param sponsorSigner The city service's signing key (SPONSOR_SIGNER_ROLE).
    /// @param admin Holds DEFAULT_ADMIN_ROLE.
    /// @param adminTransferDelay Seconds between starting and accepting an admin transfer.
    constructor(
        IEntryPoint entryPoint_,
        ICityAccountFactory factory,
        CityContracts memory targets,
        Policy memory initialPolicy,
        address sponsorSigner,
        address admin,
        uint48 adminTransferDelay
    ) EIP712("Hefei City Paymaster", "1") AccessControlDefaultAdminRules(adminTransferDelay, admin) {
        _entryPoint = entryPoint_;
        _factory = factory;
        _accountCodeHash = factory.accountCodeHash();
        _cityYuan = targets.cityYuan;
        _redPacket = targets.redPacket;
        _vouchers = targets.vouchers;
        _familyCards = targets.familyCards;
        _delayedTransfers = targets.delayedTransfers;
        _recovery = targets.recovery;
        _setPolicy(initialPolicy);
        _grantRole(SPONSOR_SIGNER_ROLE, sponsorSigner);
    }

    // ───────────────────────────── administration ─────────────────────────────

    /// @inheritdoc ICityPaymaster
    function setPolicy(Policy calldata newPolicy) external onlyRole(POLICY_ROLE) {
        _setPolicy(newPolicy);
    }

    /// @inheritdoc ICityPaymaster
    function deposit() external payable {
        _deposit(msg.value);
    }

    /// @inheritdoc ICityPaymaster
    function withdraw(address payable to, uint256 amount) external onlyRole(TREASURER_ROLE) {
        _withdraw(to, amount);
    }

    /// @inheritdoc ICityPaymaster
    function addStake(uint32 unstakeDelaySec) external payable onlyRole(TREASURER_ROLE) {
        _addStake(msg.value, unstakeDelaySec);
    }

    /// @inheritdoc ICityPaymaster
    function unlockStake() external onlyRole(TREASURER_ROLE) {
        _unlockStake();
    }

    /// @inheritdoc ICityPaymaster
    function withdrawStake(address payable to) external onlyRole(TREASURER_ROLE) {
        _withdrawStake(to);
    }

    /// @inheritdoc ICityPaymaster
    function pause() external onlyRole(PAUSER_ROLE) {
        if (_settings.paused) revert EnforcedPause();
        _settings.paused = true;
        emit Paused(msg.sender);
    }

    /// @inheritdoc ICityPaymaster
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (!_settings.paused) revert ExpectedPause();
        _settings.paused = false;
        emit Unpaused(msg.sender);
    }

    // ───────────────────────────── views ─────────────────────────────

    /// @inheritdoc Paymaster
    function entryPoint() public view override returns (IEntryPoint) {
        return _entryPoint;
    }

    /// @inheritdoc ICityPaymaster
    function policy() external view returns (Policy memory) {
        Settings memory settings = _settings;
        return
            Policy(
                settings.maxCallGas,
                settings.maxVerificationGas,
                settings.maxPreVerificationGas,
                settings.maxPaymasterGas,
                settings.maxFeePerGas
            );
    }

    /// @inheritdoc ICityPaymaster
    function paused() external view returns (bool) {
        return _settings.paused;
    }

    /// @inheritdoc ICityPaymaster
    function sponsoredContracts() external view returns (CityContracts memory) {
        return CityContracts(_cityYuan, _redPacket, _vouchers, _familyCards, _delayedTransfers, _recovery);
    }

    /// @inheritdoc ICityPaymaster
    function sponsorshipHash(
        PackedUserOperation calldata userOp,
        uint48 validAfter,
        uint48 validUntil
    ) external view returns (bytes32) {
        return _signableUserOpHash(userOp, validAfter, validUntil);
    }

    // ───────────────────────────── ERC-4337 ─────────────────────────────

    /// @dev Checks, in order: paused, factory, sender, gas, calls, data and window; then the
    /// signature over the same `UserOperationRequest` as PaymasterSigner's (it is what {sponsorshipHash}
    /// returns), computed with fewer reads of calldata. Policy refusals revert with the reason
    /// (the bundler passes it to the dApp); a bad signature returns SIG_VALIDATION_FAILED (AA34), as
    /// ERC-4337 asks. The context is empty, so the EntryPoint calls no postOp.
    function _validatePaymasterUserOp(
        PackedUserOperation calldata userOp,
        bytes32 /* userOpHash */,
        uint256 /* maxCost */
    ) internal override returns (bytes memory context, uint256 validationData) {
        // One storage word: the pause flag and the caps.
        Settings memory settings = _settings;
        if (settings.paused) revert EnforcedPause();
        address sender = userOp.sender;
        _checkFactory(userOp.initCode);
        // The sender's code hash, not a call to the factory: the same test for less gas.
        if (sender.codehash != _accountCodeHash) revert CityPaymasterNotCityAccount(sender);
        // The EntryPoint only calls a paymaster named by at least 52 bytes: address, then the two gas limits.
        bytes calldata paymasterAndData = userOp.paymasterAndData;
        _checkGas(userOp, paymasterAndData, settings);
        _checkCalls(sender, userOp.callData);
        bytes calldata data = paymasterAndData[52:];
        if (data.length != PAYMASTER_DATA_LENGTH) revert CityPaymasterInvalidData(data);
        uint48 validAfter = uint48(bytes6(data[0:6]));
        uint48 validUntil = uint48(bytes6(data[6:12]));
        if (
            validUntil == 0 ||
            validAfter >= validUntil ||
            (validAfter | validUntil) & ERC4337Utils.BLOCK_RANGE_FLAG != 0
        ) revert CityPaymasterInvalidWindow(validAfter, validUntil);
        bool signed = _rawSignatureValidation(_sponsorshipDigest(userOp, validAfter, validUntil), data[12:]);
        return ("", ERC4337Utils.packValidationData(signed, validAfter, validUntil));
    }

    /// @dev A key holding SPONSOR_SIGNER_ROLE signed `hash` (65-byte ECDSA, low s).
    function _rawSignatureValidation(bytes32 hash, bytes calldata signature) internal view override returns (bool) {
        (address recovered, ECDSA.RecoverError error_, ) = ECDSA.tryRecoverCalldata(hash, signature);
        return error_ == ECDSA.RecoverError.NoError && hasRole(SPONSOR_SIGNER_ROLE, recovered);
    }

    // ───────────────────────────── internal ─────────────────────────────

    /// @dev Keeps the pause flag; a fee cap above 120 bits does not fit the storage word.
    function _setPolicy(Policy memory newPolicy) private {
        _cap(5, newPolicy.maxFeePerGas, type(uint120).max);
        _settings = Settings(
            newPolicy.maxCallGas,
            newPolicy.maxVerificationGas,
            newPolicy.maxPreVerificationGas,
            newPolicy.maxPaymasterGas,
            uint120(newPolicy.maxFeePerGas),
            _settings.paused
        );
        emit CityPaymasterPolicySet(newPolicy);
    }

    /// @dev A new account must come from the city factory: another factory could deploy a clone of
    /// the city account's code (same code hash) with whatever it likes in it.
    function _checkFactory(bytes calldata initCode) private view {
        if (initCode.length == 0) return;
        address named = initCode.length >= 20 ? address(bytes20(initCode[:20])) : address(0);
        if (named != address(_factory)) revert CityPaymasterForeignFactory(named);
    }

    /// @dev Every gas limit and the fee per gas within the policy.
    function _checkGas(
        PackedUserOperation calldata userOp,
        bytes calldata paymasterAndData,
        Settings memory limits
    ) private pure {
        uint256 accountGasLimits = uint256(userOp.accountGasLimits);
        _cap(0, uint128(accountGasLimits), limits.maxCallGas);
        _cap(1, accountGasLimits >> 128, limits.maxVerificationGas);
        _cap(2, userOp.preVerificationGas, limits.maxPreVerificationGas);
        _cap(3, uint128(bytes16(paymasterAndData[20:36])), limits.maxPaymasterGas);
        _cap(4, uint128(bytes16(paymasterAndData[36:52])), limits.maxPaymasterGas);
        _cap(5, uint128(uint256(userOp.gasFees)), limits.maxFeePerGas);
    }

    /// @dev PaymasterSigner's `UserOperationRequest` digest ({sponsorshipHash}), with the paymaster's
    /// two gas limits read straight from `paymasterAndData`.
    function _sponsorshipDigest(
        PackedUserOperation calldata userOp,
        uint48 validAfter,
        uint48 validUntil
    ) private view returns (bytes32) {
        bytes calldata paymasterAndData = userOp.paymasterAndData;
        return
            _hashTypedDataV4(
                keccak256(
                    abi.encode(
                        USER_OPERATION_REQUEST_TYPEHASH,
                        userOp.sender,
                        userOp.nonce,
                        keccak256(userOp.initCode),
                        keccak256(userOp.callData),
                        userOp.accountGasLimits,
                        userOp.preVerificationGas,
                        userOp.gasFees,
                        uint128(bytes16(paymasterAndData[20:36])),
                        uint128(bytes16(paymasterAndData[36:52])),
                        validAfter,
                        validUntil
                    )
                )
            );
    }

    function _cap(uint8 field, uint256 value, uint256 cap) private pure {
        if (value > cap) revert CityPaymasterGasLimitTooHigh(field, value, cap);
    }

    /// @dev Reads `execute(bytes32 mode, bytes executionData)` from calldata the way the ABI
    /// decoder of CityAccount does, then the batch with the account's own decoder.
    function _checkCalls(address account, bytes calldata callData) private view {
        bytes4 selector = callData.length >= 4 ? bytes4(callData[:4]) : bytes4(0);
        bytes calldata args = callData.length >= 4 ? callData[4:] : callData[:0];
        bytes32 mode = args.length >= 0x20 ? bytes32(args[:0x20]) : bytes32(0);
        if (selector != IERC7821.execute.selector || mode != BATCH_MODE || args.length < 0x60) {
            revert CityPaymasterUnsupportedCall(selector, mode);
        }
        uint256 offset = uint256(bytes32(args[0x20:0x40]));
        if (offset > args.length - 0x20) revert CityPaymasterUnsupportedCall(selector, mode);
        uint256 length = uint256(bytes32(args[offset:offset + 0x20]));
        if (length > args.length - offset - 0x20) revert CityPaymasterUnsupportedCall(selector, mode);
        Execution[] calldata calls = ERC7579Utils.decodeBatch(args[offset + 0x20:offset + 0x20 + length]);
        for (uint256 i = 0; i < calls.length; ++i) {
            _checkCall(account, calls[i]);
        }
    }

    function _checkCall(address account, Execution calldata call) private view {
        address target = call.target;
        if (call.value != 0) revert CityPaymasterValueNotAllowed(target, call.value);
        if (
            target == _cityYuan ||
            target == _redPacket ||
            target == _vouchers ||
            target == _familyCards ||
            target == _delayedTransfers ||
            target == _recovery
        ) return;
        if (target != account) revert CityPaymasterTargetNotAllowed(target);
        bytes4 selector = call.callData.length >= 4 ? bytes4(call.callData[:4]) : bytes4(0);
        if (selector != ICityAccount.addPasskey.selector && selector != ICityAccount.removePasskey.selector) {
            revert CityPaymasterSelfCallNotAllowed(selector);
        }
    }
}
