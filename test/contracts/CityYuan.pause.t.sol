// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// CityYuan's emergency pause: every movement (transfer, transferFrom, pay, refund, issue, redeem)
// reverts with EnforcedPause; approvals and permits still work (as OpenZeppelin's ERC20Pausable);
// unpausing resumes everything.

import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {CityYuanFixture} from "./utils/CityYuanFixture.sol";

contract CityYuanPauseTest is CityYuanFixture {
    function setUp() public override {
        super.setUp();
        // A payment to refund and an allowance to spend, made before the pause.
        vm.startPrank(alice);
        token.pay(merchant, 100, ORDER_REF);
        token.approve(carol, type(uint256).max);
        vm.stopPrank();
    }

    function test_PauseAndUnpauseEmitAndFlip() public {
        vm.expectEmit(false, false, false, true, address(token));
        emit Pausable.Paused(pauser);
        _pause();
        assertTrue(token.paused(), "paused");
        vm.expectEmit(false, false, false, true, address(token));
        emit Pausable.Unpaused(pauser);
        vm.prank(pauser);
        token.unpause();
        assertFalse(token.paused(), "unpaused");
    }

    function test_RevertWhen_PausingTwice() public {
        _pause();
        _expectRevertAs(pauser, Pausable.EnforcedPause.selector);
        token.pause();
    }

    function test_RevertWhen_UnpausingWhenNotPaused() public {
        _expectRevertAs(pauser, Pausable.ExpectedPause.selector);
        token.unpause();
    }

    function testFuzz_RevertWhen_AnyMovementWhilePaused(uint256 which, uint256 amount) public {
        which = bound(which, 0, 5);
        amount = bound(amount, 1, 100);
        _pause();
        address[6] memory callers = [alice, carol, alice, merchant, issuer, alice];
        _expectRevertAs(callers[which], Pausable.EnforcedPause.selector);
        if (which == 0) {
            token.transfer(bob, amount);
        } else if (which == 1) {
            token.transferFrom(alice, carol, amount);
        } else if (which == 2) {
            token.pay(merchant, amount, ORDER_REF);
        } else if (which == 3) {
            token.refund(alice, ORDER_REF, amount);
        } else if (which == 4) {
            token.issue(alice, amount, BANK_REF);
        } else {
            token.redeem(amount, BANK_REF);
        }
    }

    function test_ApprovalsAndPermitsWorkWhilePaused() public {
        _pause();
        vm.prank(bob);
        token.approve(carol, 5);
        assertEq(token.allowance(bob, carol), 5, "approve");
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(merchant, 7, 0, block.timestamp);
        token.permit(alice, merchant, 7, block.timestamp, v, r, s);
        assertEq(token.allowance(alice, merchant), 7, "permit");
    }

    function testFuzz_UnpauseResumesMovements(uint256 amount) public {
        amount = bound(amount, 1, 100);
        _pause();
        vm.prank(pauser);
        token.unpause();
        vm.prank(alice);
        token.transfer(bob, amount);
        vm.prank(merchant);
        token.refund(alice, ORDER_REF, amount);
        assertEq(token.balanceOf(bob), FUNDING + amount, "transfer after unpause");
        assertEq(token.balanceOf(alice), FUNDING - 100 - amount + amount, "refund after unpause");
    }
}
