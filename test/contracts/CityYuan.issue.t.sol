// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// CityYuan issuing and redeeming: the issuer's allowance, bank references, supply bookkeeping and
// every revert path with its exact error.

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {CityYuanFixture} from "./utils/CityYuanFixture.sol";

contract CityYuanIssueTest is CityYuanFixture {
    // ───────────────────────────── issue ─────────────────────────────

    function testFuzz_IssueMintsAndSpendsTheIssuerAllowance(address to, uint256 amount, bytes32 bankRef) public {
        vm.assume(to != address(0) && to != address(token) && bankRef != bytes32(0));
        vm.assume(!token.isBankReferenceUsed(bankRef));
        amount = bound(amount, 1, ISSUER_LIMIT);
        uint256 supplyBefore = token.totalSupply();
        uint256 balanceBefore = token.balanceOf(to);

        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Transfer(address(0), to, amount);
        vm.expectEmit(true, true, true, true, address(token));
        emit ICityYuan.Issued(issuer, to, amount, bankRef);
        vm.prank(issuer);
        token.issue(to, amount, bankRef);

        assertEq(token.balanceOf(to), balanceBefore + amount, "balance");
        assertEq(token.totalSupply(), supplyBefore + amount, "supply");
        assertEq(token.totalIssued(), 2 * FUNDING + amount, "issued");
        assertEq(token.issuerAllowance(issuer), ISSUER_LIMIT - 2 * FUNDING - amount, "allowance spent");
        assertTrue(token.isBankReferenceUsed(bankRef), "reference used");
    }

    function testFuzz_IssuingTheWholeAllowanceLeavesNone(uint256 allowance) public {
        allowance = bound(allowance, 1, MAX_AMOUNT - token.totalSupply());
        _setAllowance(issuer, allowance);
        vm.prank(issuer);
        token.issue(carol, allowance, BANK_REF);
        assertEq(token.issuerAllowance(issuer), 0, "allowance left");
        _expectRevertAs(
            issuer,
            abi.encodeWithSelector(ICityYuan.CityYuanIssuerAllowanceExceeded.selector, issuer, 0, 1)
        );
        token.issue(carol, 1, _newBankRef());
    }

    function testFuzz_RevertWhen_IssueExceedsIssuerAllowance(uint256 allowance, uint256 amount) public {
        allowance = bound(allowance, 0, MAX_AMOUNT - 1);
        amount = bound(amount, allowance + 1, type(uint256).max);
        _setAllowance(issuer, allowance);
        _expectRevertAs(
            issuer,
            abi.encodeWithSelector(ICityYuan.CityYuanIssuerAllowanceExceeded.selector, issuer, allowance, amount)
        );
        token.issue(carol, amount, BANK_REF);
    }

    function testFuzz_IssuerAllowancesAreKeptApart(uint256 amount) public {
        amount = bound(amount, 1, ISSUER_LIMIT);
        address secondIssuer = makeAddr("second issuer");
        bytes32 role = token.ISSUER_ROLE();
        vm.prank(admin);
        token.grantRole(role, secondIssuer);
        // The role alone does not allow issuing: the admin has set no allowance yet.
        _expectRevertAs(
            secondIssuer,
            abi.encodeWithSelector(ICityYuan.CityYuanIssuerAllowanceExceeded.selector, secondIssuer, 0, amount)
        );
        token.issue(carol, amount, BANK_REF);
        assertEq(token.issuerAllowance(issuer), ISSUER_LIMIT - 2 * FUNDING, "first issuer untouched");
    }

    function test_RevertWhen_IssueHasNoBankReference() public {
        _expectRevertAs(issuer, ICityYuan.CityYuanMissingReference.selector);
        token.issue(carol, 1, bytes32(0));
    }

    function test_RevertWhen_IssueAmountIsZero() public {
        _expectRevertAs(issuer, ICityYuan.CityYuanZeroAmount.selector);
        token.issue(carol, 0, BANK_REF);
    }

    function test_RevertWhen_IssueToZeroAddress() public {
        _expectRevertAs(issuer, abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        token.issue(address(0), 1, BANK_REF);
    }

    /// @dev The supply is a uint128, which keeps every balance below the frozen bit. Reserves cannot
    /// be attested above it either (below), so the reserve bound refuses first.
    function testFuzz_RevertWhen_IssuePassesTheSupplyCap(uint256 amount) public {
        _unlimitedIssuer();
        uint256 supply = token.totalSupply();
        amount = bound(amount, MAX_AMOUNT - supply + 1, type(uint256).max - supply);
        _expectRevertAs(
            issuer,
            abi.encodeWithSelector(ICityYuan.CityYuanReservesExceeded.selector, MAX_AMOUNT, supply + amount)
        );
        token.issue(carol, amount, BANK_REF);
    }

    function testFuzz_RevertWhen_ReservesAttestedAboveTheSupplyCap(uint256 reserves) public {
        reserves = bound(reserves, MAX_AMOUNT + 1, type(uint256).max);
        _expectRevertAs(
            attester,
            abi.encodeWithSelector(SafeCast.SafeCastOverflowedUintDowncast.selector, 128, reserves)
        );
        token.attestReserves(reserves, keccak256("report"), "ipfs://report");
    }

    function test_IssueUpToTheSupplyCap() public {
        _unlimitedIssuer();
        uint256 rest = MAX_AMOUNT - token.totalSupply();
        vm.prank(issuer);
        token.issue(carol, rest, BANK_REF);
        assertEq(token.totalSupply(), MAX_AMOUNT, "supply at the cap");
        assertEq(token.balanceOf(carol), rest, "balance");
        assertFalse(token.isFrozen(carol), "a big balance is not a frozen flag");
    }

    // ───────────────────────────── redeem ─────────────────────────────

    function testFuzz_RedeemBurnsTheCallersTokens(uint256 amount, bytes32 bankRef) public {
        vm.assume(bankRef != bytes32(0));
        amount = bound(amount, 1, FUNDING);
        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Transfer(alice, address(0), amount);
        vm.expectEmit(true, true, false, true, address(token));
        emit ICityYuan.Redeemed(alice, amount, bankRef);
        vm.prank(alice);
        token.redeem(amount, bankRef);

        assertEq(token.balanceOf(alice), FUNDING - amount, "balance");
        assertEq(token.totalRedeemed(), amount, "redeemed");
        assertEq(token.totalSupply(), 2 * FUNDING - amount, "supply");
        assertEq(token.totalSupply(), token.totalIssued() - token.totalRedeemed(), "supply = issued - redeemed");
    }

    function testFuzz_RevertWhen_RedeemExceedsBalance(uint256 amount) public {
        amount = bound(amount, FUNDING + 1, type(uint256).max);
        _expectRevertAs(alice, _insufficientBalance(alice, FUNDING, amount));
        token.redeem(amount, BANK_REF);
    }

    function test_RevertWhen_RedeemHasNoBankReference() public {
        _expectRevertAs(alice, ICityYuan.CityYuanMissingReference.selector);
        token.redeem(1, bytes32(0));
    }

    function test_RevertWhen_RedeemAmountIsZero() public {
        _expectRevertAs(alice, ICityYuan.CityYuanZeroAmount.selector);
        token.redeem(0, BANK_REF);
    }

    function testFuzz_IssueAndRedeemKeepSupplyEqualToIssuedMinusRedeemed(uint256[4] memory amounts) public {
        for (uint256 i = 0; i < amounts.length; i++) {
            // Two redeems of at most half her funding each: alice always has enough.
            uint256 amount = bound(amounts[i], 1, FUNDING / 2);
            if (i % 2 == 0) {
                _fund(carol, amount);
            } else {
                vm.prank(alice);
                token.redeem(amount, BANK_REF);
            }
            assertEq(token.totalSupply(), token.totalIssued() - token.totalRedeemed(), "supply = issued - redeemed");
            assertEq(
                token.totalSupply(),
                token.balanceOf(alice) + token.balanceOf(bob) + token.balanceOf(carol),
                "supply = sum of balances"
            );
        }
    }
}
