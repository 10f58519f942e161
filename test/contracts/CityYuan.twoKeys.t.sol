// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Issue 21, CityYuan issuing: each attack the review found, named after it, and the rule that now
// stops it (two keys on two addresses, reserves that fall with redemptions, a maximum report age,
// one issue per bank reference), with every new revert path and its exact error.

import {CityYuan} from "../../contracts/CityYuan.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {CityYuanFixture} from "./utils/CityYuanFixture.sol";

contract CityYuanTwoKeysTest is CityYuanFixture {
    uint256 internal constant YUAN = 100;

    // ───────────────────────────── one key mints ─────────────────────────────

    /// @dev The attack: the admin grants itself the issuer and the attester roles, attests a reserve
    /// it invents, raises its allowance and mints 10^30 units in one block. It may still make itself
    /// issuer, but the attester role (and its admin role) is out of its reach, and without a report
    /// it cannot go past the reserves the real attester published.
    function test_AttackAdminGrantsItselfIssuerAndAttesterAndMints() public {
        _attest(token.totalSupply()); // the real attester's latest report: reserves == supply
        uint256 supply = token.totalSupply();
        bytes32 attesterRole = token.ATTESTER_ROLE();
        bytes32 attesterAdminRole = token.ATTESTER_ADMIN_ROLE();
        vm.startPrank(admin);
        token.grantRole(token.ISSUER_ROLE(), admin);
        token.increaseIssuerAllowance(admin, 1e30);
        vm.expectRevert(_missingRole(admin, attesterAdminRole));
        token.grantRole(attesterRole, admin);
        vm.expectRevert(_missingRole(admin, attesterAdminRole));
        token.grantRole(attesterAdminRole, admin);
        vm.expectRevert(_missingRole(admin, attesterRole));
        token.attestReserves(1e30, keccak256("invented report"), "ipfs://invented");
        vm.expectRevert(abi.encodeWithSelector(ICityYuan.CityYuanReservesExceeded.selector, supply, supply + 1e30));
        token.issue(admin, 1e30, BANK_REF);
        vm.stopPrank();
        assertEq(token.totalSupply(), supply, "nothing minted");
        assertFalse(token.hasRole(attesterRole, admin), "admin is no attester");
    }

    /// @dev The same attack with an accomplice address: the admin makes a second key of its own the
    /// attester. Only the attester admin can, and the admin cannot revoke the real attester either.
    function test_AttackAdminAppointsOrRemovesAttestersIsRefused() public {
        address accomplice = makeAddr("accomplice");
        bytes32 attesterRole = token.ATTESTER_ROLE();
        bytes32 attesterAdminRole = token.ATTESTER_ADMIN_ROLE();
        _expectRevertAs(admin, _missingRole(admin, attesterAdminRole));
        token.grantRole(attesterRole, accomplice);
        _expectRevertAs(admin, _missingRole(admin, attesterAdminRole));
        token.revokeRole(attesterRole, attester);
        _expectRevertAs(admin, _missingRole(admin, attesterAdminRole));
        token.grantRole(attesterAdminRole, accomplice);
        assertTrue(token.hasRole(attesterRole, attester), "the real attester stays");
        // The attester admin appoints (and removes) attesters.
        vm.prank(attesterAdmin);
        token.grantRole(attesterRole, accomplice);
        assertTrue(token.hasRole(attesterRole, accomplice), "appointed by the attester admin");
        vm.prank(attesterAdmin);
        token.revokeRole(attesterRole, accomplice);
        assertFalse(token.hasRole(attesterRole, accomplice), "removed by the attester admin");
    }

    // ───────────────────────────── two roles on one address ─────────────────────────────

    function test_RevertWhen_AttesterIsMadeIssuer() public {
        bytes32 issuerRole = token.ISSUER_ROLE();
        _expectRevertAs(admin, _conflict(attester, issuerRole, token.ATTESTER_ROLE()));
        token.grantRole(issuerRole, attester);
        assertFalse(token.hasRole(issuerRole, attester), "not issuer");
    }

    function test_RevertWhen_AttesterAdminIsMadeIssuer() public {
        bytes32 issuerRole = token.ISSUER_ROLE();
        _expectRevertAs(admin, _conflict(attesterAdmin, issuerRole, token.ATTESTER_ADMIN_ROLE()));
        token.grantRole(issuerRole, attesterAdmin);
    }

    function test_RevertWhen_IssuerIsMadeAttester() public {
        bytes32 attesterRole = token.ATTESTER_ROLE();
        _expectRevertAs(attesterAdmin, _conflict(issuer, attesterRole, token.ISSUER_ROLE()));
        token.grantRole(attesterRole, issuer);
        assertFalse(token.hasRole(attesterRole, issuer), "not attester");
    }

    function test_RevertWhen_IssuerIsMadeAttesterAdmin() public {
        bytes32 attesterAdminRole = token.ATTESTER_ADMIN_ROLE();
        _expectRevertAs(attesterAdmin, _conflict(issuer, attesterAdminRole, token.ISSUER_ROLE()));
        token.grantRole(attesterAdminRole, issuer);
    }

    function test_RevertWhen_AdminIsMadeAttesterByTheAttesterAdmin() public {
        bytes32 attesterRole = token.ATTESTER_ROLE();
        bytes32 adminRole = token.DEFAULT_ADMIN_ROLE();
        _expectRevertAs(attesterAdmin, _conflict(admin, attesterRole, adminRole));
        token.grantRole(attesterRole, admin);
        bytes32 attesterAdminRole = token.ATTESTER_ADMIN_ROLE();
        _expectRevertAs(attesterAdmin, _conflict(admin, attesterAdminRole, adminRole));
        token.grantRole(attesterAdminRole, admin);
    }

    /// @dev The admin role moving to an attester would put both sides on one key: accepting the
    /// transfer reverts, and the admin stays where it was.
    function test_RevertWhen_AdminTransferredToAnAttester() public {
        vm.prank(admin);
        token.beginDefaultAdminTransfer(attester);
        vm.warp(block.timestamp + ADMIN_DELAY + 1);
        _expectRevertAs(attester, _conflict(attester, token.DEFAULT_ADMIN_ROLE(), token.ATTESTER_ROLE()));
        token.acceptDefaultAdminTransfer();
        assertEq(token.defaultAdmin(), admin, "admin unchanged");
    }

    function test_RevertWhen_AdminTransferredToTheAttesterAdmin() public {
        vm.prank(admin);
        token.beginDefaultAdminTransfer(attesterAdmin);
        vm.warp(block.timestamp + ADMIN_DELAY + 1);
        _expectRevertAs(
            attesterAdmin,
            _conflict(attesterAdmin, token.DEFAULT_ADMIN_ROLE(), token.ATTESTER_ADMIN_ROLE())
        );
        token.acceptDefaultAdminTransfer();
    }

    /// @dev A role holder who gives up one side may take the other: the rule is about holding both.
    function test_FormerIssuerMayBecomeAttester() public {
        bytes32 issuerRole = token.ISSUER_ROLE();
        bytes32 attesterRole = token.ATTESTER_ROLE();
        vm.prank(issuer);
        token.renounceRole(issuerRole, issuer);
        vm.prank(attesterAdmin);
        token.grantRole(attesterRole, issuer);
        assertTrue(token.hasRole(attesterRole, issuer), "attester now");
    }

    function test_AdminMayHoldTheIssuerRoleAndStillNeedsTheAttester() public {
        vm.startPrank(admin);
        token.grantRole(token.ISSUER_ROLE(), admin);
        token.increaseIssuerAllowance(admin, 100);
        vm.stopPrank();
        vm.warp(block.timestamp + MAX_REPORT_AGE + 1);
        _expectRevertAs(admin, _tooOld(START));
        token.issue(carol, 100, BANK_REF);
        _attest(token.totalSupply() + 100);
        vm.prank(admin);
        token.issue(carol, 100, BANK_REF);
        assertEq(token.balanceOf(carol), 100, "issued with the attester's fresh report");
    }

    // ───────────────────────────── deployment ─────────────────────────────

    function test_RevertWhen_DeployedWithTheAdminAsAttesterAdmin() public {
        vm.expectRevert(_conflict(admin, keccak256("ATTESTER_ADMIN_ROLE"), bytes32(0)));
        new CityYuan(admin, ADMIN_DELAY, admin, attester, MAX_REPORT_AGE);
    }

    function test_RevertWhen_DeployedWithTheAdminAsAttester() public {
        vm.expectRevert(_conflict(admin, keccak256("ATTESTER_ROLE"), bytes32(0)));
        new CityYuan(admin, ADMIN_DELAY, attesterAdmin, admin, MAX_REPORT_AGE);
    }

    function test_RevertWhen_DeployedWithoutAttesterAdmin() public {
        vm.expectRevert(
            abi.encodeWithSelector(ICityYuan.CityYuanMissingRoleHolder.selector, keccak256("ATTESTER_ADMIN_ROLE"))
        );
        new CityYuan(admin, ADMIN_DELAY, address(0), attester, MAX_REPORT_AGE);
    }

    function test_RevertWhen_DeployedWithoutAttester() public {
        vm.expectRevert(
            abi.encodeWithSelector(ICityYuan.CityYuanMissingRoleHolder.selector, keccak256("ATTESTER_ROLE"))
        );
        new CityYuan(admin, ADMIN_DELAY, attesterAdmin, address(0), MAX_REPORT_AGE);
    }

    function testFuzz_RevertWhen_DeployedWithAnInvalidMaxReportAge(uint256 maxAge) public {
        uint256 limit = token.MAX_REPORT_AGE_LIMIT();
        maxAge = maxAge % 2 == 0 ? 0 : bound(maxAge, limit + 1, type(uint256).max);
        vm.expectRevert(abi.encodeWithSelector(ICityYuan.CityYuanInvalidMaxReportAge.selector, maxAge, limit));
        new CityYuan(admin, ADMIN_DELAY, attesterAdmin, attester, maxAge);
    }

    function test_AttesterAdminMayAlsoAttest() public {
        CityYuan fresh = new CityYuan(admin, ADMIN_DELAY, attesterAdmin, attesterAdmin, MAX_REPORT_AGE);
        assertTrue(fresh.hasRole(fresh.ATTESTER_ROLE(), attesterAdmin), "one auditor's office");
    }

    // ───────────────────────────── reserves only go up ─────────────────────────────

    /// @dev The attack: 20,000 yuan attested and issued; residents cash out 15,000 (paid from the
    /// reserve, which now holds 5,000); the issuer re-issues the same 15,000 with no new deposit or
    /// report, for a supply of 20,000 against 5,000 held. Redemptions now lower the reserves.
    function test_AttackReissueAfterRedemptions() public {
        uint256 supply = token.totalSupply();
        _attest(supply + 20_000 * YUAN);
        vm.prank(issuer);
        token.issue(carol, 20_000 * YUAN, BANK_REF);
        assertEq(token.reservesHeadroom(), 0, "fully issued");

        vm.prank(carol);
        token.redeem(15_000 * YUAN, keccak256("CASH-OUT-1"));
        assertEq(token.latestReserves(), supply + 5_000 * YUAN, "paid out of the reserve");
        assertEq(token.reservesHeadroom(), 0, "no headroom after cash-outs");

        _expectRevertAs(
            issuer,
            abi.encodeWithSelector(
                ICityYuan.CityYuanReservesExceeded.selector,
                supply + 5_000 * YUAN,
                supply + 20_000 * YUAN
            )
        );
        token.issue(carol, 15_000 * YUAN, keccak256("NO-NEW-DEPOSIT"));
        assertEq(token.totalSupply(), supply + 5_000 * YUAN, "supply as really held");

        // A new deposit and a new report: issuing goes on.
        _attest(supply + 6_000 * YUAN);
        vm.prank(issuer);
        token.issue(carol, 1_000 * YUAN, keccak256("NEW-DEPOSIT"));
        assertEq(token.totalSupply(), token.latestReserves(), "covered exactly");
    }

    function testFuzz_RedemptionsLowerReservesAndKeepHeadroom(
        uint256 headroom,
        uint256 issued,
        uint256 redeemed
    ) public {
        uint256 supply = token.totalSupply();
        headroom = bound(headroom, 1, ISSUER_LIMIT - supply);
        issued = bound(issued, 1, headroom);
        redeemed = bound(redeemed, 1, FUNDING);
        _attest(supply + headroom);
        vm.prank(issuer);
        token.issue(carol, issued, BANK_REF);
        vm.prank(alice);
        token.redeem(redeemed, keccak256("CASH-OUT"));
        assertEq(token.latestReserves(), supply + headroom - redeemed, "reserves fell by the payout");
        assertEq(token.reservesHeadroom(), headroom - issued, "headroom unchanged by a redemption");
        assertEq(token.totalSupply(), token.totalIssued() - token.totalRedeemed(), "supply = issued - redeemed");
    }

    /// @dev Under an attestation below the supply, redemptions bring the reserves down to 0 at most.
    function test_ReservesNeverFallBelowZero() public {
        _attest(10);
        vm.prank(alice);
        token.redeem(FUNDING, keccak256("CASH-OUT"));
        assertEq(token.latestReserves(), 0, "not below zero");
        assertEq(token.reservesHeadroom(), 0, "no headroom");
    }

    // ───────────────────────────── stale report ─────────────────────────────

    /// @dev The attack: the last report is 400 days old and the issuer still issues against it.
    function test_AttackIssueAgainstAReport400DaysOld() public {
        uint256 attestedAt = token.latestAttestationTime();
        vm.warp(block.timestamp + 400 days);
        _expectRevertAs(issuer, _tooOld(attestedAt));
        token.issue(carol, 1, BANK_REF);
        assertEq(token.balanceOf(carol), 0, "nothing issued");
    }

    function testFuzz_ReportAllowsIssuingForExactlyTheMaximumAge(uint256 age) public {
        age = bound(age, 0, MAX_REPORT_AGE);
        _attest(type(uint128).max);
        uint256 attestedAt = block.timestamp;
        vm.warp(attestedAt + age);
        vm.prank(issuer);
        token.issue(carol, 1, BANK_REF);
        vm.warp(attestedAt + MAX_REPORT_AGE + 1);
        _expectRevertAs(issuer, _tooOld(attestedAt));
        token.issue(carol, 1, _newBankRef());
        // A fresh report lets issuing go on.
        _attest(type(uint128).max);
        vm.prank(issuer);
        token.issue(carol, 1, _newBankRef());
        assertEq(token.balanceOf(carol), 2, "issued before and after");
    }

    /// @dev Redeeming needs no fresh report: residents can always cash out.
    function test_RedeemWorksWithAStaleReport() public {
        vm.warp(block.timestamp + 400 days);
        vm.prank(alice);
        token.redeem(1, keccak256("CASH-OUT"));
        assertEq(token.balanceOf(alice), FUNDING - 1, "cashed out");
    }

    // ───────────────────────────── one issue per bank reference ─────────────────────────────

    /// @dev The attack: two clerks issue the same deposit at once. The second reverts, whatever
    /// the amount, recipient or issuer.
    function test_AttackSecondIssueUnderOneBankReference() public {
        address secondIssuer = makeAddr("second clerk");
        vm.startPrank(admin);
        token.grantRole(token.ISSUER_ROLE(), secondIssuer);
        token.increaseIssuerAllowance(secondIssuer, 1_000 * YUAN);
        vm.stopPrank();
        assertFalse(token.isBankReferenceUsed(BANK_REF), "fresh reference");
        vm.prank(issuer);
        token.issue(carol, 500 * YUAN, BANK_REF);
        assertTrue(token.isBankReferenceUsed(BANK_REF), "used");
        _expectRevertAs(secondIssuer, abi.encodeWithSelector(ICityYuan.CityYuanBankReferenceUsed.selector, BANK_REF));
        token.issue(carol, 500 * YUAN, BANK_REF);
        _expectRevertAs(issuer, abi.encodeWithSelector(ICityYuan.CityYuanBankReferenceUsed.selector, BANK_REF));
        token.issue(bob, 1, BANK_REF);
        assertEq(token.balanceOf(carol), 500 * YUAN, "issued once");
    }

    function testFuzz_RevertWhen_BankReferenceReused(bytes32 bankRef, uint256 first, uint256 second) public {
        vm.assume(bankRef != bytes32(0) && !token.isBankReferenceUsed(bankRef));
        first = bound(first, 1, FUNDING);
        second = bound(second, 1, FUNDING);
        vm.prank(issuer);
        token.issue(carol, first, bankRef);
        _expectRevertAs(issuer, abi.encodeWithSelector(ICityYuan.CityYuanBankReferenceUsed.selector, bankRef));
        token.issue(carol, second, bankRef);
    }

    /// @dev A refused issue (here: over the reserves) does not use up its reference.
    function test_RefusedIssueLeavesTheReferenceFree() public {
        _attest(token.totalSupply());
        _expectRevertAs(
            issuer,
            abi.encodeWithSelector(
                ICityYuan.CityYuanReservesExceeded.selector,
                token.totalSupply(),
                token.totalSupply() + 1
            )
        );
        token.issue(carol, 1, BANK_REF);
        assertFalse(token.isBankReferenceUsed(BANK_REF), "still free");
        _attest(token.totalSupply() + 1);
        vm.prank(issuer);
        token.issue(carol, 1, BANK_REF);
        assertEq(token.balanceOf(carol), 1, "issued under it once reserves allowed");
    }

    /// @dev A cash-out reference is not a deposit reference: redeeming does not use it up.
    function test_RedeemDoesNotUseABankReference() public {
        vm.prank(alice);
        token.redeem(1, BANK_REF);
        assertFalse(token.isBankReferenceUsed(BANK_REF), "not a deposit");
    }

    // ───────────────────────────── helpers ─────────────────────────────

    function _conflict(address account, bytes32 role, bytes32 heldRole) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICityYuan.CityYuanRoleConflict.selector, account, role, heldRole);
    }

    function _tooOld(uint256 attestedAt) internal pure returns (bytes memory) {
        return abi.encodeWithSelector(ICityYuan.CityYuanReserveReportTooOld.selector, attestedAt, MAX_REPORT_AGE);
    }
}
