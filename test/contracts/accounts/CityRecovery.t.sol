// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {CityAccount} from "../../../contracts/accounts/CityAccount.sol";
import {CityRecovery} from "../../../contracts/accounts/CityRecovery.sol";
import {ICityAccount} from "../../../contracts/interfaces/ICityAccount.sol";
import {ICityRecovery} from "../../../contracts/interfaces/ICityRecovery.sol";
import {CityRecoveryFixture} from "./CityRecoveryFixture.sol";

/// @notice Account recovery: 王阿姨 loses her phone; her guardians (family 2 of 3, the city desk
/// alone, or both) give her account her new phone's passkey after the delay; her old device can
/// cancel; guardians can do nothing else to her account.
///
/// Tests marked `isolate` run every top-level call as its own transaction, as a chain does (the
/// account validates one operation per transaction).
contract CityRecoveryTest is CityRecoveryFixture {
    // ───────────────────────────── guardian sets ─────────────────────────────

    /// @dev Her son approves from his passkey account with his own fingerprint.
    /// hardhat-config: isolate = true
    function test_FamilyTwoOfThreeRecoversAfterTwoDays() public {
        _guard(_family(), 2, false);
        bytes32 id = _start(daughter);
        (bytes32 nx, bytes32 ny) = _key(newPhonePk);
        vm.expectEmit(true, true, true, true, address(recovery));
        emit ICityRecovery.RecoveryApproved(address(wang), id, son, false, 2, uint48(block.timestamp) + FAMILY_DELAY);
        _handle(
            _ownOp(sonPk, sonPk, _execute(_call(address(recovery), abi.encodeCall(recovery.approveRecovery, (id)))))
        );
        assertEq(recovery.recoveryOf(id).readyAt, block.timestamp + FAMILY_DELAY, "two days from the second approval");

        vm.warp(block.timestamp + FAMILY_DELAY);
        vm.expectEmit(true, true, true, true, address(recovery));
        emit ICityRecovery.RecoveryExecuted(address(wang), id, keeper, nx, ny);
        _executeRecovery();
        assertTrue(_isPasskey(newPhonePk), "new phone added");
        assertFalse(_isPasskey(phonePk), "lost phone removed");
        assertEq(wang.passkeyCount(), 1, "one passkey");
        assertEq(token.balanceOf(address(wang)), SAVINGS, "her money untouched");

        // She pays from the new phone; the lost phone signs nothing.
        PackedUserOperation memory op = _op(phonePk, _transfer(merchant, 1_000));
        op.signature = _signature(newPhonePk, _hash(op));
        _handle(op);
        assertEq(token.balanceOf(address(wang)), SAVINGS - 1_000, "paid from the new phone");
        op = _sign(_op(phonePk, _transfer(bob, 1)), phonePk);
        _expectSignatureError();
        _handle(op);
    }

    function test_CityDeskAloneRecoversAfterSevenDays() public {
        _guard(_none(), 1, true);
        bytes32 id = _start(clerk);
        assertEq(recovery.recoveryOf(id).readyAt, block.timestamp + DESK_DELAY, "seven days");
        assertTrue(recovery.recoveryOf(id).deskApproved, "the desk approved");
        vm.warp(block.timestamp + FAMILY_DELAY);
        _expectExecuteRevert(
            abi.encodeWithSelector(ICityRecovery.CityRecoveryNotReady.selector, id, START + DESK_DELAY)
        );
        vm.warp(START + DESK_DELAY);
        _executeRecovery();
        assertTrue(_isPasskey(newPhonePk), "new phone added");
        assertFalse(_isPasskey(phonePk), "lost phone removed");
    }

    function test_MixedSetWaitsTheDeskDelayUnlessFamilyAloneSuffices() public {
        address[] memory family = new address[](2);
        (family[0], family[1]) = (son, daughter);
        _guard(family, 2, true);
        assertEq(recovery.guardianChangeDelay(address(wang)), FAMILY_DELAY, "family alone can recover");
        bytes32 id = _start(son);
        _approve(clerk, id);
        assertEq(recovery.recoveryOf(id).readyAt, START + DESK_DELAY, "desk needed: seven days");
        // A day later her daughter approves too: the family alone meets the threshold, two days from now.
        vm.warp(START + 1 days);
        _approve(daughter, id);
        assertEq(recovery.recoveryOf(id).readyAt, START + 1 days + FAMILY_DELAY, "family alone: two days");
        assertEq(recovery.recoveryOf(id).approvals, 3, "three approvals");
        vm.warp(START + 1 days + FAMILY_DELAY);
        _executeRecovery();
        assertTrue(_isPasskey(newPhonePk), "new phone added");
    }

    function test_LaterApprovalNeverLengthensTheWait() public {
        _guard(_family(), 2, true);
        bytes32 id = _start(son);
        _approve(daughter, id);
        uint48 readyAt = recovery.recoveryOf(id).readyAt;
        vm.warp(START + 1 days);
        _approve(clerk, id);
        assertEq(recovery.recoveryOf(id).readyAt, readyAt, "the desk's approval kept the family's time");
    }

    // ───────────────────────────── refusals ─────────────────────────────

    function test_RevertWhen_TooFewApprovals() public {
        _guard(_family(), 2, false);
        bytes32 id = _start(son);
        vm.warp(START + DESK_DELAY);
        _expectExecuteRevert(abi.encodeWithSelector(ICityRecovery.CityRecoveryNotEnoughApprovals.selector, id, 1, 2));
    }

    function test_RevertWhen_ExecutedBeforeTheDelay() public {
        _guard(_family(), 2, false);
        bytes32 id = _start(son);
        _approve(daughter, id);
        vm.warp(START + FAMILY_DELAY - 1);
        _expectExecuteRevert(
            abi.encodeWithSelector(ICityRecovery.CityRecoveryNotReady.selector, id, START + FAMILY_DELAY)
        );
    }

    function test_RevertWhen_ExecutedTwice() public {
        _guard(_family(), 2, false);
        bytes32 id = _start(son);
        _approve(daughter, id);
        vm.warp(START + FAMILY_DELAY);
        _executeRecovery();
        // The same keys in the next round are another recovery, never started.
        (bytes32 nx, bytes32 ny) = _key(newPhonePk);
        bytes32 next = recovery.recoveryId(address(wang), nx, ny, _lostPhone());
        assertTrue(next != id, "a new round, a new id");
        _expectExecuteRevert(abi.encodeWithSelector(ICityRecovery.CityRecoveryNotPending.selector, next));
        _expectRevertAs(brother, abi.encodeWithSelector(ICityRecovery.CityRecoveryNotPending.selector, id));
        recovery.approveRecovery(id);
    }

    function test_RevertWhen_NonGuardianStartsOrApproves() public {
        _guard(_family(), 2, false);
        (bytes32 nx, bytes32 ny) = _key(newPhonePk);
        ICityAccount.Passkey[] memory lost = _lostPhone();
        _expectRevertAs(
            carol,
            abi.encodeWithSelector(ICityRecovery.CityRecoveryNotGuardian.selector, address(wang), carol)
        );
        recovery.startRecovery(address(wang), nx, ny, lost);
        bytes32 id = _start(son);
        _expectRevertAs(
            carol,
            abi.encodeWithSelector(ICityRecovery.CityRecoveryNotGuardian.selector, address(wang), carol)
        );
        recovery.approveRecovery(id);
        // A desk clerk is no guardian of an account that did not choose the desk.
        _expectRevertAs(
            clerk,
            abi.encodeWithSelector(ICityRecovery.CityRecoveryNotGuardian.selector, address(wang), clerk)
        );
        recovery.approveRecovery(id);
        // Nor is her own account.
        _expectRevertAs(
            address(wang),
            abi.encodeWithSelector(ICityRecovery.CityRecoveryNotGuardian.selector, address(wang), address(wang))
        );
        recovery.approveRecovery(id);
    }

    function test_RevertWhen_AccountWithoutGuardians() public {
        (bytes32 nx, bytes32 ny) = _key(newPhonePk);
        ICityAccount.Passkey[] memory lost = _lostPhone();
        _expectRevertAs(
            son,
            abi.encodeWithSelector(ICityRecovery.CityRecoveryNotGuardian.selector, address(wang), son)
        );
        recovery.startRecovery(address(wang), nx, ny, lost);
    }

    function test_RevertWhen_GuardianApprovesTwice() public {
        _guard(_family(), 3, false);
        bytes32 id = _start(son);
        _expectRevertAs(son, abi.encodeWithSelector(ICityRecovery.CityRecoveryAlreadyApproved.selector, id, son));
        recovery.approveRecovery(id);
        assertTrue(recovery.hasApproved(id, son), "son approved");
        assertEq(recovery.recoveryOf(id).approvals, 1, "counted once");
    }

    function test_RevertWhen_SecondClerkApprovesForTheDesk() public {
        _guard(_family(), 2, true);
        bytes32 id = _start(clerk);
        _expectRevertAs(clerk2, abi.encodeWithSelector(ICityRecovery.CityRecoveryAlreadyApproved.selector, id, clerk2));
        recovery.approveRecovery(id);
    }

    function test_ClerkWhoIsFamilyCountsOnce() public {
        address[] memory family = new address[](2);
        (family[0], family[1]) = (clerk, daughter);
        _guard(family, 2, true);
        bytes32 id = _start(clerk);
        assertFalse(recovery.recoveryOf(id).deskApproved, "counted as family");
        _expectRevertAs(clerk, abi.encodeWithSelector(ICityRecovery.CityRecoveryAlreadyApproved.selector, id, clerk));
        recovery.approveRecovery(id);
        _approve(clerk2, id); // the desk itself, through another clerk
        assertEq(recovery.recoveryOf(id).readyAt, START + DESK_DELAY, "desk needed");
    }

    function test_RevertWhen_StartedTwice() public {
        _guard(_family(), 2, false);
        bytes32 id = _start(son);
        (bytes32 nx, bytes32 ny) = _key(newPhonePk);
        ICityAccount.Passkey[] memory lost = _lostPhone();
        _expectRevertAs(daughter, abi.encodeWithSelector(ICityRecovery.CityRecoveryAlreadyStarted.selector, id));
        recovery.startRecovery(address(wang), nx, ny, lost);
    }

    function test_RevertWhen_NewPasskeyOffCurveOrAlsoRemoved() public {
        _guard(_family(), 2, false);
        ICityAccount.Passkey[] memory lost = _lostPhone();
        _expectRevertAs(
            son,
            abi.encodeWithSelector(ICityRecovery.CityRecoveryInvalidPasskey.selector, bytes32(0), bytes32(uint256(1)))
        );
        recovery.startRecovery(address(wang), bytes32(0), bytes32(uint256(1)), lost);
        (bytes32 nx, bytes32 ny) = _key(newPhonePk);
        lost = new ICityAccount.Passkey[](2);
        (lost[0].qx, lost[0].qy) = _key(phonePk);
        (lost[1].qx, lost[1].qy) = (nx, ny);
        _expectRevertAs(son, abi.encodeWithSelector(ICityRecovery.CityRecoveryRemovesNewPasskey.selector, nx, ny));
        recovery.startRecovery(address(wang), nx, ny, lost);
    }

    function test_AWrongRecoveryBlocksNoOther() public {
        _guard(_family(), 2, false);
        // Her brother starts a recovery to a key of his own; the others ignore it and start hers.
        (bytes32 sx, bytes32 sy) = _key(strangerPk);
        vm.prank(brother);
        bytes32 wrong = recovery.startRecovery(address(wang), sx, sy, _lostPhone());
        bytes32 id = _start(son);
        _approve(daughter, id);
        vm.warp(START + FAMILY_DELAY);
        _executeRecovery();
        assertTrue(_isPasskey(newPhonePk), "hers executed");
        // His ended with the round.
        _expectRevertAs(son, abi.encodeWithSelector(ICityRecovery.CityRecoveryNotPending.selector, wrong));
        recovery.approveRecovery(wrong);
    }

    // ───────────────────────────── cancel ─────────────────────────────

    /// @dev Her old phone, found again, cancels a recovery she did not start: an operation of her
    /// account signed by the phone's passkey.
    /// hardhat-config: isolate = true
    function test_OldDeviceCancelsDuringTheDelay() public {
        _guard(_family(), 2, false);
        bytes32 id = _start(son);
        _approve(daughter, id);
        vm.warp(START + 1 days);
        vm.expectEmit(true, true, true, true, address(recovery));
        emit ICityRecovery.RecoveriesCancelled(address(wang), 0);
        _handle(
            _ownOp(phonePk, phonePk, _execute(_call(address(recovery), abi.encodeCall(recovery.cancelRecoveries, ()))))
        );
        assertEq(recovery.recoveryRound(address(wang)), 1, "next round");
        vm.warp(START + FAMILY_DELAY);
        _expectExecuteRevert(abi.encodeWithSelector(ICityRecovery.CityRecoveryNotPending.selector, _currentId()));
        assertFalse(_isPasskey(newPhonePk), "no key added");
        assertTrue(_isPasskey(phonePk), "her phone still signs");
    }

    function test_RevertWhen_ApprovedAfterCancel() public {
        _guard(_family(), 2, false);
        bytes32 id = _start(son);
        vm.prank(address(wang));
        recovery.cancelRecoveries();
        _expectRevertAs(daughter, abi.encodeWithSelector(ICityRecovery.CityRecoveryNotPending.selector, id));
        recovery.approveRecovery(id);
    }

    // ───────────────────────────── guardians can never move money ─────────────────────────────

    function test_RevertWhen_GuardianCallsAnythingElseOnTheAccount() public {
        _guard(_family(), 2, false);
        bytes memory move = abi.encode(_call(address(token), abi.encodeCall(token.transfer, (son, SAVINGS))));
        _expectRevertAs(son, abi.encodeWithSelector(Account.AccountUnauthorized.selector, son));
        wang.execute(BATCH_MODE, move);
        (bytes32 nx, bytes32 ny) = _key(newPhonePk);
        _expectRevertAs(son, abi.encodeWithSelector(Account.AccountUnauthorized.selector, son));
        wang.addPasskey(nx, ny);
        ICityAccount.Passkey[] memory none = new ICityAccount.Passkey[](0);
        _expectRevertAs(son, abi.encodeWithSelector(ICityAccount.CityAccountNotRecovery.selector, son));
        wang.recoverPasskeys(nx, ny, none);
        // Not even the recovery contract can run a call or add a passkey the ordinary way.
        _expectRevertAs(address(recovery), abi.encodeWithSelector(Account.AccountUnauthorized.selector, recovery));
        wang.execute(BATCH_MODE, move);
        _expectRevertAs(address(recovery), abi.encodeWithSelector(Account.AccountUnauthorized.selector, recovery));
        wang.addPasskey(nx, ny);
        assertEq(token.balanceOf(address(wang)), SAVINGS, "her money untouched");
    }

    function test_RecoveredKeyIsNeverRemovedAndGoneKeysAreSkipped() public {
        (bytes32 nx, bytes32 ny) = _key(newPhonePk);
        ICityAccount.Passkey[] memory lost = new ICityAccount.Passkey[](3);
        (lost[0].qx, lost[0].qy) = _key(phonePk);
        (lost[1].qx, lost[1].qy) = _key(tabletPk); // never hers
        (lost[2].qx, lost[2].qy) = (nx, ny);
        vm.prank(address(recovery));
        wang.recoverPasskeys(nx, ny, lost);
        assertTrue(wang.isPasskey(nx, ny), "new key kept");
        assertFalse(_isPasskey(phonePk), "lost key removed");
        assertEq(wang.passkeyCount(), 1, "one passkey");
        assertEq(wang.passkeyRecovery(), address(recovery), "the recovery contract");
    }

    function test_RevertWhen_RecoveredKeyIsOffCurve() public {
        ICityAccount.Passkey[] memory none = new ICityAccount.Passkey[](0);
        _expectRevertAs(
            address(recovery),
            abi.encodeWithSelector(ICityAccount.CityAccountInvalidPasskey.selector, bytes32(0), bytes32(0))
        );
        wang.recoverPasskeys(bytes32(0), bytes32(0), none);
    }

    // ───────────────────────────── changing guardians ─────────────────────────────

    function test_FirstChoiceAppliesAtOnceLaterChangesWait() public {
        vm.expectEmit(true, true, true, true, address(recovery));
        emit ICityRecovery.GuardiansChanged(address(wang), _family(), 2, false);
        _guard(_family(), 2, false);
        assertTrue(recovery.isGuardian(address(wang), daughter), "daughter guards");
        address[] memory two = new address[](2);
        (two[0], two[1]) = (son, daughter);
        vm.expectEmit(true, true, true, true, address(recovery));
        emit ICityRecovery.GuardiansChangeScheduled(address(wang), two, 1, true, uint48(START + FAMILY_DELAY));
        _guard(two, 1, true);
        assertTrue(recovery.isGuardian(address(wang), brother), "brother still guards");
        vm.warp(START + FAMILY_DELAY - 1);
        _expectRevertAs(
            keeper,
            abi.encodeWithSelector(
                ICityRecovery.CityRecoveryGuardianChangeNotDue.selector,
                address(wang),
                START + FAMILY_DELAY
            )
        );
        recovery.applyGuardianChange(address(wang));
        vm.warp(START + FAMILY_DELAY);
        vm.prank(keeper);
        recovery.applyGuardianChange(address(wang));
        assertFalse(recovery.isGuardian(address(wang), brother), "brother no longer");
        assertTrue(recovery.isGuardian(address(wang), clerk), "the desk now");
        ICityRecovery.Guardians memory now_ = recovery.guardiansOf(address(wang));
        assertEq(now_.threshold, 1, "threshold");
        (, uint48 effectiveAt) = recovery.scheduledGuardiansOf(address(wang));
        assertEq(effectiveAt, 0, "nothing scheduled");
    }

    function test_GuardianChangeDuringARecoveryEndsIt() public {
        _guard(_family(), 2, false);
        address[] memory two = new address[](2);
        (two[0], two[1]) = (son, daughter);
        _guard(two, 2, false);
        bytes32 id = _start(brother);
        vm.warp(START + FAMILY_DELAY);
        vm.prank(keeper);
        recovery.applyGuardianChange(address(wang));
        // The old round's recovery is gone, and the removed brother can no longer start one.
        _expectRevertAs(son, abi.encodeWithSelector(ICityRecovery.CityRecoveryNotPending.selector, id));
        recovery.approveRecovery(id);
        (bytes32 nx, bytes32 ny) = _key(newPhonePk);
        ICityAccount.Passkey[] memory lost = _lostPhone();
        _expectRevertAs(
            brother,
            abi.encodeWithSelector(ICityRecovery.CityRecoveryNotGuardian.selector, address(wang), brother)
        );
        recovery.startRecovery(address(wang), nx, ny, lost);
    }

    function test_DeskOnlyGuardiansChangeWaitsTheDeskDelay() public {
        _guard(_none(), 1, true);
        assertEq(recovery.guardianChangeDelay(address(wang)), DESK_DELAY, "as long as a desk recovery");
        _guard(_family(), 2, false);
        (, uint48 effectiveAt) = recovery.scheduledGuardiansOf(address(wang));
        assertEq(effectiveAt, START + DESK_DELAY, "seven days");
    }

    function test_SheCancelsAGuardianChange() public {
        _guard(_family(), 2, false);
        _guard(_none(), 0, false); // turning recovery off waits too
        vm.expectEmit(true, true, true, true, address(recovery));
        emit ICityRecovery.GuardiansChangeCancelled(address(wang));
        vm.prank(address(wang));
        recovery.cancelGuardianChange();
        vm.warp(START + FAMILY_DELAY);
        _expectRevertAs(
            keeper,
            abi.encodeWithSelector(ICityRecovery.CityRecoveryNoGuardianChange.selector, address(wang))
        );
        recovery.applyGuardianChange(address(wang));
        _expectRevertAs(
            address(wang),
            abi.encodeWithSelector(ICityRecovery.CityRecoveryNoGuardianChange.selector, address(wang))
        );
        recovery.cancelGuardianChange();
        assertTrue(recovery.isGuardian(address(wang), son), "still guarded");
    }

    function test_RevertWhen_GuardiansAreInvalid() public {
        address[] memory family = _family();
        family[1] = address(0);
        _expectGuardiansRefused(
            family,
            2,
            false,
            abi.encodeWithSelector(ICityRecovery.CityRecoveryInvalidGuardian.selector, address(0))
        );
        family[1] = address(wang);
        _expectGuardiansRefused(
            family,
            2,
            false,
            abi.encodeWithSelector(ICityRecovery.CityRecoveryInvalidGuardian.selector, address(wang))
        );
        family[1] = son;
        _expectGuardiansRefused(
            family,
            2,
            false,
            abi.encodeWithSelector(ICityRecovery.CityRecoveryInvalidGuardian.selector, son)
        );
        family = _family();
        _expectGuardiansRefused(
            family,
            0,
            false,
            abi.encodeWithSelector(ICityRecovery.CityRecoveryInvalidThreshold.selector, 0, 3)
        );
        _expectGuardiansRefused(
            family,
            4,
            false,
            abi.encodeWithSelector(ICityRecovery.CityRecoveryInvalidThreshold.selector, 4, 3)
        );
        _expectGuardiansRefused(
            _none(),
            1,
            false,
            abi.encodeWithSelector(ICityRecovery.CityRecoveryInvalidThreshold.selector, 1, 0)
        );
        address[] memory many = new address[](9);
        for (uint256 i = 0; i < many.length; ++i) many[i] = address(uint160(0x1000 + i));
        _expectGuardiansRefused(
            many,
            2,
            false,
            abi.encodeWithSelector(ICityRecovery.CityRecoveryTooManyGuardians.selector, 9, 8)
        );
    }

    function _expectGuardiansRefused(
        address[] memory family,
        uint8 threshold,
        bool desk,
        bytes memory reason
    ) internal {
        _expectRevertAs(address(wang), reason);
        recovery.setGuardians(family, threshold, desk);
    }

    function test_RevertWhen_StrangerAppointsAClerk() public {
        bytes32 role = recovery.RECOVERY_DESK_ROLE();
        _expectMissingRoleAs(clerk, recovery.DEFAULT_ADMIN_ROLE());
        recovery.grantRole(role, carol);
    }

    // ───────────────────────────── replay ─────────────────────────────

    function test_RevertWhen_ApprovalReplayedForAnotherAccount() public {
        // Her neighbour chose the same family as guardians; an approval of 王阿姨's recovery counts
        // for hers only.
        CityAccount neighbour = _createAccount(tabletPk);
        _guard(_family(), 2, false);
        vm.prank(address(neighbour));
        recovery.setGuardians(_family(), 2, false);
        bytes32 id = _start(son);
        _approve(daughter, id);
        (bytes32 nx, bytes32 ny) = _key(newPhonePk);
        ICityAccount.Passkey[] memory none = new ICityAccount.Passkey[](0);
        bytes32 other = recovery.recoveryId(address(neighbour), nx, ny, none);
        assertTrue(other != id, "another account, another id");
        vm.warp(START + FAMILY_DELAY);
        _expectRevertAs(keeper, abi.encodeWithSelector(ICityRecovery.CityRecoveryNotPending.selector, other));
        recovery.executeRecovery(address(neighbour), nx, ny, none);
        assertFalse(neighbour.isPasskey(nx, ny), "neighbour untouched");
    }

    function test_RevertWhen_ReplayedOnAnotherChain() public {
        _guard(_family(), 2, false);
        bytes32 id = _start(son);
        _approve(daughter, id);
        vm.warp(START + FAMILY_DELAY);
        // The same contract at the same address on another chain (a fork) knows no such recovery.
        vm.chainId(block.chainid + 1);
        bytes32 elsewhere = _currentId();
        assertTrue(elsewhere != id, "the id names the chain");
        _expectExecuteRevert(abi.encodeWithSelector(ICityRecovery.CityRecoveryNotPending.selector, elsewhere));
    }

    function test_RecoveryIdNamesThisContract() public {
        _guard(_family(), 2, false);
        CityRecovery twin = new CityRecovery(FAMILY_DELAY, DESK_DELAY, admin, ADMIN_DELAY);
        (bytes32 nx, bytes32 ny) = _key(newPhonePk);
        assertTrue(
            twin.recoveryId(address(wang), nx, ny, _lostPhone()) != _currentId(),
            "another contract, another id"
        );
    }

    function _currentId() internal view returns (bytes32) {
        (bytes32 nx, bytes32 ny) = _key(newPhonePk);
        return recovery.recoveryId(address(wang), nx, ny, _lostPhone());
    }

    // ───────────────────────────── fuzz ─────────────────────────────

    /// @dev Any subset of approvals (family 2 of 3 plus the desk) at any times: execution succeeds
    /// exactly when the threshold was met and the delay since it passed, and then only adds the key.
    function testFuzz_ExecutesOnlyWhenApprovedAndDue(uint8 who, uint32 gap1, uint32 gap2, uint32 wait) public {
        _guard(_family(), 2, true);
        address[4] memory guardians = [son, daughter, brother, clerk];
        uint48 readyAt;
        bytes32 id;
        uint256 approvals;
        uint256 familyApprovals;
        uint32[2] memory gaps = [gap1 % 10 days, gap2 % 10 days];
        for (uint256 i = 0; i < 4; ++i) {
            if ((who >> i) & 1 == 0) continue;
            if (approvals > 0 && approvals < 3) vm.warp(block.timestamp + gaps[approvals - 1]);
            if (approvals == 0) id = _start(guardians[i]);
            else _approve(guardians[i], id);
            ++approvals;
            if (i < 3) ++familyApprovals;
            if (approvals >= 2) {
                uint48 candidate = uint48(block.timestamp) + (familyApprovals >= 2 ? FAMILY_DELAY : DESK_DELAY);
                if (readyAt == 0 || candidate < readyAt) readyAt = candidate;
            }
        }
        vm.warp(block.timestamp + (wait % 15 days));
        (bytes32 nx, bytes32 ny) = _key(newPhonePk);
        ICityAccount.Passkey[] memory lost = _lostPhone();
        vm.prank(keeper);
        try recovery.executeRecovery(address(wang), nx, ny, lost) {
            assertTrue(approvals >= 2 && block.timestamp >= readyAt, "executed only when approved and due");
            assertTrue(_isPasskey(newPhonePk), "key added");
        } catch {
            assertTrue(approvals < 2 || block.timestamp < readyAt, "refused only when not approved or not due");
            assertFalse(_isPasskey(newPhonePk), "no key");
        }
        assertEq(token.balanceOf(address(wang)), SAVINGS, "money untouched");
    }
}
