// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// 转账延时到账: a transfer to a person waits 2 or 24 hours; the sender takes it back with one call
// before it is due, anyone releases it after; shops are refused (they are paid at once); freezes of
// either side hold it; every refusal with its exact error.

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {IDelayedTransfers} from "../../contracts/interfaces/IDelayedTransfers.sol";
import {FamilyMoneyFixture} from "./utils/FamilyMoneyFixture.sol";

contract DelayedTransfersTest is FamilyMoneyFixture {
    bytes32 internal constant PERMIT_TYPEHASH = keccak256(
        "Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)"
    );

    uint256 internal constant AMOUNT = 500 * YUAN;

    // ───────────────────────────── send ─────────────────────────────

    function test_SendHoldsMoneyUntilDue() public {
        vm.startPrank(daughter);
        hcy.approve(address(delayed), AMOUNT);
        vm.expectEmit(true, true, true, true, address(delayed));
        emit IDelayedTransfers.TransferDelayed(1, daughter, stranger, AMOUNT, T0 + 2 hours);
        uint256 transferId = delayed.send(stranger, AMOUNT, 2 hours);
        vm.stopPrank();
        assertEq(transferId, 1, "first transfer");
        assertEq(hcy.balanceOf(daughter), 1_000 * YUAN - AMOUNT, "left her balance");
        assertEq(hcy.balanceOf(stranger), 0, "not arrived yet");
        assertEq(hcy.balanceOf(address(delayed)), AMOUNT, "waiting in the escrow");
        assertEq(delayed.totalPending(), AMOUNT, "owed");
        IDelayedTransfers.TransferView memory t = delayed.transfer(transferId);
        assertEq(t.sender, daughter, "sender");
        assertEq(t.receiver, stranger, "receiver");
        assertEq(t.amount, AMOUNT, "amount");
        assertEq(t.releaseAt, T0 + 2 hours, "due in 2 hours");
        assertTrue(t.status == IDelayedTransfers.Status.Pending, "pending");
    }

    function test_LongDelayIs24Hours() public {
        uint256 transferId = _send(daughter, stranger, AMOUNT, 24 hours);
        assertEq(delayed.transfer(transferId).releaseAt, T0 + 24 hours, "due in 24 hours");
    }

    function test_RevertWhen_DelayNotOffered() public {
        uint256[4] memory delays = [uint256(0), 1 hours, 2 hours + 1, 48 hours];
        vm.prank(daughter);
        hcy.approve(address(delayed), AMOUNT);
        for (uint256 i; i < delays.length; ++i) {
            _expectRevertAs(
                daughter,
                abi.encodeWithSelector(IDelayedTransfers.DelayedTransfersInvalidDelay.selector, delays[i])
            );
            delayed.send(stranger, AMOUNT, delays[i]);
        }
    }

    function test_RevertWhen_ZeroOrTooLarge() public {
        _expectRevertAs(daughter, IDelayedTransfers.DelayedTransfersZeroAmount.selector);
        delayed.send(stranger, 0, 2 hours);
        uint256 tooLarge = uint256(type(uint96).max) + 1;
        _expectRevertAs(
            daughter,
            abi.encodeWithSelector(IDelayedTransfers.DelayedTransfersAmountTooLarge.selector, tooLarge)
        );
        delayed.send(stranger, tooLarge, 2 hours);
    }

    function test_RevertWhen_ReceiverInvalid() public {
        address[4] memory invalid = [address(0), daughter, address(delayed), address(hcy)];
        for (uint256 i; i < invalid.length; ++i) {
            _expectRevertAs(
                daughter,
                abi.encodeWithSelector(IDelayedTransfers.DelayedTransfersInvalidReceiver.selector, invalid[i])
            );
            delayed.send(invalid[i], AMOUNT, 2 hours);
        }
    }

    function test_RevertWhen_ReceiverIsShop() public {
        _expectRevertAs(
            daughter,
            abi.encodeWithSelector(IDelayedTransfers.DelayedTransfersReceiverIsShop.selector, grocer)
        );
        delayed.send(grocer, AMOUNT, 2 hours);
        // A deactivated shop takes no city payments; money to it is a transfer like any other.
        registry.deactivate(grocer);
        _send(daughter, grocer, AMOUNT, 2 hours);
    }

    function test_RevertWhen_AllowanceMissing() public {
        _expectRevertAs(
            daughter,
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(delayed), 0, AMOUNT)
        );
        delayed.send(stranger, AMOUNT, 2 hours);
    }

    function test_RevertWhen_SenderOrReceiverFrozenAtSend() public {
        vm.prank(daughter);
        hcy.approve(address(delayed), AMOUNT);
        _freeze(daughter);
        _expectRevertAs(daughter, abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, daughter));
        delayed.send(stranger, AMOUNT, 2 hours);
        _unfreeze(daughter);
        _freeze(stranger);
        _expectRevertAs(daughter, abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, stranger));
        delayed.send(stranger, AMOUNT, 2 hours);
        assertEq(delayed.transferCount(), 0, "nothing sent");
    }

    function test_SendWithPermitInOneTransaction() public {
        (address sender, uint256 senderKey) = (son, sonKey);
        uint256 deadline = T0 + 1 hours;
        bytes32 digest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                hcy.DOMAIN_SEPARATOR(),
                keccak256(abi.encode(PERMIT_TYPEHASH, sender, address(delayed), AMOUNT, 0, deadline))
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(senderKey, digest);
        vm.prank(sender);
        uint256 transferId = delayed.sendWithPermit(stranger, AMOUNT, 2 hours, deadline, v, r, s);
        assertEq(delayed.transfer(transferId).amount, AMOUNT, "sent");
        assertEq(hcy.allowance(sender, address(delayed)), 0, "the permit was exactly the amount");
        // An expired permit, with no allowance to fall back on: the token's own error.
        vm.warp(deadline + 1);
        _expectRevertAs(sender, abi.encodeWithSelector(ERC20Permit.ERC2612ExpiredSignature.selector, deadline));
        delayed.sendWithPermit(stranger, AMOUNT, 2 hours, deadline, v, r, s);
    }

    function test_PausedStopsEverything() public {
        uint256 transferId = _send(daughter, stranger, AMOUNT, 2 hours);
        hcy.pause();
        vm.prank(daughter);
        hcy.approve(address(delayed), AMOUNT);
        _expectRevertAs(daughter, Pausable.EnforcedPause.selector);
        delayed.send(stranger, AMOUNT, 2 hours);
        _expectRevertAs(daughter, Pausable.EnforcedPause.selector);
        delayed.cancel(transferId);
        vm.warp(T0 + 2 hours);
        _expectRevertAs(stranger, Pausable.EnforcedPause.selector);
        delayed.release(transferId);
        hcy.unpause();
        vm.prank(stranger);
        delayed.release(transferId);
        assertEq(hcy.balanceOf(stranger), AMOUNT, "arrives after the unpause");
    }

    // ───────────────────────────── cancel ─────────────────────────────

    function test_SenderTakesItBackWithinDelay() public {
        uint256 transferId = _send(daughter, stranger, AMOUNT, 2 hours);
        vm.warp(T0 + 2 hours - 1);
        vm.expectEmit(true, true, true, true, address(delayed));
        emit IDelayedTransfers.TransferCancelled(transferId, daughter, stranger, AMOUNT);
        vm.prank(daughter);
        delayed.cancel(transferId);
        assertEq(hcy.balanceOf(daughter), 1_000 * YUAN, "all back");
        assertEq(hcy.balanceOf(address(delayed)), 0, "nothing waits");
        assertEq(delayed.totalPending(), 0, "nothing owed");
        assertTrue(delayed.transfer(transferId).status == IDelayedTransfers.Status.Cancelled, "cancelled");
        bytes memory cancelled = abi.encodeWithSelector(
            IDelayedTransfers.DelayedTransfersNotPending.selector,
            transferId,
            IDelayedTransfers.Status.Cancelled
        );
        _expectRevertAs(daughter, cancelled);
        delayed.cancel(transferId);
        vm.warp(T0 + 2 hours);
        _expectRevertAs(stranger, cancelled);
        delayed.release(transferId);
    }

    function test_RevertWhen_SomeoneElseCancels() public {
        uint256 transferId = _send(daughter, stranger, AMOUNT, 2 hours);
        _expectRevertAs(
            stranger,
            abi.encodeWithSelector(IDelayedTransfers.DelayedTransfersNotSender.selector, transferId, stranger)
        );
        delayed.cancel(transferId);
        _expectRevertAs(
            son,
            abi.encodeWithSelector(IDelayedTransfers.DelayedTransfersNotSender.selector, transferId, son)
        );
        delayed.cancel(transferId);
    }

    function test_RevertWhen_CancelOnceDue() public {
        uint256 transferId = _send(daughter, stranger, AMOUNT, 24 hours);
        vm.warp(T0 + 24 hours);
        _expectRevertAs(
            daughter,
            abi.encodeWithSelector(IDelayedTransfers.DelayedTransfersAlreadyDue.selector, transferId, T0 + 24 hours)
        );
        delayed.cancel(transferId);
    }

    function test_RevertWhen_TransferUnknown() public {
        bytes memory unknown = abi.encodeWithSelector(IDelayedTransfers.DelayedTransfersUnknownTransfer.selector, 9);
        _expectRevertAs(daughter, unknown);
        delayed.cancel(9);
        _expectRevertAs(daughter, unknown);
        delayed.release(9);
        vm.expectRevert(unknown);
        delayed.transfer(9);
    }

    // ───────────────────────────── release ─────────────────────────────

    function test_AnyoneReleasesOnceDue() public {
        uint256 transferId = _send(daughter, stranger, AMOUNT, 2 hours);
        vm.warp(T0 + 2 hours);
        vm.expectEmit(true, true, true, true, address(delayed));
        emit IDelayedTransfers.TransferReleased(transferId, daughter, stranger, AMOUNT, son);
        vm.prank(son); // a keeper, neither side
        delayed.release(transferId);
        assertEq(hcy.balanceOf(stranger), AMOUNT, "arrived");
        assertEq(delayed.totalPending(), 0, "nothing owed");
        assertTrue(delayed.transfer(transferId).status == IDelayedTransfers.Status.Released, "released");
        _expectRevertAs(
            stranger,
            abi.encodeWithSelector(
                IDelayedTransfers.DelayedTransfersNotPending.selector,
                transferId,
                IDelayedTransfers.Status.Released
            )
        );
        delayed.release(transferId);
    }

    function test_RevertWhen_ReleasedTooEarly() public {
        uint256 transferId = _send(daughter, stranger, AMOUNT, 2 hours);
        vm.warp(T0 + 2 hours - 1);
        _expectRevertAs(
            stranger,
            abi.encodeWithSelector(IDelayedTransfers.DelayedTransfersNotYetDue.selector, transferId, T0 + 2 hours)
        );
        delayed.release(transferId);
    }

    // ───────────────────────────── freezes in between ─────────────────────────────

    function test_ReceiverFrozenDuringDelayHoldsIt() public {
        uint256 transferId = _send(daughter, stranger, AMOUNT, 2 hours);
        _freeze(stranger);
        vm.warp(T0 + 2 hours);
        _expectRevertAs(stranger, abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, stranger));
        delayed.release(transferId);
        assertEq(delayed.totalPending(), AMOUNT, "still held");
        _unfreeze(stranger);
        delayed.release(transferId);
        assertEq(hcy.balanceOf(stranger), AMOUNT, "arrives after the unfreeze");
    }

    function test_ReceiverFrozenDuringDelayDoesNotStopCancel() public {
        uint256 transferId = _send(daughter, stranger, AMOUNT, 2 hours);
        _freeze(stranger);
        vm.prank(daughter);
        delayed.cancel(transferId);
        assertEq(hcy.balanceOf(daughter), 1_000 * YUAN, "back with the sender");
    }

    function test_SenderFrozenDuringDelayHoldsIt() public {
        uint256 transferId = _send(daughter, stranger, AMOUNT, 2 hours);
        _freeze(daughter);
        _expectRevertAs(daughter, abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, daughter));
        delayed.cancel(transferId);
        vm.warp(T0 + 2 hours);
        _expectRevertAs(stranger, abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, daughter));
        delayed.release(transferId);
        assertEq(hcy.balanceOf(address(delayed)), AMOUNT, "held in the escrow");
        _unfreeze(daughter);
        delayed.release(transferId);
        assertEq(hcy.balanceOf(stranger), AMOUNT, "arrives after the unfreeze");
    }

    function test_SenderUnfrozenWithinDelayCanStillCancel() public {
        uint256 transferId = _send(daughter, stranger, AMOUNT, 24 hours);
        _freeze(daughter);
        vm.warp(T0 + 1 hours);
        _unfreeze(daughter);
        vm.prank(daughter);
        delayed.cancel(transferId);
        assertEq(hcy.balanceOf(daughter), 1_000 * YUAN, "back with the sender");
    }

    function test_EscrowCannotBeFrozen() public {
        vm.expectRevert(abi.encodeWithSelector(ICityYuan.CityYuanEscrowNotFreezable.selector, address(delayed)));
        hcy.freeze(address(delayed), "by mistake");
    }

    // ───────────────────────────── fuzz ─────────────────────────────

    /// @dev Whatever the amount, delay, and moment of cancel or release, the money ends with exactly
    /// one of the two, the escrow keeps nothing, and the total never changes.
    function testFuzz_MoneyEndsWithExactlyOneSide(uint256 amount, bool long, uint256 wait, bool tryCancel) public {
        amount = bound(amount, 1, 1_000 * YUAN);
        uint256 delay = long ? 24 hours : 2 hours;
        uint256 transferId = _send(daughter, stranger, amount, delay);
        wait = bound(wait, 0, 2 * delay);
        vm.warp(T0 + wait);
        bool due = wait >= delay;
        if (tryCancel) {
            vm.prank(daughter);
            try delayed.cancel(transferId) {
                assertFalse(due, "cancelled only before due");
            } catch {
                assertTrue(due, "refused only once due");
            }
        } else {
            try delayed.release(transferId) {
                assertTrue(due, "released only once due");
            } catch {
                assertFalse(due, "refused only before due");
            }
        }
        uint256 pending = delayed.totalPending();
        assertEq(hcy.balanceOf(address(delayed)), pending, "the escrow holds what is pending");
        assertEq(hcy.balanceOf(daughter) + hcy.balanceOf(stranger) + pending, 1_000 * YUAN, "never created or lost");
    }
}
