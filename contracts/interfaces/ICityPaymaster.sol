// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title The city paymaster: the city pays the gas of residents' operations on city contracts
/// @notice Sponsors ERC-4337 operations of city accounts (see ICityAccountFactory) whose every call
/// goes to HCY, the red packets, the vouchers, or the account's own passkey management, within
/// limits the city sets: a number of operations per account and day, a number of new accounts per
/// day, caps on every gas limit and on the fee per gas, and a global budget in the chain's native
/// currency. Everything else is refused during validation with one of the errors below, which the
/// bundler returns to the dApp so it can say why in plain words.
///
/// Days are Hefei days (UTC+8). The operation names its day in `paymasterData` (a `uint32`, days
/// since 1970-01-01 in Hefei) and the paymaster returns that day as the operation's validity
/// window, so the EntryPoint refuses it outside that day; validation itself never reads the clock
/// (ERC-7562 forbids TIMESTAMP there).
interface ICityPaymaster {
    /// @notice The limits the city sets (POLICY_ROLE).
    /// @param operationsPerDay Operations sponsored per account and Hefei day.
    /// @param newAccountsPerDay Operations that deploy a new account sponsored per Hefei day, over
    /// all accounts: this bounds budget draining through many fresh accounts.
    /// @param maxCallGas Cap on `callGasLimit`.
    /// @param maxVerificationGas Cap on `verificationGasLimit` (account creation + passkey check).
    /// @param maxPreVerificationGas Cap on `preVerificationGas`.
    /// @param maxPaymasterGas Cap on `paymasterVerificationGasLimit` and `paymasterPostOpGasLimit`.
    /// @param maxFeePerGas Cap on `maxFeePerGas` (wei), so a bundler cannot be paid a huge tip.
    struct Policy {
        uint32 operationsPerDay;
        uint32 newAccountsPerDay;
        uint32 maxCallGas;
        uint32 maxVerificationGas;
        uint32 maxPreVerificationGas;
        uint32 maxPaymasterGas;
        uint128 maxFeePerGas;
    }

    /// @notice Emitted when the policy changes.
    /// @param policy The new policy.
    event CityPaymasterPolicySet(Policy policy);
    /// @notice Emitted when the treasurer sets the global budget.
    /// @param budget The new budget, in wei of the native currency.
    event CityPaymasterBudgetSet(uint256 budget);
    /// @notice Emitted after a sponsored operation, with what the city paid for it.
    /// @param account The city account whose operation was sponsored.
    /// @param actualGasCost What the operation cost the paymaster's deposit, in wei.
    event CityPaymasterOperationPaid(address indexed account, uint256 actualGasCost);

    /// @notice Thrown when the sender is not a city account.
    /// @param sender The operation's sender.
    error CityPaymasterNotCityAccount(address sender);
    /// @notice Thrown when `paymasterData` does not hold exactly the 4-byte day.
    /// @param paymasterData The paymaster data the operation carried.
    error CityPaymasterInvalidData(bytes paymasterData);
    /// @notice Thrown when the call data is not the account's `execute` in single-batch mode.
    /// @param selector The selector of the call data.
    /// @param mode The ERC-7579 execution mode it names (zero when the call data is too short to hold one).
    error CityPaymasterUnsupportedCall(bytes4 selector, bytes32 mode);
    /// @notice Thrown when a call of the batch goes to a contract the city does not sponsor.
    /// @param target The contract the call goes to.
    error CityPaymasterTargetNotAllowed(address target);
    /// @notice Thrown when a call to the account itself is not passkey management.
    /// @param selector The selector of the call to the account.
    error CityPaymasterSelfCallNotAllowed(bytes4 selector);
    /// @notice Thrown when a call of the batch sends native currency.
    /// @param target Where the call goes.
    /// @param value The native currency it would send, in wei.
    error CityPaymasterValueNotAllowed(address target, uint256 value);
    /// @notice Thrown when a gas limit or the fee per gas is above the policy's cap.
    /// @param field 0 callGasLimit, 1 verificationGasLimit, 2 preVerificationGas,
    /// 3 paymasterVerificationGasLimit, 4 paymasterPostOpGasLimit, 5 maxFeePerGas.
    /// @param value The operation's value for that field.
    /// @param cap The policy's cap for it.
    error CityPaymasterGasLimitTooHigh(uint8 field, uint256 value, uint256 cap);
    /// @notice Thrown when the account used its operations of the day.
    /// @param account The city account.
    /// @param day The Hefei day (days since 1970, Hefei time; see {currentDay}) the operation is for.
    /// @param operationsPerDay The policy's operations per account and day.
    error CityPaymasterDailyQuotaExhausted(address account, uint32 day, uint32 operationsPerDay);
    /// @notice Thrown when the day's number of sponsored new accounts is reached.
    /// @param day The Hefei day (days since 1970, Hefei time; see {currentDay}) the operation is for.
    /// @param newAccountsPerDay The policy's new accounts per day.
    error CityPaymasterNewAccountsExhausted(uint32 day, uint32 newAccountsPerDay);
    /// @notice Thrown when the operation could cost more than the budget left.
    /// @param budget The budget left, in wei.
    /// @param maxCost The most the operation could cost, in wei.
    error CityPaymasterBudgetExhausted(uint256 budget, uint256 maxCost);

    /// @notice Sets the limits (POLICY_ROLE).
    function setPolicy(Policy calldata policy) external;

    /// @notice Sets the global budget: what the paymaster may still spend, in wei (TREASURER_ROLE).
    function setBudget(uint256 budget) external;

    /// @notice Adds native currency to the paymaster's deposit at the EntryPoint (anyone).
    function deposit() external payable;

    /// @notice Withdraws from the deposit (TREASURER_ROLE).
    function withdraw(address payable to, uint256 amount) external;

    /// @notice Stakes at the EntryPoint, which bundlers require of a paymaster that keeps state
    /// (TREASURER_ROLE).
    function addStake(uint32 unstakeDelaySec) external payable;

    /// @notice Starts the unstake delay (TREASURER_ROLE).
    function unlockStake() external;

    /// @notice Withdraws the stake after the delay (TREASURER_ROLE).
    function withdrawStake(address payable to) external;

    /// @notice Stops (PAUSER_ROLE) and resumes (DEFAULT_ADMIN_ROLE) all sponsoring.
    function pause() external;

    /// @notice See {pause}.
    function unpause() external;

    /// @notice The current limits.
    function policy() external view returns (Policy memory);

    /// @notice What the paymaster may still spend, in wei.
    function budget() external view returns (uint256);

    /// @notice The current Hefei day, as `paymasterData` must name it.
    function currentDay() external view returns (uint32);

    /// @notice Operations sponsored for `account` on `day`.
    function operationsOn(address account, uint32 day) external view returns (uint32);

    /// @notice New accounts sponsored on `day`.
    function newAccountsOn(uint32 day) external view returns (uint32);
}
