// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Issue 11, CityYuan: each attack the review found, named after it, and the rule that now stops it
// (Secure Mint, HCY sent to the token itself, the lifetime counter, city escrows and freezes).

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {CityYuan} from "../../contracts/CityYuan.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {CityYuanFixture} from "./utils/CityYuanFixture.sol";

contract CityYuanIntegrityTest is CityYuanFixture {
    // ───────────────────────────── Secure Mint ─────────────────────────────

    /// @dev The attack: the admin key alone grants itself the issuer role, gives itself an
    /// allowance and mints without limit in one block. The latest attestation bounds it.
    function test_AttackAdminAloneGrantsItselfIssuingAndMintsBeyondReserves() public {
        _attest(token.totalSupply()); // the attester's latest report: reserves == supply
        vm.startPrank(admin);
        token.grantRole(token.ISSUER_ROLE(), admin);
        token.increaseIssuerAllowance(admin, type(uint128).max);
        uint256 supply = token.totalSupply();
        vm.expectRevert(abi.encodeWithSelector(ICityYuan.CityYuanReservesExceeded.selector, supply, supply + 1));
        token.issue(admin, 1, BANK_REF);
        vm.stopPrank();
        assertEq(token.totalSupply(), supply, "nothing minted");
    }

    function test_RevertWhen_IssueBeforeAnyAttestation() public {
        CityYuan fresh = _deploy();
        vm.startPrank(admin);
        fresh.grantRole(fresh.ISSUER_ROLE(), issuer);
        fresh.increaseIssuerAllowance(issuer, 100);
        vm.stopPrank();
        assertEq(fresh.latestReserves(), 0, "no reserves yet");
        assertEq(fresh.latestAttestationTime(), 0, "no report yet");
        _expectRevertAs(
            issuer,
            abi.encodeWithSelector(ICityYuan.CityYuanReserveReportTooOld.selector, 0, MAX_REPORT_AGE)
        );
        fresh.issue(carol, 100, BANK_REF);
    }

    function testFuzz_IssueUpToTheAttestedReservesAndNoFurther(uint256 headroom, uint256 amount) public {
        uint256 supply = token.totalSupply();
        headroom = bound(headroom, 1, ISSUER_LIMIT - supply);
        _attest(supply + headroom);
        amount = bound(amount, 1, headroom);
        vm.prank(issuer);
        token.issue(carol, amount, BANK_REF);
        assertLe(token.totalSupply(), token.latestReserves(), "supply covered");
        assertEq(token.reservesHeadroom(), headroom - amount, "headroom left");

        uint256 over = supply + headroom - token.totalSupply() + 1;
        _expectRevertAs(
            issuer,
            abi.encodeWithSelector(
                ICityYuan.CityYuanReservesExceeded.selector,
                supply + headroom,
                token.totalSupply() + over
            )
        );
        token.issue(carol, over, _newBankRef());
    }

    /// @dev Attesting less than the supply is what an auditor must be able to publish: it is
    /// accepted, and issuing stops until reserves cover the supply again. Redeeming still works.
    function testFuzz_AttestingBelowTheSupplyIsAllowedAndStopsIssuing(uint256 reserves) public {
        uint256 supply = token.totalSupply();
        reserves = bound(reserves, 0, supply - 1);
        _attest(reserves);
        assertEq(token.latestReserves(), reserves, "recorded");
        _expectRevertAs(
            issuer,
            abi.encodeWithSelector(ICityYuan.CityYuanReservesExceeded.selector, reserves, supply + 1)
        );
        token.issue(carol, 1, BANK_REF);
        assertEq(token.reservesHeadroom(), 0, "no headroom below the supply");
        vm.prank(alice);
        token.redeem(1, BANK_REF);
        assertEq(token.totalSupply(), supply - 1, "cash-outs go on");
        assertEq(token.latestReserves(), reserves == 0 ? 0 : reserves - 1, "paid out of the reserve");
        _attest(supply);
        vm.prank(issuer);
        token.issue(carol, 1, BANK_REF);
        assertEq(token.totalSupply(), supply, "issuing again once covered");
    }

    // ───────────────────────────── HCY sent to the token itself ─────────────────────────────

    /// @dev The attack (a mistake, mostly): paste the token's own address as recipient. Before, the
    /// HCY was accepted and stuck forever; now every path refuses it.
    function test_AttackSendingHcyToTheTokenContractIsRefused() public {
        address self = address(token);
        bytes memory refused = abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, self);

        _expectRevertAs(alice, refused);
        token.transfer(self, 1);

        vm.prank(alice);
        token.approve(bob, 1);
        _expectRevertAs(bob, refused);
        token.transferFrom(alice, self, 1);

        _expectRevertAs(alice, refused);
        token.pay(self, 1, ORDER_REF);

        _expectRevertAs(issuer, refused);
        token.issue(self, 1, BANK_REF);

        assertEq(token.balanceOf(self), 0, "nothing stuck in the token");
    }

    // ───────────────────────────── the lifetime counters ─────────────────────────────

    /// @dev The attack: keys that can issue and redeem run the uint128 `issued` counter up to its
    /// end in a loop (each round within reserves), and issuing stops forever while the supply is
    /// small. The counters now count modulo 2^128 and only the supply is capped.
    function test_AttackIssueRedeemLoopToTheCounterLimitDoesNotStopIssuing() public {
        bytes32 slot = _supplySlot();
        uint256 supply = token.totalSupply();
        // As if 2^128 - 10 fen had been issued and redeemed in loops: same supply, counters at the end.
        uint128 issued = type(uint128).max - 9;
        uint128 redeemed = issued - uint128(supply);
        vm.store(address(token), slot, bytes32((uint256(redeemed) << 128) | issued));
        assertEq(token.totalSupply(), supply, "same supply");
        _attest(type(uint128).max); // a report after the loops (the reserves count redemptions since)

        vm.prank(issuer);
        token.issue(carol, 100, BANK_REF); // passes 2^128 in the lifetime counter
        assertEq(token.totalSupply(), supply + 100, "supply exact after the counter wrapped");
        assertEq(token.balanceOf(carol), 100, "carol got it");
        vm.prank(carol);
        token.redeem(40, BANK_REF);
        assertEq(token.totalSupply(), supply + 60, "supply exact after redeeming");
        unchecked {
            assertEq(
                uint128(token.totalIssued()) - uint128(token.totalRedeemed()),
                supply + 60,
                "issued - redeemed modulo 2^128"
            );
        }
    }

    function test_RevertWhen_SupplyWouldPassTheCapAfterTheCounterWrapped() public {
        bytes32 slot = _supplySlot();
        uint256 supply = token.totalSupply();
        uint128 issued = 5; // wrapped
        uint128 redeemed;
        unchecked {
            redeemed = issued - uint128(supply); // wraps too: the supply is unchanged
        }
        vm.store(address(token), slot, bytes32((uint256(redeemed) << 128) | issued));
        _attest(type(uint128).max);
        _unlimitedIssuer();
        uint256 amount = MAX_AMOUNT - supply + 1;
        // Reserves cannot be attested above the cap, so the reserve bound stops it first.
        _expectRevertAs(
            issuer,
            abi.encodeWithSelector(ICityYuan.CityYuanReservesExceeded.selector, MAX_AMOUNT, MAX_AMOUNT + 1)
        );
        token.issue(carol, amount, BANK_REF);
        assertEq(token.totalSupply(), supply, "nothing issued");
    }

    /// @dev The supply slot, found by its known contents instead of hard-coding the inherited layout.
    function _supplySlot() internal view returns (bytes32) {
        uint256 expected = (token.totalRedeemed() << 128) | token.totalIssued();
        for (uint256 i; i < 64; ++i) {
            if (uint256(vm.load(address(token), bytes32(i))) == expected) return bytes32(i);
        }
        revert("supply slot not found");
    }

    // ───────────────────────────── city escrows ─────────────────────────────

    /// @dev The attack (a mistake at the compliance desk): freezing an escrow contract stops every
    /// resident's packets or vouchers at once. A registered city escrow cannot be frozen.
    function test_AttackComplianceFreezesACityEscrowByMistake() public {
        address escrow = makeAddr("red packet escrow");
        vm.expectEmit(true, false, false, true, address(token));
        emit ICityYuan.CityEscrowSet(escrow, true);
        vm.prank(admin);
        token.setCityEscrow(escrow, true);
        assertTrue(token.isCityEscrow(escrow), "registered");

        _expectRevertAs(compliance, abi.encodeWithSelector(ICityYuan.CityYuanEscrowNotFreezable.selector, escrow));
        token.freeze(escrow, "wrong line of the court order");
        assertFalse(token.isFrozen(escrow), "still moving");
    }

    function test_UnregisteredEscrowCanBeFrozenOnPurpose() public {
        address escrow = makeAddr("retired escrow");
        vm.startPrank(admin);
        token.setCityEscrow(escrow, true);
        vm.expectEmit(true, false, false, true, address(token));
        emit ICityYuan.CityEscrowSet(escrow, false);
        token.setCityEscrow(escrow, false);
        vm.stopPrank();
        assertFalse(token.isCityEscrow(escrow), "unregistered");
        _freeze(escrow);
        assertTrue(token.isFrozen(escrow), "frozen once the admin unregistered it");
    }

    function test_RevertWhen_NonEscrowRecordsAnEscrowPayment() public {
        // Anyone could otherwise make any payee's money "refundable" to themselves... only the payee
        // can refund, but the record must still come from a city escrow.
        _expectRevertAs(bob, abi.encodeWithSelector(ICityYuan.CityYuanNotCityEscrow.selector, bob));
        token.recordEscrowPayment(bob, merchant, ORDER_REF, 100);
    }

    function testFuzz_EscrowPaymentIsRefundableOnceByThePayee(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        address escrow = makeAddr("voucher escrow");
        vm.prank(admin);
        token.setCityEscrow(escrow, true);
        vm.prank(alice);
        token.transfer(merchant, amount); // the escrow moved the resident's part
        vm.prank(escrow);
        bytes32 id = token.recordEscrowPayment(alice, merchant, ORDER_REF, amount);
        assertEq(id, token.paymentIdOf(alice, merchant, ORDER_REF), "same id as pay");
        assertEq(token.refundable(id), amount, "refundable");

        _expectRevertAs(
            merchant,
            abi.encodeWithSelector(ICityYuan.CityYuanRefundExceedsPayment.selector, id, amount, amount + 1)
        );
        token.refund(alice, ORDER_REF, amount + 1);
        vm.prank(merchant);
        token.refund(alice, ORDER_REF, amount);
        assertEq(token.balanceOf(alice), FUNDING, "resident whole again");
        assertEq(token.refundable(id), 0, "nothing left");
    }

    function test_FrozenHelpersKeepTheBalance() public {
        _freeze(alice);
        assertTrue(token.isFrozen(alice), "frozen");
        assertEq(token.balanceOf(alice), FUNDING, "balance kept");
        vm.prank(compliance);
        token.unfreeze(alice, "lifted");
        assertFalse(token.isFrozen(alice), "unfrozen");
        assertEq(token.balanceOf(alice), FUNDING, "balance kept");
    }
}
