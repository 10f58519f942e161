// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// CityYuan as an ERC-20: transfer, approve, transferFrom, the address-poisoning guard, and a
// differential fuzz against OpenZeppelin's ERC20 (the benchmark baseline), because CityYuan keeps
// its own balance words and must still behave exactly as OpenZeppelin's token does: same results,
// same revert data, same balances, allowances and supply.

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {BaselinePausable} from "../../contracts/bench/BaselinePausable.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {CityYuanFixture} from "./utils/CityYuanFixture.sol";

contract CityYuanERC20Test is CityYuanFixture {
    // ───────────────────────────── transfer ─────────────────────────────

    function testFuzz_Transfer(address to, uint256 amount) public {
        vm.assume(to != address(0) && to != alice);
        amount = bound(amount, 0, FUNDING);
        uint256 toBefore = token.balanceOf(to);
        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Transfer(alice, to, amount);
        vm.prank(alice);
        assertTrue(token.transfer(to, amount), "returns true");
        assertEq(token.balanceOf(alice), FUNDING - amount, "sender");
        assertEq(token.balanceOf(to), toBefore + amount, "recipient");
        assertEq(token.totalSupply(), 2 * FUNDING, "supply unchanged");
    }

    function testFuzz_TransferToSelfKeepsTheBalance(uint256 amount) public {
        amount = bound(amount, 0, FUNDING);
        vm.prank(alice);
        token.transfer(alice, amount);
        assertEq(token.balanceOf(alice), FUNDING, "balance");
    }

    /// @dev Moving your own tokens by zero stays ERC-20 compliant: no allowance is involved.
    function test_ZeroValueTransferOfOwnTokens() public {
        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Transfer(alice, carol, 0);
        vm.prank(alice);
        token.transfer(carol, 0);
    }

    function testFuzz_RevertWhen_TransferExceedsBalance(uint256 amount) public {
        amount = bound(amount, FUNDING + 1, type(uint256).max);
        _expectRevertAs(alice, _insufficientBalance(alice, FUNDING, amount));
        token.transfer(bob, amount);
    }

    function test_RevertWhen_TransferToZeroAddress() public {
        _expectRevertAs(alice, abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        token.transfer(address(0), 1);
    }

    // ───────────────────────────── approve and transferFrom ─────────────────────────────

    function testFuzz_ApproveAndTransferFrom(address spender, uint256 allowance, uint256 amount) public {
        _assumeResident(spender);
        allowance = bound(allowance, 1, type(uint256).max - 1);
        amount = bound(amount, 1, allowance < FUNDING ? allowance : FUNDING);
        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Approval(alice, spender, allowance);
        vm.prank(alice);
        assertTrue(token.approve(spender, allowance), "approve returns true");
        assertEq(token.allowance(alice, spender), allowance, "allowance");

        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Transfer(alice, carol, amount);
        vm.prank(spender);
        assertTrue(token.transferFrom(alice, carol, amount), "transferFrom returns true");
        assertEq(token.allowance(alice, spender), allowance - amount, "allowance spent");
        assertEq(token.balanceOf(carol), amount, "recipient");
        assertEq(token.balanceOf(alice), FUNDING - amount, "owner");
    }

    function testFuzz_InfiniteAllowanceIsNotSpent(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        vm.prank(alice);
        token.approve(carol, type(uint256).max);
        vm.prank(carol);
        token.transferFrom(alice, carol, amount);
        assertEq(token.allowance(alice, carol), type(uint256).max, "infinite allowance");
    }

    function testFuzz_RevertWhen_TransferFromExceedsAllowance(uint256 allowance, uint256 amount) public {
        allowance = bound(allowance, 0, FUNDING - 1);
        amount = bound(amount, allowance + 1, FUNDING);
        vm.prank(alice);
        token.approve(carol, allowance);
        _expectRevertAs(
            carol,
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, carol, allowance, amount)
        );
        token.transferFrom(alice, bob, amount);
    }

    function test_RevertWhen_ApproveZeroSpender() public {
        _expectRevertAs(alice, abi.encodeWithSelector(IERC20Errors.ERC20InvalidSpender.selector, address(0)));
        token.approve(address(0), 1);
    }

    // ───────────────────────────── address poisoning ─────────────────────────────

    /// @dev Anyone could move zero tokens out of anyone's account (no allowance needed) and plant a
    /// look-alike entry in the victim's history. CityYuan refuses, allowance or not.
    function testFuzz_RevertWhen_ZeroValueTransferFromSomeoneElse(
        address poisoner,
        address lookAlike,
        bool approved
    ) public {
        vm.assume(poisoner != alice);
        if (approved) {
            vm.prank(alice);
            token.approve(poisoner == address(0) ? carol : poisoner, 1);
        }
        _expectRevertAs(
            poisoner,
            abi.encodeWithSelector(ICityYuan.CityYuanZeroValueTransferFrom.selector, poisoner, alice)
        );
        token.transferFrom(alice, lookAlike, 0);
    }

    function test_ZeroValueTransferFromYourself() public {
        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Transfer(alice, carol, 0);
        vm.prank(alice);
        token.transferFrom(alice, carol, 0);
    }

    // ───────────────────────────── differential: same as OpenZeppelin ─────────────────────────────

    /// @dev One step applied to both tokens: what it is and its fuzzed inputs.
    struct Step {
        uint8 kind; // 0 transfer, 1 approve, 2 transferFrom, 3 redeem (burn)
        uint8 from;
        uint8 to;
        uint256 amount;
    }

    function testFuzz_BehavesLikeOpenZeppelinERC20(Step[8] memory steps) public {
        BaselinePausable oz = new BaselinePausable(address(this));
        address[4] memory people = [alice, bob, carol, address(0)];
        oz.mint(alice, FUNDING);
        oz.mint(bob, FUNDING);

        for (uint256 i = 0; i < steps.length; i++) {
            Step memory step = steps[i];
            address from = people[step.from % 3];
            address to = people[step.to % 4];
            uint256 amount = bound(step.amount, 0, 2 * FUNDING);
            bytes memory call;
            uint8 kind = step.kind % 4;
            if (kind == 0) {
                call = abi.encodeCall(IERC20.transfer, (to, amount));
            } else if (kind == 1) {
                call = abi.encodeCall(IERC20.approve, (to, amount));
            } else if (kind == 2) {
                // CityYuan's one deliberate difference: no zero-value moves out of others' accounts.
                if (amount == 0) amount = 1;
                call = abi.encodeCall(IERC20.transferFrom, (people[(uint256(step.from) + 1) % 3], to, amount));
            } else {
                // redeem and burn differ only in what they add: a bank reference and a positive amount.
                if (amount == 0) amount = 1;
                call = abi.encodeCall(ICityYuan.redeem, (amount, BANK_REF));
            }
            bytes memory ozCall = kind == 3 ? abi.encodeCall(BaselinePausable.burn, (amount)) : call;

            vm.prank(from);
            (bool ok, bytes memory result) = address(token).call(call);
            vm.prank(from);
            (bool ozOk, bytes memory ozResult) = address(oz).call(ozCall);
            assertTrue(ok == ozOk, "same outcome");
            assertTrue(keccak256(result) == keccak256(ozResult), "same return or revert data");
        }
        for (uint256 i = 0; i < 3; i++) {
            assertEq(token.balanceOf(people[i]), oz.balanceOf(people[i]), "same balance");
            for (uint256 j = 0; j < 4; j++) {
                assertEq(token.allowance(people[i], people[j]), oz.allowance(people[i], people[j]), "same allowance");
            }
        }
        assertEq(token.totalSupply(), oz.totalSupply(), "same supply");
    }
}
