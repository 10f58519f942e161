// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// CityYuan freezes: a frozen account can neither send, receive, nor spend an allowance it holds
// on someone else's tokens; issuing to it and redeeming from it revert; its balance survives the
// freeze untouched (the flag shares the balance word).

import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {CityYuanFixture} from "./utils/CityYuanFixture.sol";

contract CityYuanFreezeTest is CityYuanFixture {
    /// @dev The next call, made as `caller`, must fail because `frozen` is frozen.
    function _expectFrozenAs(address frozen, address caller) internal {
        _expectRevertAs(caller, abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, frozen));
    }

    /// @dev Freezes `frozen`; the next call, made as `caller`, must fail because of it.
    function _freezeThenExpectFailureAs(address frozen, address caller) internal {
        _freeze(frozen);
        _expectFrozenAs(frozen, caller);
    }

    /// @dev The freeze is as expected and took nothing from the balance.
    function _assertFrozenKeepingTheBalance(address account, bool frozen, uint256 balance) internal view {
        assertTrue(token.isFrozen(account) == frozen, frozen ? "frozen" : "unfrozen");
        assertEq(token.balanceOf(account), balance, "balance kept");
    }

    /// @dev `owner` lets `spender` move `amount` of her tokens.
    function _approve(address owner, address spender, uint256 amount) internal {
        vm.prank(owner);
        token.approve(spender, amount);
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
        _assertFrozenKeepingTheBalance(account, true, balance);
        assertEq(token.totalSupply(), 2 * FUNDING + balance, "supply");

        vm.expectEmit(true, true, false, true, address(token));
        emit ICityYuan.AccountUnfrozen(account, compliance, reason);
        vm.prank(compliance);
        token.unfreeze(account, reason);
        _assertFrozenKeepingTheBalance(account, false, balance);
    }

    function test_RevertWhen_FreezingAFrozenAccount() public {
        _freeze(bob);
        _expectRevertAs(compliance, abi.encodeWithSelector(ICityYuan.CityYuanFreezeUnchanged.selector, bob, true));
        token.freeze(bob, "again");
    }

    function testFuzz_RevertWhen_UnfreezingAnAccountThatIsNotFrozen(address account) public {
        _expectRevertAs(compliance, abi.encodeWithSelector(ICityYuan.CityYuanFreezeUnchanged.selector, account, false));
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
        _freezeThenExpectFailureAs(alice, alice);
        token.transfer(bob, bound(amount, 0, FUNDING));
    }

    function testFuzz_RevertWhen_TransferToFrozenRecipient(uint256 amount) public {
        _freezeThenExpectFailureAs(bob, alice);
        token.transfer(bob, bound(amount, 0, FUNDING));
    }

    function testFuzz_RevertWhen_FrozenSpenderSpendsAnAllowance(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        _approve(alice, carol, type(uint256).max);
        _freeze(carol);
        // Carol may not move alice's tokens anywhere, not even to an unfrozen account.
        _expectFrozenAs(carol, carol);
        token.transferFrom(alice, bob, amount);
    }

    function testFuzz_RevertWhen_FrozenSpenderSpendsAPermit(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(carol, amount, 0, block.timestamp);
        _freeze(carol);
        token.permit(alice, carol, amount, block.timestamp, v, r, s); // approving moves nothing
        _expectFrozenAs(carol, carol);
        token.transferFrom(alice, bob, amount);
    }

    function testFuzz_RevertWhen_TransferFromAFrozenOwner(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        _approve(alice, carol, amount);
        _freezeThenExpectFailureAs(alice, carol);
        token.transferFrom(alice, carol, amount);
    }

    function testFuzz_RevertWhen_TransferFromToAFrozenRecipient(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        _approve(alice, carol, amount);
        _freezeThenExpectFailureAs(bob, carol);
        token.transferFrom(alice, bob, amount);
    }

    // ───────────────────────────── issue, redeem, pay, refund ─────────────────────────────

    function testFuzz_RevertWhen_IssueToFrozenAccount(uint256 amount) public {
        _freezeThenExpectFailureAs(carol, issuer);
        token.issue(carol, bound(amount, 1, FUNDING), BANK_REF);
    }

    function testFuzz_RevertWhen_FrozenAccountRedeems(uint256 amount) public {
        _freezeThenExpectFailureAs(alice, alice);
        token.redeem(bound(amount, 1, FUNDING), BANK_REF);
    }

    function testFuzz_RevertWhen_FrozenPayerPays(uint256 amount) public {
        _freezeThenExpectFailureAs(alice, alice);
        token.pay(merchant, bound(amount, 1, FUNDING), ORDER_REF);
    }

    function testFuzz_RevertWhen_PayingAFrozenMerchant(uint256 amount) public {
        _freezeThenExpectFailureAs(merchant, alice);
        token.pay(merchant, bound(amount, 1, FUNDING), ORDER_REF);
    }

    function testFuzz_RevertWhen_RefundToOrFromFrozenAccount(uint256 amount, bool freezePayer) public {
        amount = bound(amount, 1, FUNDING);
        vm.prank(alice);
        token.pay(merchant, amount, ORDER_REF);
        address frozen = freezePayer ? alice : merchant;
        _freezeThenExpectFailureAs(frozen, merchant);
        token.refund(alice, ORDER_REF, amount);
    }

    /// @dev Approvals are not movements: a frozen account may still approve and be approved (as in
    /// OpenZeppelin's ERC20), but nothing moves until the freeze is lifted.
    function test_FrozenAccountMayApproveButNothingMoves() public {
        _freeze(alice);
        _approve(alice, carol, 1);
        assertEq(token.allowance(alice, carol), 1, "allowance");
        _expectFrozenAs(alice, carol);
        token.transferFrom(alice, carol, 1);
    }

    /// @dev Compliance works during a pause: a court order cannot wait for the emergency to end.
    function test_FreezeWhilePaused() public {
        _pause();
        _freeze(alice);
        assertTrue(token.isFrozen(alice), "frozen while paused");
    }
}
