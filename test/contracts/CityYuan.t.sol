// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// CityYuan: deployment, metadata, the roles (every privileged function from every wrong role),
// the two-step admin transfer, issuer allowances and reserve attestations. Movements are tested
// by feature in CityYuan.<feature>.t.sol.

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {IAccessControlDefaultAdminRules} from "@openzeppelin/contracts/access/extensions/IAccessControlDefaultAdminRules.sol";
import {CityYuan} from "../../contracts/CityYuan.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {CityYuanFixture} from "./utils/CityYuanFixture.sol";

contract CityYuanTest is CityYuanFixture {
    // ───────────────────────────── deployment and metadata ─────────────────────────────

    function test_Metadata() public view {
        assertTrue(keccak256(bytes(token.name())) == keccak256("Hefei City Yuan"), "name");
        assertTrue(keccak256(bytes(token.symbol())) == keccak256("HCY"), "symbol");
        assertEq(token.decimals(), 2, "decimals");
        assertEq(
            token.DOMAIN_SEPARATOR(),
            _domainSeparator("Hefei City Yuan", "1", block.chainid, address(token)),
            "EIP-712 domain: name Hefei City Yuan, version 1"
        );
    }

    function test_RoleConstants() public view {
        assertEq(token.ISSUER_ROLE(), keccak256("ISSUER_ROLE"), "issuer");
        assertEq(token.COMPLIANCE_ROLE(), keccak256("COMPLIANCE_ROLE"), "compliance");
        assertEq(token.PAUSER_ROLE(), keccak256("PAUSER_ROLE"), "pauser");
        assertEq(token.ATTESTER_ROLE(), keccak256("ATTESTER_ROLE"), "attester");
        assertEq(token.ATTESTER_ADMIN_ROLE(), keccak256("ATTESTER_ADMIN_ROLE"), "attester admin");
    }

    function testFuzz_Constructor(address newAdmin, uint48 delay, uint256 maxAge) public {
        vm.assume(newAdmin != address(0) && newAdmin != attesterAdmin && newAdmin != attester);
        maxAge = bound(maxAge, 1, token.MAX_REPORT_AGE_LIMIT());
        CityYuan fresh = new CityYuan(newAdmin, delay, attesterAdmin, attester, maxAge);
        assertEq(fresh.defaultAdmin(), newAdmin, "admin");
        assertEq(fresh.maxReportAge(), maxAge, "max report age");
        assertTrue(fresh.hasRole(fresh.ATTESTER_ADMIN_ROLE(), attesterAdmin), "attester admin");
        assertTrue(fresh.hasRole(fresh.ATTESTER_ROLE(), attester), "first attester");
        assertEq(fresh.getRoleAdmin(fresh.ATTESTER_ROLE()), fresh.ATTESTER_ADMIN_ROLE(), "attesters' admin");
        assertEq(fresh.getRoleAdmin(fresh.ATTESTER_ADMIN_ROLE()), fresh.ATTESTER_ADMIN_ROLE(), "self-administered");
        assertEq(fresh.getRoleAdmin(fresh.ISSUER_ROLE()), fresh.DEFAULT_ADMIN_ROLE(), "issuers' admin");
        assertFalse(fresh.hasRole(fresh.ATTESTER_ROLE(), newAdmin), "admin is no attester");
        assertEq(fresh.latestAttestationTime(), 0, "no report yet");
        assertEq(fresh.owner(), newAdmin, "ERC-5313 owner");
        assertEq(uint256(fresh.defaultAdminDelay()), delay, "delay");
        assertTrue(fresh.hasRole(fresh.DEFAULT_ADMIN_ROLE(), newAdmin), "admin role");
        assertEq(fresh.totalSupply(), 0, "supply");
        assertEq(fresh.totalIssued(), 0, "issued");
        assertEq(fresh.totalRedeemed(), 0, "redeemed");
        assertEq(fresh.attestationCount(), 0, "attestations");
        assertFalse(fresh.paused(), "paused");
    }

    function test_RevertWhen_ConstructorAdminIsZero() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControlDefaultAdminRules.AccessControlInvalidDefaultAdmin.selector,
                address(0)
            )
        );
        new CityYuan(address(0), ADMIN_DELAY, attesterAdmin, attester, MAX_REPORT_AGE);
    }

    function test_SupportsInterface() public view {
        assertTrue(token.supportsInterface(type(IAccessControl).interfaceId), "IAccessControl");
        assertTrue(
            token.supportsInterface(type(IAccessControlDefaultAdminRules).interfaceId),
            "IAccessControlDefaultAdminRules"
        );
    }

    // ───────────────────────────── every privileged function from every wrong role ─────────────────────────────

    /// @dev Each privileged call with the role it needs.
    function _privilegedCalls() internal view returns (bytes[] memory calls, bytes32[] memory roles) {
        calls = new bytes[](12);
        roles = new bytes32[](12);
        calls[0] = abi.encodeCall(ICityYuan.issue, (bob, 1, BANK_REF));
        roles[0] = token.ISSUER_ROLE();
        calls[1] = abi.encodeCall(ICityYuan.increaseIssuerAllowance, (issuer, 1));
        roles[1] = token.DEFAULT_ADMIN_ROLE();
        calls[2] = abi.encodeCall(ICityYuan.freeze, (bob, "reason"));
        roles[2] = token.COMPLIANCE_ROLE();
        calls[3] = abi.encodeCall(ICityYuan.unfreeze, (bob, "reason"));
        roles[3] = token.COMPLIANCE_ROLE();
        calls[4] = abi.encodeCall(ICityYuan.pause, ());
        roles[4] = token.PAUSER_ROLE();
        calls[5] = abi.encodeCall(ICityYuan.unpause, ());
        roles[5] = token.PAUSER_ROLE();
        calls[6] = abi.encodeCall(ICityYuan.attestReserves, (1, keccak256("report"), "ipfs://report"));
        roles[6] = token.ATTESTER_ROLE();
        calls[7] = abi.encodeCall(IAccessControl.grantRole, (token.ISSUER_ROLE(), carol));
        roles[7] = token.DEFAULT_ADMIN_ROLE();
        calls[8] = abi.encodeCall(IAccessControlDefaultAdminRules.beginDefaultAdminTransfer, (carol));
        roles[8] = token.DEFAULT_ADMIN_ROLE();
        calls[9] = abi.encodeCall(ICityYuan.decreaseIssuerAllowance, (issuer, 1));
        roles[9] = token.DEFAULT_ADMIN_ROLE();
        calls[10] = abi.encodeCall(ICityYuan.setCityEscrow, (carol, true));
        roles[10] = token.DEFAULT_ADMIN_ROLE();
        // Only the attester admin makes attesters: the default admin is refused like anyone else.
        calls[11] = abi.encodeCall(IAccessControl.grantRole, (token.ATTESTER_ROLE(), merchant));
        roles[11] = token.ATTESTER_ADMIN_ROLE();
    }

    function _roleHolders() internal view returns (address[] memory holders) {
        holders = new address[](8);
        holders[0] = admin;
        holders[1] = issuer;
        holders[2] = compliance;
        holders[3] = pauser;
        holders[4] = attester;
        holders[5] = alice;
        holders[6] = merchant;
        holders[7] = attesterAdmin;
    }

    function test_RevertWhen_PrivilegedCallFromEveryWrongRole() public {
        (bytes[] memory calls, bytes32[] memory roles) = _privilegedCalls();
        address[] memory holders = _roleHolders();
        for (uint256 i = 0; i < calls.length; i++) {
            for (uint256 j = 0; j < holders.length; j++) {
                if (token.hasRole(roles[i], holders[j])) continue;
                _expectMissingRoleAs(holders[j], roles[i]);
                (bool ok, ) = address(token).call(calls[i]);
                ok; // expectRevert has checked the revert data
            }
        }
    }

    function testFuzz_RevertWhen_PrivilegedCallFromStranger(address stranger, uint256 which) public {
        _assumeResident(stranger);
        (bytes[] memory calls, bytes32[] memory roles) = _privilegedCalls();
        which = bound(which, 0, calls.length - 1);
        _expectMissingRoleAs(stranger, roles[which]);
        (bool ok, ) = address(token).call(calls[which]);
        ok;
    }

    /// @dev Each role holder can call exactly its own functions: the positive side of the matrix.
    function test_EachRoleCallsItsOwnFunctions() public {
        (bytes[] memory calls, bytes32[] memory roles) = _privilegedCalls();
        // freeze before unfreeze, pause before unpause: the list is in a valid order.
        for (uint256 i = 0; i < calls.length; i++) {
            address holder =
                roles[i] == token.ISSUER_ROLE()
                    ? issuer
                    : roles[i] == token.COMPLIANCE_ROLE()
                        ? compliance
                        : roles[i] == token.PAUSER_ROLE()
                            ? pauser
                            : roles[i] == token.ATTESTER_ROLE()
                                ? attester
                                : roles[i] == token.ATTESTER_ADMIN_ROLE()
                                    ? attesterAdmin
                                    : admin;
            vm.prank(holder);
            (bool ok, ) = address(token).call(calls[i]);
            assertTrue(ok, "role holder call");
        }
    }

    function testFuzz_RevokedRoleLosesAccess(uint256 amount) public {
        amount = bound(amount, 1, ISSUER_LIMIT);
        bytes32 role = token.ISSUER_ROLE();
        vm.prank(admin);
        token.revokeRole(role, issuer);
        _expectMissingRoleAs(issuer, role);
        token.issue(bob, amount, BANK_REF);
    }

    // ───────────────────────────── two-step admin transfer ─────────────────────────────

    function testFuzz_AdminTransferTakesTwoStepsAndTheDelay(address newAdmin, uint256 early) public {
        _assumeResident(newAdmin);
        vm.prank(admin);
        token.beginDefaultAdminTransfer(newAdmin);
        uint48 schedule = uint48(block.timestamp) + ADMIN_DELAY;
        (address pending, uint48 pendingSchedule) = token.pendingDefaultAdmin();
        assertEq(pending, newAdmin, "pending admin");
        assertEq(uint256(pendingSchedule), schedule, "schedule");

        // Before the delay has passed (the schedule itself included), accepting reverts.
        vm.warp(bound(early, block.timestamp, schedule));
        _expectAdminDelayAs(newAdmin, schedule);
        token.acceptDefaultAdminTransfer();

        // Someone else cannot accept, even after the delay.
        vm.warp(uint256(schedule) + 1);
        _expectRevertAs(
            carol,
            abi.encodeWithSelector(IAccessControlDefaultAdminRules.AccessControlInvalidDefaultAdmin.selector, carol)
        );
        token.acceptDefaultAdminTransfer();

        vm.prank(newAdmin);
        token.acceptDefaultAdminTransfer();
        bytes32 adminRole = token.DEFAULT_ADMIN_ROLE();
        assertEq(token.defaultAdmin(), newAdmin, "new admin");
        assertTrue(token.hasRole(adminRole, newAdmin), "new admin role");
        assertFalse(token.hasRole(adminRole, admin), "old admin lost the role");

        // The old admin can no longer set allowances; the new one can.
        _expectMissingRoleAs(admin, adminRole);
        token.increaseIssuerAllowance(issuer, 1);
        uint256 before = token.issuerAllowance(issuer);
        vm.prank(newAdmin);
        token.increaseIssuerAllowance(issuer, 1);
        assertEq(token.issuerAllowance(issuer), before + 1, "allowance raised by the new admin");
    }

    function test_AdminTransferCanBeCancelled() public {
        vm.startPrank(admin);
        token.beginDefaultAdminTransfer(carol);
        token.cancelDefaultAdminTransfer();
        vm.stopPrank();
        vm.warp(block.timestamp + ADMIN_DELAY + 1);
        _expectRevertAs(
            carol,
            abi.encodeWithSelector(IAccessControlDefaultAdminRules.AccessControlInvalidDefaultAdmin.selector, carol)
        );
        token.acceptDefaultAdminTransfer();
        assertEq(token.defaultAdmin(), admin, "admin unchanged");
    }

    function test_RevertWhen_AdminRoleGrantedDirectly() public {
        bytes32 adminRole = token.DEFAULT_ADMIN_ROLE();
        _expectRevertAs(admin, IAccessControlDefaultAdminRules.AccessControlEnforcedDefaultAdminRules.selector);
        token.grantRole(adminRole, carol);
    }

    // ───────────────────────────── issuer allowances ─────────────────────────────

    function testFuzz_IncreaseAndDecreaseIssuerAllowance(uint256 added, uint256 subtracted) public {
        address someIssuer = makeAddr("some issuer");
        added = bound(added, 0, type(uint256).max);
        subtracted = bound(subtracted, 0, added);
        vm.startPrank(admin);
        token.grantRole(token.ISSUER_ROLE(), someIssuer);
        vm.expectEmit(true, false, false, true, address(token));
        emit ICityYuan.IssuerAllowanceSet(someIssuer, added);
        token.increaseIssuerAllowance(someIssuer, added);
        vm.expectEmit(true, false, false, true, address(token));
        emit ICityYuan.IssuerAllowanceSet(someIssuer, added - subtracted);
        token.decreaseIssuerAllowance(someIssuer, subtracted);
        vm.stopPrank();
        assertEq(token.issuerAllowance(someIssuer), added - subtracted, "allowance");
    }

    /// @dev The attack: the admin means to cut the issuer from 1,000 to 300 (by 700). The issuer
    /// sees the cut in the mempool and issues the whole 1,000 first. With a `set` to 300 it could
    /// then issue 300 more (1,300 in all); with a decrease, the cut reverts and nothing is left.
    function test_AttackFrontRunningAnAllowanceCutIssuesNoMoreThanTheOldAllowance() public {
        _setAllowance(issuer, 1_000);
        vm.prank(issuer);
        token.issue(carol, 1_000, BANK_REF); // front-runs the cut
        _expectRevertAs(
            admin,
            abi.encodeWithSelector(ICityYuan.CityYuanIssuerAllowanceBelowZero.selector, issuer, 0, 700)
        );
        token.decreaseIssuerAllowance(issuer, 700);
        _expectRevertAs(
            issuer,
            abi.encodeWithSelector(ICityYuan.CityYuanIssuerAllowanceExceeded.selector, issuer, 0, 1)
        );
        token.issue(carol, 1, _newBankRef());
        assertEq(token.balanceOf(carol), 1_000, "no more than the old allowance");
    }

    function testFuzz_RevertWhen_AllowanceDecreasedBelowZero(uint256 allowance, uint256 subtracted) public {
        allowance = bound(allowance, 0, type(uint256).max - 1);
        subtracted = bound(subtracted, allowance + 1, type(uint256).max);
        _setAllowance(issuer, allowance);
        _expectRevertAs(
            admin,
            abi.encodeWithSelector(ICityYuan.CityYuanIssuerAllowanceBelowZero.selector, issuer, allowance, subtracted)
        );
        token.decreaseIssuerAllowance(issuer, subtracted);
    }

    function test_RevertWhen_AllowanceIncreasedPastTheMaximum() public {
        _setAllowance(issuer, type(uint256).max);
        _expectRevertAs(admin, abi.encodeWithSignature("Panic(uint256)", 0x11));
        token.increaseIssuerAllowance(issuer, 1);
    }

    function test_RevertWhen_AllowanceGivenToAnAccountWithoutTheIssuerRole() public {
        _expectRevertAs(admin, abi.encodeWithSelector(ICityYuan.CityYuanNotIssuer.selector, carol));
        token.increaseIssuerAllowance(carol, 1);
    }

    /// @dev The attack: an issuer whose role was revoked keeps its allowance; granted the role again
    /// (by mistake, or for a new branch) it could issue the old allowance at once.
    function test_AttackRevokedIssuerKeepsNoAllowance() public {
        bytes32 role = token.ISSUER_ROLE();
        uint256 left = token.issuerAllowance(issuer);
        assertGe(left, 1, "issuer has an allowance");
        vm.expectEmit(true, false, false, true, address(token));
        emit ICityYuan.IssuerAllowanceSet(issuer, 0);
        vm.prank(admin);
        token.revokeRole(role, issuer);
        assertEq(token.issuerAllowance(issuer), 0, "revoking zeroes the allowance");
        vm.prank(admin);
        token.grantRole(role, issuer);
        _expectRevertAs(
            issuer,
            abi.encodeWithSelector(ICityYuan.CityYuanIssuerAllowanceExceeded.selector, issuer, 0, 1)
        );
        token.issue(carol, 1, BANK_REF);
    }

    function test_RenouncingTheIssuerRoleZeroesTheAllowance() public {
        bytes32 role = token.ISSUER_ROLE();
        vm.prank(issuer);
        token.renounceRole(role, issuer);
        assertEq(token.issuerAllowance(issuer), 0, "renouncing zeroes the allowance");
    }

    function test_RevokingAnotherRoleKeepsTheAllowance() public {
        uint256 left = token.issuerAllowance(issuer);
        vm.startPrank(admin);
        token.grantRole(token.PAUSER_ROLE(), issuer);
        token.revokeRole(token.PAUSER_ROLE(), issuer);
        vm.stopPrank();
        assertEq(token.issuerAllowance(issuer), left, "allowance kept");
    }

    // ───────────────────────────── reserve attestations ─────────────────────────────

    function testFuzz_AttestReservesNumbersAttestationsFromOne(
        uint256 reserves,
        bytes32 reportHash,
        uint8 count
    ) public {
        vm.assume(reportHash != bytes32(0));
        count = uint8(bound(count, 1, 5));
        reserves = bound(reserves, 0, type(uint128).max);
        token = _deploy(); // a fresh ledger: no attestation yet
        for (uint256 id = 1; id <= count; id++) {
            vm.warp(block.timestamp + id);
            vm.expectEmit(true, true, false, true, address(token));
            emit ICityYuan.ReservesAttested(id, attester, reserves, reportHash, "https://bank.example/reserves.pdf");
            vm.prank(attester);
            token.attestReserves(reserves, reportHash, "https://bank.example/reserves.pdf");
            assertEq(token.attestationCount(), id, "count");
            assertEq(token.latestReserves(), reserves, "latest reserves");
            assertEq(token.latestAttestationTime(), block.timestamp, "published now");
        }
    }

    function test_RevertWhen_AttestationHasNoReportHash() public {
        _expectRevertAs(attester, ICityYuan.CityYuanMissingReference.selector);
        token.attestReserves(1, bytes32(0), "https://bank.example/reserves.pdf");
    }
}
