// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";

/// @title The city paymaster: the city pays the gas of the operations its service signed
/// @notice Sponsors an ERC-4337 operation of a city account (see ICityAccountFactory) only when the
/// city service signed it: `paymasterData` is `validAfter (6 bytes) ‖ validUntil (6 bytes) ‖
/// signature (65 bytes)`, the signature an EIP-712 `UserOperationRequest` (OpenZeppelin's
/// `PaymasterSigner`) over the sender, nonce, initCode, callData, every gas limit and fee and the
/// window, in the domain of this paymaster on this chain, by a holder of SPONSOR_SIGNER_ROLE. Who
/// may be sponsored and how often (per person and day, new accounts per person) is the service's
/// decision, kept in its database; nothing here counts, so there is nothing to game on chain and no
/// postOp. What the chain still enforces, so a leaked signer key can only pay for city business
/// within small limits: the sender runs the city account's code, a new account comes from the city
/// factory, every call goes to a city contract (HCY, the red packets, the vouchers, 亲属卡, delayed
/// transfers, account recovery) or the account's own passkey management, and every gas limit and
/// the fee per gas are capped.
interface ICityPaymaster {
    /// @notice The caps the city sets (POLICY_ROLE).
    /// @param maxCallGas Cap on `callGasLimit`.
    /// @param maxVerificationGas Cap on `verificationGasLimit` (account creation + passkey check).
    /// @param maxPreVerificationGas Cap on `preVerificationGas`.
    /// @param maxPaymasterGas Cap on `paymasterVerificationGasLimit` and `paymasterPostOpGasLimit`.
    /// @param maxFeePerGas Cap on `maxFeePerGas` (wei), so a bundler cannot be paid a huge tip.
    struct Policy {
        uint32 maxCallGas;
        uint32 maxVerificationGas;
        uint32 maxPreVerificationGas;
        uint32 maxPaymasterGas;
        uint128 maxFeePerGas;
    }

    /// @notice The city contracts a sponsored call may go to (fixed at deployment).
    struct CityContracts {
        address cityYuan;
        address redPacket;
        address vouchers;
        address familyCards;
        address delayedTransfers;
        address recovery;
    }

    /// @notice Emitted when the policy changes.
    /// @param policy The new policy.
    event CityPaymasterPolicySet(Policy policy);

    /// @notice Emitted when sponsoring stops (the same event as OpenZeppelin's Pausable).
    /// @param account The pauser.
    event Paused(address account);
    /// @notice Emitted when sponsoring resumes (the same event as OpenZeppelin's Pausable).
    /// @param account The admin who resumed it.
    event Unpaused(address account);

    /// @notice Thrown when sponsoring is paused, and by {pause} when it already is (OpenZeppelin's
    /// Pausable error).
    error EnforcedPause();
    /// @notice Thrown by {unpause} when sponsoring is not paused (OpenZeppelin's Pausable error).
    error ExpectedPause();
    /// @notice Thrown when the sender is not a city account.
    /// @param sender The operation's sender.
    error CityPaymasterNotCityAccount(address sender);
    /// @notice Thrown when the operation's `initCode` does not name the city factory.
    /// @param factory The first 20 bytes of `initCode` (zero when it is shorter).
    error CityPaymasterForeignFactory(address factory);
    /// @notice Thrown when `paymasterData` is not the window and a 65-byte signature (77 bytes).
    /// @param paymasterData The paymaster data the operation carried.
    error CityPaymasterInvalidData(bytes paymasterData);
    /// @notice Thrown when the signed window is open-ended (`validUntil` 0), empty or reversed, or
    /// names blocks instead of seconds: the service always signs a short window of seconds.
    /// @param validAfter The window's start, as signed.
    /// @param validUntil The window's end, as signed.
    error CityPaymasterInvalidWindow(uint48 validAfter, uint48 validUntil);
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
    /// 3 paymasterVerificationGasLimit, 4 paymasterPostOpGasLimit, 5 maxFeePerGas. {setPolicy} also
    /// throws it (field 5, cap 2^120 - 1) for a fee cap too large to store.
    /// @param value The operation's value for that field.
    /// @param cap The policy's cap for it.
    error CityPaymasterGasLimitTooHigh(uint8 field, uint256 value, uint256 cap);

    /// @notice The city contracts a sponsored call may go to.
    function sponsoredContracts() external view returns (CityContracts memory);

    /// @notice Sets the caps (POLICY_ROLE).
    function setPolicy(Policy calldata policy) external;

    /// @notice Adds native currency to the paymaster's deposit at the EntryPoint (anyone).
    function deposit() external payable;

    /// @notice Withdraws from the deposit (TREASURER_ROLE).
    function withdraw(address payable to, uint256 amount) external;

    /// @notice Stakes at the EntryPoint, which bundlers require of a paymaster that reads its own
    /// storage in validation (the signer role, the policy) (TREASURER_ROLE).
    function addStake(uint32 unstakeDelaySec) external payable;

    /// @notice Starts the unstake delay (TREASURER_ROLE).
    function unlockStake() external;

    /// @notice Withdraws the stake after the delay (TREASURER_ROLE).
    function withdrawStake(address payable to) external;

    /// @notice Stops (PAUSER_ROLE) and resumes (DEFAULT_ADMIN_ROLE) all sponsoring.
    function pause() external;

    /// @notice See {pause}.
    function unpause() external;

    /// @notice The current caps.
    function policy() external view returns (Policy memory);

    /// @notice Whether sponsoring is stopped (see {pause}).
    function paused() external view returns (bool);

    /// @notice The EIP-712 digest the service signs for `userOp` and the window (its
    /// `paymasterAndData` is not read): for tests and for an operator checking a signature by hand.
    function sponsorshipHash(
        PackedUserOperation calldata userOp,
        uint48 validAfter,
        uint48 validUntil
    ) external view returns (bytes32);
}
