// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// CityYuan freezes: a frozen account can neither send, receive, nor spend an allowance it holds
// on someone else's tokens; issuing to it and redeeming from it revert; its balance survives the
// freeze untouched (the flag shares the balance word).

import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {CityYuanFixture} from "./utils/CityYuanFixture.sol";

contract CityYuanFreezeTest is CityYuanFixture {
    function _expectFrozen(address account) internal {
        vm.expectRevert(abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, account));
    }

    // ───────────────────────────── freeze and unfreeze ─────────────────────────────

    function testFuzz_FreezeKeepsTheBalanceAndUnfreezeRestoresIt(
        address account,
        uint256 balance,
        string memory reason
    ) public {
        _assumeResident(account);
        balance = bound(balance, 0, MAX_AMOUNT - token.totalSupply());
        _unlimitedIssuer();
        if (balance > 0) _fund(account, balance);

        vm.expectEmit(true, true, false, true, address(token));
        emit ICityYuan.AccountFrozen(account, compliance, reason);
        vm.prank(compliance);
        token.freeze(account, reason);
        assertTrue(token.isFrozen(account), "frozen");
        assertEq(token.balanceOf(account), balance, "balance while frozen");
        assertEq(token.totalSupply(), 2 * FUNDING + balance, "supply");

        vm.expectEmit(true, true, false, true, address(token));
        emit ICityYuan.AccountUnfrozen(account, compliance, reason);
        vm.prank(compliance);
        token.unfreeze(account, reason);
        assertFalse(token.isFrozen(account), "unfrozen");
        assertEq(token.balanceOf(account), balance, "balance after");
    }

    function test_RevertWhen_FreezingAFrozenAccount() public {
        _freeze(bob);
        vm.expectRevert(abi.encodeWithSelector(ICityYuan.CityYuanFreezeUnchanged.selector, bob, true));
        vm.prank(compliance);
        token.freeze(bob, "again");
    }

    function testFuzz_RevertWhen_UnfreezingAnAccountThatIsNotFrozen(address account) public {
        vm.expectRevert(abi.encodeWithSelector(ICityYuan.CityYuanFreezeUnchanged.selector, account, false));
        vm.prank(compliance);
        token.unfreeze(account, "nothing to lift");
    }

    function test_UnfrozenAccountMovesAgain() public {
        _freeze(alice);
        vm.prank(compliance);
        token.unfreeze(alice, "court order lifted");
        vm.prank(alice);
        token.transfer(bob, 1);
        assertEq(token.balanceOf(bob), FUNDING + 1, "received");
    }

    // ───────────────────────────── sender, recipient, spender ─────────────────────────────

    function testFuzz_RevertWhen_FrozenSenderTransfers(uint256 amount) public {
        amount = bound(amount, 0, FUNDING);
        _freeze(alice);
        _expectFrozen(alice);
        vm.prank(alice);
        token.transfer(bob, amount);
    }

    function testFuzz_RevertWhen_TransferToFrozenRecipient(uint256 amount) public {
        amount = bound(amount, 0, FUNDING);
        _freeze(bob);
        _expectFrozen(bob);
        vm.prank(alice);
        token.transfer(bob, amount);
    }

    function testFuzz_RevertWhen_FrozenSpenderSpendsAnAllowance(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        vm.prank(alice);
        token.approve(carol, type(uint256).max);
        _freeze(carol);
        // Carol may not move alice's tokens anywhere, not even to an unfrozen account.
        _expectFrozen(carol);
        vm.prank(carol);
        token.transferFrom(alice, bob, amount);
    }

    function testFuzz_RevertWhen_FrozenSpenderSpendsAPermit(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(carol, amount, 0, block.timestamp);
        _freeze(carol);
        token.permit(alice, carol, amount, block.timestamp, v, r, s); // approving moves nothing
        _expectFrozen(carol);
        vm.prank(carol);
        token.transferFrom(alice, bob, amount);
    }

    function testFuzz_RevertWhen_TransferFromAFrozenOwner(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        vm.prank(alice);
        token.approve(carol, amount);
        _freeze(alice);
        _expectFrozen(alice);
        vm.prank(carol);
        token.transferFrom(alice, carol, amount);
    }

    function testFuzz_RevertWhen_TransferFromToAFrozenRecipient(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        vm.prank(alice);
        token.approve(carol, amount);
        _freeze(bob);
        _expectFrozen(bob);
        vm.prank(carol);
        token.transferFrom(alice, bob, amount);
    }

    // ───────────────────────────── issue, redeem, pay, refund ─────────────────────────────

    function testFuzz_RevertWhen_IssueToFrozenAccount(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        _freeze(carol);
        _expectFrozen(carol);
        vm.prank(issuer);
        token.issue(carol, amount, BANK_REF);
    }

    function testFuzz_RevertWhen_FrozenAccountRedeems(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        _freeze(alice);
        _expectFrozen(alice);
        vm.prank(alice);
        token.redeem(amount, BANK_REF);
    }

    function testFuzz_RevertWhen_FrozenPayerPays(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        _freeze(alice);
        _expectFrozen(alice);
        vm.prank(alice);
        token.pay(merchant, amount, ORDER_REF);
    }

    function testFuzz_RevertWhen_PayingAFrozenMerchant(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        _freeze(merchant);
        _expectFrozen(merchant);
        vm.prank(alice);
        token.pay(merchant, amount, ORDER_REF);
    }

    function testFuzz_RevertWhen_RefundToOrFromFrozenAccount(uint256 amount, bool freezePayer) public {
        amount = bound(amount, 1, FUNDING);
        vm.prank(alice);
        token.pay(merchant, amount, ORDER_REF);
        address frozen = freezePayer ? alice : merchant;
        _freeze(frozen);
        _expectFrozen(frozen);
        vm.prank(merchant);
        token.refund(alice, ORDER_REF, amount);
    }

    /// @dev Approvals are not movements: a frozen account may still approve and be approved (as in
    /// OpenZeppelin's ERC20), but nothing moves until the freeze is lifted.
    function test_FrozenAccountMayApproveButNothingMoves() public {
        _freeze(alice);
        vm.prank(alice);
        token.approve(carol, 1);
        assertEq(token.allowance(alice, carol), 1, "allowance");
        _expectFrozen(alice);
        vm.prank(carol);
        token.transferFrom(alice, carol, 1);
    }

    /// @dev Compliance works during a pause: a court order cannot wait for the emergency to end.
    function test_FreezeWhilePaused() public {
        _pause();
        _freeze(alice);
        assertTrue(token.isFrozen(alice), "frozen while paused");
    }
}
