// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {AccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Paymaster} from "@openzeppelin/contracts/account/paymaster/Paymaster.sol";
import {ERC4337Utils} from "@openzeppelin/contracts/account/utils/ERC4337Utils.sol";
import {ERC7579Utils, Execution} from "@openzeppelin/contracts/account/utils/draft-ERC7579Utils.sol";
import {IERC7821} from "@openzeppelin/contracts/interfaces/draft-IERC7821.sol";
import {IEntryPoint, PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ICityAccount} from "../interfaces/ICityAccount.sol";
import {ICityAccountFactory} from "../interfaces/ICityAccountFactory.sol";
import {ICityPaymaster} from "../interfaces/ICityPaymaster.sol";

/// @title CityPaymaster: the city pays residents' gas for city business, and nothing else
/// @notice OpenZeppelin's `Paymaster` with a policy; see ICityPaymaster for the rules.
///
/// Threat model (each item has a test named after it in test/contracts/CityPaymaster.t.sol):
/// - **Calls to other contracts.** The sender must run the city account's code (checked by code
///   hash, so a look-alike contract with its own `execute` is refused), its call data must be that
///   account's `execute` in single-batch mode, and every call of the batch must go to HCY, the red
///   packets, the vouchers, or the account itself for `addPasskey`/`removePasskey` only (a nested
///   `execute` would escape the list), with no native value. The account decodes the batch with
///   the same library, so both read the same calls.
/// - **Inflated gas limits and fees.** Every gas limit and `maxFeePerGas` is capped, so one
///   operation costs the city at most `maxCost` of a small, known size.
/// - **Replay on another chain.** The user-operation hash the account signs is EIP-712 over the
///   chain id and the EntryPoint, so a signed operation is refused (AA24) on any other chain; the
///   paymaster signs nothing of its own that could be replayed.
/// - **Draining the budget.** Per account and Hefei day at most `operationsPerDay` operations;
///   over all accounts at most `newAccountsPerDay` account creations per day, so fresh accounts
///   cannot multiply the quota without bound; and a global budget in wei that every operation
///   reserves `maxCost` of in validation and gets back the unused part of in `postOp`.
/// - **The clock.** Validation never reads the time (ERC-7562): the day comes in `paymasterData`
///   and goes back as the validity window, which the EntryPoint enforces.
/// - **Roles.** DEFAULT_ADMIN_ROLE (delayed transfer) grants roles and unpauses; POLICY_ROLE sets
///   the limits; TREASURER_ROLE sets the budget and moves the deposit and stake; PAUSER_ROLE only
///   stops sponsoring. Funds at the EntryPoint can only leave through the treasurer.
/// - **Storage rules.** The paymaster keeps state (quotas, budget), so under ERC-7562 bundlers
///   require it to be staked at the EntryPoint (see {addStake}).
contract CityPaymaster is ICityPaymaster, Paymaster, AccessControlDefaultAdminRules, Pausable {
    bytes32 public constant POLICY_ROLE = keccak256("POLICY_ROLE");
    bytes32 public constant TREASURER_ROLE = keccak256("TREASURER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    /// @notice Hefei is 8 hours ahead of UTC: quotas reset at midnight there.
    uint256 public constant DAY_OFFSET = 8 hours;
    /// @dev ERC-7821 single batch, revert on failure, no opData: the only mode CityAccount runs.
    bytes32 private constant BATCH_MODE = bytes32(uint256(1) << 248);

    struct Usage {
        uint32 day;
        uint32 operations;
    }

    IEntryPoint private immutable _entryPoint;
    ICityAccountFactory private immutable _factory;
    address private immutable _cityYuan;
    address private immutable _redPacket;
    address private immutable _vouchers;

    Policy private _policy;
    uint256 private _budget;
    Usage private _newAccounts;
    mapping(address account => Usage) private _usage;

    /// @param entryPoint_ The EntryPoint (v0.8 at its canonical address).
    /// @param factory The factory whose accounts are sponsored.
    /// @param cityYuan,redPacket,vouchers The city contracts calls may go to.
    /// @param initialPolicy The limits to start with.
    /// @param admin Holds DEFAULT_ADMIN_ROLE.
    /// @param adminTransferDelay Seconds between starting and accepting an admin transfer.
    constructor(
        IEntryPoint entryPoint_,
        ICityAccountFactory factory,
        address cityYuan,
        address redPacket,
        address vouchers,
        Policy memory initialPolicy,
        address admin,
        uint48 adminTransferDelay
    ) AccessControlDefaultAdminRules(adminTransferDelay, admin) {
        _entryPoint = entryPoint_;
        _factory = factory;
        _cityYuan = cityYuan;
        _redPacket = redPacket;
        _vouchers = vouchers;
        _setPolicy(initialPolicy);
    }

    // ───────────────────────────── administration ─────────────────────────────

    /// @inheritdoc ICityPaymaster
    function setPolicy(Policy calldata newPolicy) external onlyRole(POLICY_ROLE) {
        _setPolicy(newPolicy);
    }

    /// @inheritdoc ICityPaymaster
    function setBudget(uint256 newBudget) external onlyRole(TREASURER_ROLE) {
        _budget = newBudget;
        emit CityPaymasterBudgetSet(newBudget);
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
        _pause();
    }

    /// @inheritdoc ICityPaymaster
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }

    // ───────────────────────────── views ─────────────────────────────

    /// @inheritdoc Paymaster
    function entryPoint() public view override returns (IEntryPoint) {
        return _entryPoint;
    }

    /// @inheritdoc ICityPaymaster
    function policy() external view returns (Policy memory) {
        return _policy;
    }

    /// @inheritdoc ICityPaymaster
    function budget() external view returns (uint256) {
        return _budget;
    }

    /// @inheritdoc ICityPaymaster
    function currentDay() external view returns (uint32) {
        return uint32((block.timestamp + DAY_OFFSET) / 1 days);
    }

    /// @inheritdoc ICityPaymaster
    function operationsOn(address account, uint32 day) external view returns (uint32) {
        Usage memory usage = _usage[account];
        return usage.day == day ? usage.operations : 0;
    }

    /// @inheritdoc ICityPaymaster
    function newAccountsOn(uint32 day) external view returns (uint32) {
        return _newAccounts.day == day ? _newAccounts.operations : 0;
    }

    // ───────────────────────────── ERC-4337 ─────────────────────────────

    /// @dev Checks, in order: paused, sender, data, gas, calls, quotas, budget. Refusals revert
    /// with the reason (the bundler passes it to the dApp) rather than returning a failed
    /// validation, which would only say "AA34 signature error".
    function _validatePaymasterUserOp(
        PackedUserOperation calldata userOp,
        bytes32 /* userOpHash */,
        uint256 maxCost
    ) internal override returns (bytes memory context, uint256 validationData) {
        _requireNotPaused();
        if (!_factory.isCityAccount(userOp.sender)) revert CityPaymasterNotCityAccount(userOp.sender);
        bytes calldata data = ERC4337Utils.paymasterData(userOp);
        if (data.length != 4) revert CityPaymasterInvalidData(data);
        uint32 day = uint32(bytes4(data));
        Policy memory limits = _policy;
        _checkGas(userOp, limits);
        _checkCalls(userOp.sender, userOp.callData);
        _count(_usage[userOp.sender], day, limits.operationsPerDay, userOp.sender);
        if (userOp.initCode.length > 0) _countNewAccount(day, limits.newAccountsPerDay);
        if (maxCost > _budget) revert CityPaymasterBudgetExhausted(_budget, maxCost);
        _budget -= maxCost;
        uint48 validAfter = uint48(uint256(day) * 1 days - DAY_OFFSET);
        context = abi.encode(userOp.sender, maxCost);
        validationData = ERC4337Utils.packValidationData(true, validAfter, validAfter + 1 days - 1);
    }

    /// @dev Gives back to the budget what the operation did not use of what it reserved.
    function _postOp(
        PostOpMode /* mode */,
        bytes calldata context,
        uint256 actualGasCost,
        uint256 /* actualUserOpFeePerGas */
    ) internal override {
        (address account, uint256 reserved) = abi.decode(context, (address, uint256));
        if (reserved > actualGasCost) _budget += reserved - actualGasCost;
        emit CityPaymasterOperationPaid(account, actualGasCost);
    }

    // ───────────────────────────── internal ─────────────────────────────

    function _setPolicy(Policy memory newPolicy) private {
        _policy = newPolicy;
        emit CityPaymasterPolicySet(newPolicy);
    }

    function _checkGas(PackedUserOperation calldata userOp, Policy memory limits) private pure {
        _cap(0, ERC4337Utils.callGasLimit(userOp), limits.maxCallGas);
        _cap(1, ERC4337Utils.verificationGasLimit(userOp), limits.maxVerificationGas);
        _cap(2, userOp.preVerificationGas, limits.maxPreVerificationGas);
        _cap(3, ERC4337Utils.paymasterVerificationGasLimit(userOp), limits.maxPaymasterGas);
        _cap(4, ERC4337Utils.paymasterPostOpGasLimit(userOp), limits.maxPaymasterGas);
        _cap(5, ERC4337Utils.maxFeePerGas(userOp), limits.maxFeePerGas);
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
        if (target == _cityYuan || target == _redPacket || target == _vouchers) return;
        if (target != account) revert CityPaymasterTargetNotAllowed(target);
        bytes4 selector = call.callData.length >= 4 ? bytes4(call.callData[:4]) : bytes4(0);
        if (selector != ICityAccount.addPasskey.selector && selector != ICityAccount.removePasskey.selector) {
            revert CityPaymasterSelfCallNotAllowed(selector);
        }
    }

    function _count(Usage storage usage, uint32 day, uint32 limit, address account) private {
        uint32 used = usage.day == day ? usage.operations : 0;
        if (used >= limit) revert CityPaymasterDailyQuotaExhausted(account, day, limit);
        usage.day = day;
        usage.operations = used + 1;
    }

    function _countNewAccount(uint32 day, uint32 limit) private {
        uint32 used = _newAccounts.day == day ? _newAccounts.operations : 0;
        if (used >= limit) revert CityPaymasterNewAccountsExhausted(day, limit);
        _newAccounts.day = day;
        _newAccounts.operations = used + 1;
    }
}
