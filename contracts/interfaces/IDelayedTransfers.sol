// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title 转账延时到账 (delayed transfers): money to a person that arrives after 2 or 24 hours
/// @notice The sender's HCY waits in this escrow for the delay she chose. Until it is due she takes
/// it back with one call ({cancel}); from then on anyone (the receiver, the city's keeper) releases
/// it to the receiver ({release}). Money is always in a balance or in a pending transfer: this
/// contract's HCY is exactly {totalPending} (plus HCY anyone sent it directly, which nobody can move).
/// @dev The rules:
/// - Delays are {SHORT_DELAY} (2 hours) or {LONG_DELAY} (24 hours), as Chinese banks offer.
/// - Registered, active shops are paid at once with CityYuan's `pay`: a delayed transfer to one is
///   refused ({DelayedTransfersReceiverIsShop}), so a shop never waits for its money.
/// - Only the sender cancels, and only before the transfer is due; after that, only a release.
/// - Freezes follow CityYuan's rules: a frozen sender cannot send, a frozen receiver cannot be sent
///   to (both refused at {send}, with `CityYuanAccountFrozen`). If either is frozen during the
///   delay, the money is held: a release reverts with `CityYuanAccountFrozen(sender)` or
///   `(receiver)`, and a cancel with `CityYuanAccountFrozen(sender)`; once the freeze is lifted, the
///   transfer goes on as before (a cancel still only before it is due). While CityYuan is paused
///   every send, cancel and release reverts with `EnforcedPause()`.
/// - Passkey accounts and plain addresses work on every side; built-in wallets send with a permit
///   in the same transaction ({sendWithPermit}).
/// This contract holds money, so it is registered with `CityYuan.setCityEscrow` (compliance cannot
/// freeze every pending transfer at once by freezing it; it freezes a sender or receiver instead).
interface IDelayedTransfers {
    /// @notice Where a transfer is.
    enum Status {
        None,
        Pending,
        Cancelled,
        Released
    }

    /// @notice A transfer as the dApp reads it.
    /// @param sender Who sent it.
    /// @param receiver Who it is for.
    /// @param amount How much, in fen.
    /// @param releaseAt From when it can be released (and no longer cancelled), in Unix seconds.
    /// @param status Where it is.
    struct TransferView {
        address sender;
        address receiver;
        uint256 amount;
        uint256 releaseAt;
        Status status;
    }

    // ───────────────────────────── errors ─────────────────────────────

    /// @notice Thrown when a delay other than 2 or 24 hours is asked for.
    /// @param delay The delay asked for, in seconds.
    error DelayedTransfersInvalidDelay(uint256 delay);
    /// @notice Thrown when a transfer of zero is asked for.
    error DelayedTransfersZeroAmount();
    /// @notice Thrown when a transfer is above what one transfer can hold (2^96 - 1 fen).
    /// @param amount The amount asked for, in fen.
    error DelayedTransfersAmountTooLarge(uint256 amount);
    /// @notice Thrown when the receiver is nobody, the sender herself, this escrow or the token.
    /// @param receiver The receiver asked for.
    error DelayedTransfersInvalidReceiver(address receiver);
    /// @notice Thrown when the receiver is a registered, active shop: shops are paid at once.
    /// @param receiver The shop.
    error DelayedTransfersReceiverIsShop(address receiver);
    /// @notice Thrown when a transfer id was never sent.
    /// @param transferId The unknown id.
    error DelayedTransfersUnknownTransfer(uint256 transferId);
    /// @notice Thrown when a transfer already cancelled or released is cancelled or released.
    /// @param transferId The transfer.
    /// @param status Where it is.
    error DelayedTransfersNotPending(uint256 transferId, Status status);
    /// @notice Thrown when someone other than the sender cancels.
    /// @param transferId The transfer.
    /// @param caller Who called.
    error DelayedTransfersNotSender(uint256 transferId, address caller);
    /// @notice Thrown when the sender cancels once the transfer is due (it can only be released).
    /// @param transferId The transfer.
    /// @param releaseAt When it became due, in Unix seconds.
    error DelayedTransfersAlreadyDue(uint256 transferId, uint256 releaseAt);
    /// @notice Thrown when a transfer is released before it is due.
    /// @param transferId The transfer.
    /// @param releaseAt When it becomes due, in Unix seconds.
    error DelayedTransfersNotYetDue(uint256 transferId, uint256 releaseAt);

    // ───────────────────────────── events ─────────────────────────────

    /// @notice Emitted when `sender` sends `amount` to `receiver`, arriving from `releaseAt` on.
    /// @param transferId The transfer (1, 2, 3, …).
    /// @param sender Who sent it.
    /// @param receiver Who it is for (the dApp shows 到账中 with `releaseAt`).
    /// @param amount How much, in fen.
    /// @param releaseAt From when it can be released, in Unix seconds.
    event TransferDelayed(
        uint256 indexed transferId,
        address indexed sender,
        address indexed receiver,
        uint256 amount,
        uint256 releaseAt
    );
    /// @notice Emitted when the sender takes a pending transfer back within the delay.
    /// @param transferId The transfer.
    /// @param sender Who sent it and got it back.
    /// @param receiver Who it was for.
    /// @param amount How much came back, in fen.
    event TransferCancelled(
        uint256 indexed transferId,
        address indexed sender,
        address indexed receiver,
        uint256 amount
    );
    /// @notice Emitted when a due transfer reaches the receiver.
    /// @param transferId The transfer.
    /// @param sender Who sent it.
    /// @param receiver Who received it.
    /// @param amount How much arrived, in fen.
    /// @param releasedBy Who released it (the receiver, a keeper, anyone).
    event TransferReleased(
        uint256 indexed transferId,
        address indexed sender,
        address indexed receiver,
        uint256 amount,
        address releasedBy
    );

    // ───────────────────────────── writes ─────────────────────────────

    /// @notice Sends `amount` fen of the caller's HCY to `receiver`, arriving after `delay` seconds
    /// (2 or 24 hours). Needs an allowance of at least `amount` to this contract.
    /// @return transferId The new transfer.
    function send(address receiver, uint256 amount, uint256 delay) external returns (uint256 transferId);

    /// @notice As {send}, first using the caller's ERC-2612 permit for exactly `amount`.
    function sendWithPermit(
        address receiver,
        uint256 amount,
        uint256 delay,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 transferId);

    /// @notice The sender takes a pending transfer back before it is due.
    function cancel(uint256 transferId) external;

    /// @notice Anyone releases a due, pending transfer to its receiver.
    function release(uint256 transferId) external;

    // ───────────────────────────── reads ─────────────────────────────

    /// @notice 2 hours, in seconds.
    function SHORT_DELAY() external view returns (uint256);

    /// @notice 24 hours, in seconds.
    function LONG_DELAY() external view returns (uint256);

    /// @notice The token transferred.
    function token() external view returns (address);

    /// @notice The register of shops (which are paid at once, not through this escrow).
    function registry() external view returns (address);

    /// @notice Number of transfers ever sent; ids run from 1 to this.
    function transferCount() external view returns (uint256);

    /// @notice What all pending transfers hold together, in fen: this escrow's HCY owed to people.
    function totalPending() external view returns (uint256);

    /// @notice Transfer `transferId` (reverts for an unknown id).
    function transfer(uint256 transferId) external view returns (TransferView memory);
}
