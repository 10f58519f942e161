// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// 转账延时到账 (delayed transfers): a transfer to a person that waits 2 or 24 hours in this escrow,
// during which the sender takes it back with one call; after it, anyone releases it to the receiver.

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ICityYuan} from "./interfaces/ICityYuan.sol";
import {IDelayedTransfers} from "./interfaces/IDelayedTransfers.sol";
import {IMerchantRegistry} from "./interfaces/IMerchantRegistry.sol";
import {Permits} from "./libraries/Permits.sol";

/// @title Hefei City delayed transfers (转账延时到账)
/// @notice See {IDelayedTransfers}.
/// @dev **Storage and gas.** A transfer is two slots, written once at send (sender, release time,
/// status; receiver, amount); a cancel or release rewrites the first (status) and zeroes nothing,
/// so the record stays readable. `_totalPending` moves with every send, cancel and release: it is
/// what the escrow owes, and what an audit compares with its balance.
///
/// **Money.** Every fen that comes in by {send} is added to one transfer's amount and to
/// `_totalPending`, and leaves exactly once, by {cancel} (to the sender) or {release} (to the
/// receiver), when its status leaves Pending. There is no admin and no other way out.
contract DelayedTransfers is IDelayedTransfers {
    using SafeERC20 for IERC20;

    // ───────────────────────────── constants ─────────────────────────────

    /// @inheritdoc IDelayedTransfers
    uint256 public constant SHORT_DELAY = 2 hours;
    /// @inheritdoc IDelayedTransfers
    uint256 public constant LONG_DELAY = 24 hours;

    // ───────────────────────────── storage ─────────────────────────────

    /// @dev Read by cancel and release, whose status it rewrites.
    struct Head {
        address sender;
        uint48 releaseAt;
        Status status;
    }

    /// @dev Written once at send.
    struct Body {
        address receiver;
        uint96 amount;
    }

    ICityYuan private immutable _token;
    IMerchantRegistry private immutable _registry;
    uint256 private _transferCount;
    uint256 private _totalPending;
    mapping(uint256 transferId => Head) private _heads;
    mapping(uint256 transferId => Body) private _bodies;

    /// @param token_ The city's HCY.
    /// @param registry_ The city's register of shops.
    constructor(ICityYuan token_, IMerchantRegistry registry_) {
        _token = token_;
        _registry = registry_;
    }

    // ───────────────────────────── writes ─────────────────────────────

    /// @inheritdoc IDelayedTransfers
    function send(address receiver, uint256 amount, uint256 delay) external returns (uint256 transferId) {
        transferId = _send(receiver, amount, delay);
    }

    /// @inheritdoc IDelayedTransfers
    function sendWithPermit(
        address receiver,
        uint256 amount,
        uint256 delay,
        uint256 deadline,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external returns (uint256 transferId) {
        Permits.use(IERC20Permit(address(_token)), msg.sender, amount, deadline, v, r, s);
        transferId = _send(receiver, amount, delay);
    }

    /// @inheritdoc IDelayedTransfers
    function cancel(uint256 transferId) external {
        Head memory head = _pending(transferId);
        if (msg.sender != head.sender) revert DelayedTransfersNotSender(transferId, msg.sender);
        if (block.timestamp >= head.releaseAt) revert DelayedTransfersAlreadyDue(transferId, head.releaseAt);
        Body memory body = _bodies[transferId];
        _settle(transferId, Status.Cancelled, body.amount);
        // CityYuan refuses to credit a frozen sender: the money waits here until her unfreeze.
        IERC20(address(_token)).safeTransfer(head.sender, body.amount);
        emit TransferCancelled(transferId, head.sender, body.receiver, body.amount);
    }

    /// @inheritdoc IDelayedTransfers
    function release(uint256 transferId) external {
        Head memory head = _pending(transferId);
        if (block.timestamp < head.releaseAt) revert DelayedTransfersNotYetDue(transferId, head.releaseAt);
        // The money left the sender's balance but is still hers in flight: a frozen sender sends
        // nothing, as CityYuan would refuse her transfer. A frozen receiver is refused by CityYuan.
        if (_token.isFrozen(head.sender)) revert ICityYuan.CityYuanAccountFrozen(head.sender);
        Body memory body = _bodies[transferId];
        _settle(transferId, Status.Released, body.amount);
        IERC20(address(_token)).safeTransfer(body.receiver, body.amount);
        emit TransferReleased(transferId, head.sender, body.receiver, body.amount, msg.sender);
    }

    // ───────────────────────────── reads ─────────────────────────────

    /// @inheritdoc IDelayedTransfers
    function token() external view returns (address) {
        return address(_token);
    }

    /// @inheritdoc IDelayedTransfers
    function registry() external view returns (address) {
        return address(_registry);
    }

    /// @inheritdoc IDelayedTransfers
    function transferCount() external view returns (uint256) {
        return _transferCount;
    }

    /// @inheritdoc IDelayedTransfers
    function totalPending() external view returns (uint256) {
        return _totalPending;
    }

    /// @inheritdoc IDelayedTransfers
    function transfer(uint256 transferId) external view returns (TransferView memory) {
        Head memory head = _heads[transferId];
        if (head.status == Status.None) revert DelayedTransfersUnknownTransfer(transferId);
        Body memory body = _bodies[transferId];
        return
            TransferView({
                sender: head.sender,
                receiver: body.receiver,
                amount: body.amount,
                releaseAt: head.releaseAt,
                status: head.status
            });
    }

    // ───────────────────────────── internal ─────────────────────────────

    function _send(address receiver, uint256 amount, uint256 delay) private returns (uint256 transferId) {
        if (delay != SHORT_DELAY && delay != LONG_DELAY) revert DelayedTransfersInvalidDelay(delay);
        if (amount == 0) revert DelayedTransfersZeroAmount();
        if (amount > type(uint96).max) revert DelayedTransfersAmountTooLarge(amount);
        address sender = msg.sender;
        if (receiver == address(0) || receiver == sender || receiver == address(this) || receiver == address(_token)) {
            revert DelayedTransfersInvalidReceiver(receiver);
        }
        (, bool shop) = _registry.categoryOf(receiver);
        if (shop) revert DelayedTransfersReceiverIsShop(receiver);
        // Refused now rather than held for a day: CityYuan would refuse to credit her anyway.
        if (_token.isFrozen(receiver)) revert ICityYuan.CityYuanAccountFrozen(receiver);
        transferId = ++_transferCount;
        uint256 releaseAt = block.timestamp + delay;
        _heads[transferId] = Head({sender: sender, releaseAt: uint48(releaseAt), status: Status.Pending});
        _bodies[transferId] = Body({receiver: receiver, amount: uint96(amount)});
        _totalPending += amount;
        // A frozen sender is refused here by CityYuan (`CityYuanAccountFrozen(sender)`).
        IERC20(address(_token)).safeTransferFrom(sender, address(this), amount);
        emit TransferDelayed(transferId, sender, receiver, amount, releaseAt);
    }

    /// @dev The head of a transfer that is still pending.
    function _pending(uint256 transferId) private view returns (Head memory head) {
        head = _heads[transferId];
        if (head.status == Status.None) revert DelayedTransfersUnknownTransfer(transferId);
        if (head.status != Status.Pending) revert DelayedTransfersNotPending(transferId, head.status);
    }

    function _settle(uint256 transferId, Status status, uint256 amount) private {
        _heads[transferId].status = status;
        _totalPending -= amount;
    }
}
