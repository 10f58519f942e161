// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Paymaster} from "@openzeppelin/contracts/account/paymaster/Paymaster.sol";
import {Execution} from "@openzeppelin/contracts/account/utils/draft-ERC7579Utils.sol";
import {IEntryPoint, IPaymaster, PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {CityAccount} from "../../../contracts/accounts/CityAccount.sol";
import {ICityPaymaster} from "../../../contracts/interfaces/ICityPaymaster.sol";
import {Vm} from "../utils/Vm.sol";
import {CityAccountFixture} from "./CityAccountFixture.sol";

/// @notice The city paymaster: what it pays for, and every way an attacker might make it pay for
/// something else or pay too much.
contract CityPaymasterTest is CityAccountFixture {
    CityAccount internal account;

    function setUp() public override {
        super.setUp();
        account = _createAccount(phonePk);
        vm.prank(alice);
        token.transfer(address(account), 10_000);
    }

    // ───────────────────────────── what it pays for ─────────────────────────────

    function test_SponsorsHcyTransferAndChargesTheBudget() public {
        uint256 depositBefore = entryPoint.balanceOf(address(paymaster));
        vm.recordLogs();
        _handle(_sign(_op(phonePk, _transfer(bob, 1_000)), phonePk));
        assertEq(token.balanceOf(bob), FUNDING + 1_000, "paid");
        uint256 spent = depositBefore - entryPoint.balanceOf(address(paymaster));
        assertGe(spent, 1, "the paymaster paid the gas");
        assertEq(address(account).balance, 0, "the resident paid nothing");
        assertEq(paymaster.operationsOn(address(account), paymaster.currentDay()), 1, "counted");
        // The budget is charged what postOp was told, never more than the deposit paid.
        Vm.Log[] memory logs = vm.getRecordedLogs();
        uint256 charged;
        for (uint256 i = 0; i < logs.length; ++i) {
            if (logs[i].topics[0] == ICityPaymaster.CityPaymasterOperationPaid.selector) {
                charged = abi.decode(logs[i].data, (uint256));
            }
        }
        assertGe(charged, 1, "postOp ran");
        assertEq(paymaster.budget(), BUDGET - charged, "unused reservation given back");
        assertLe(charged, spent, "charged at most what was paid");
    }

    function test_SponsorsPasskeyManagementOnTheAccountItself() public {
        (bytes32 tx_, bytes32 ty) = _key(tabletPk);
        _handle(
            _sign(
                _op(phonePk, _execute(_call(address(account), abi.encodeCall(CityAccount.addPasskey, (tx_, ty))))),
                phonePk
            )
        );
        assertEq(account.passkeyCount(), 2, "added");
    }

    function test_SponsorsVouchersAndRedPacketCalls() public {
        Execution[] memory calls = new Execution[](2);
        calls[0] = Execution(address(vouchers), 0, abi.encodeWithSignature("paused()"));
        calls[1] = Execution(address(redPacket), 0, abi.encodeWithSignature("maxTotal()"));
        (bytes memory context, uint256 validationData) = _validate(_op(phonePk, _execute(calls)));
        assertEq(abi.decode(context, (address)), address(account), "context names the account");
        (uint48 validAfter, uint48 validUntil) = _window(validationData);
        assertEq(validUntil - validAfter, 1 days - 1, "valid for one Hefei day");
    }

    function test_ValidityWindowIsTheHefeiDay() public {
        vm.warp(1_800_000_000); // 2027-01-15 08:00 UTC = 16:00 in Hefei
        (, uint256 validationData) = _validate(_op(phonePk, _transfer(bob, 1)));
        (uint48 validAfter, uint48 validUntil) = _window(validationData);
        assertEq(validAfter, 1_799_942_400, "Hefei midnight (2027-01-14 16:00 UTC)");
        assertEq(validUntil, validAfter + 1 days - 1, "until the next midnight");
    }

    // ───────────────────────────── attacks ─────────────────────────────

    function test_RevertWhen_CallsAnotherContract() public {
        address elsewhere = makeAddr("some DeFi pool");
        PackedUserOperation memory op = _sign(_op(phonePk, _execute(_call(elsewhere, hex"a9059cbb"))), phonePk);
        _expectPaymasterRefusal(
            abi.encodeWithSelector(ICityPaymaster.CityPaymasterTargetNotAllowed.selector, elsewhere)
        );
        _handle(op);
    }

    function testFuzz_RevertWhen_CallsAnotherContract(address target, bytes calldata data) public {
        vm.assume(target != address(token) && target != address(redPacket) && target != address(vouchers));
        vm.assume(target != address(account));
        _refused(
            _op(phonePk, _execute(_call(target, data))),
            abi.encodeWithSelector(ICityPaymaster.CityPaymasterTargetNotAllowed.selector, target)
        );
    }

    function test_RevertWhen_BatchHidesAnotherContract() public {
        address elsewhere = makeAddr("elsewhere");
        Execution[] memory calls = new Execution[](3);
        calls[0] = Execution(address(token), 0, abi.encodeCall(token.transfer, (bob, 1)));
        calls[1] = Execution(address(redPacket), 0, "");
        calls[2] = Execution(elsewhere, 0, "");
        _refused(
            _op(phonePk, _execute(calls)),
            abi.encodeWithSelector(ICityPaymaster.CityPaymasterTargetNotAllowed.selector, elsewhere)
        );
    }

    function test_RevertWhen_NestedExecuteEscapesTheAllowList() public {
        bytes memory inner = _execute(_call(makeAddr("elsewhere"), ""));
        _refused(
            _op(phonePk, _execute(_call(address(account), inner))),
            abi.encodeWithSelector(ICityPaymaster.CityPaymasterSelfCallNotAllowed.selector, bytes4(inner))
        );
    }

    function test_RevertWhen_CallsTheEntryPoint() public {
        bytes memory withdraw = abi.encodeWithSignature("withdrawTo(address,uint256)", bob, 1 ether);
        _refused(
            _op(phonePk, _execute(_call(address(entryPoint), withdraw))),
            abi.encodeWithSelector(ICityPaymaster.CityPaymasterTargetNotAllowed.selector, address(entryPoint))
        );
    }

    function testFuzz_RevertWhen_SendsNativeValue(uint256 value) public {
        value = bound(value, 1, type(uint256).max);
        Execution[] memory calls = new Execution[](1);
        calls[0] = Execution(address(token), value, "");
        _refused(
            _op(phonePk, _execute(calls)),
            abi.encodeWithSelector(ICityPaymaster.CityPaymasterValueNotAllowed.selector, address(token), value)
        );
    }

    function test_RevertWhen_CallDataIsNotExecute() public {
        (bytes32 tx_, bytes32 ty) = _key(tabletPk);
        bytes memory direct = abi.encodeCall(CityAccount.addPasskey, (tx_, ty));
        _refused(
            _op(phonePk, direct),
            abi.encodeWithSelector(ICityPaymaster.CityPaymasterUnsupportedCall.selector, bytes4(direct), tx_)
        );
    }

    function test_RevertWhen_ExecutionModeIsNotSingleBatch() public {
        bytes32 batchOfBatches = bytes32(uint256(1) << 248) | bytes32(uint256(0x78210002) << 176);
        bytes memory callData = abi.encodeWithSignature(
            "execute(bytes32,bytes)",
            batchOfBatches,
            abi.encode(_call(address(token), ""))
        );
        _refused(
            _op(phonePk, callData),
            abi.encodeWithSelector(
                ICityPaymaster.CityPaymasterUnsupportedCall.selector,
                bytes4(callData),
                batchOfBatches
            )
        );
    }

    function testFuzz_RevertWhen_ExecutionDataMalformed(uint256 offset) public {
        offset = bound(offset, 0x60, type(uint256).max);
        bytes memory callData = abi.encodePacked(
            bytes4(keccak256("execute(bytes32,bytes)")),
            BATCH_MODE,
            offset,
            uint256(0)
        );
        _refused(
            _op(phonePk, callData),
            abi.encodeWithSelector(ICityPaymaster.CityPaymasterUnsupportedCall.selector, bytes4(callData), BATCH_MODE)
        );
    }

    function test_RevertWhen_SenderIsALookAlikeContract() public {
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        op.sender = address(token);
        _refused(op, abi.encodeWithSelector(ICityPaymaster.CityPaymasterNotCityAccount.selector, address(token)));
    }

    function test_RevertWhen_SenderIsAnEoa() public {
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        op.sender = alice;
        _refused(op, abi.encodeWithSelector(ICityPaymaster.CityPaymasterNotCityAccount.selector, alice));
    }

    function testFuzz_RevertWhen_InflatedGasLimits(uint8 field, uint256 excess) public {
        field = uint8(bound(field, 0, 5));
        excess = bound(excess, 1, type(uint64).max);
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        uint256 cap;
        uint256 value;
        if (field == 0) {
            (cap, value) = (CALL_GAS, CALL_GAS + excess);
            op.accountGasLimits = bytes32((VERIFICATION_GAS << 128) | value);
        } else if (field == 1) {
            (cap, value) = (VERIFICATION_GAS, VERIFICATION_GAS + excess);
            op.accountGasLimits = bytes32((value << 128) | CALL_GAS);
        } else if (field == 2) {
            (cap, value) = (PRE_VERIFICATION_GAS, PRE_VERIFICATION_GAS + excess);
            op.preVerificationGas = value;
        } else if (field == 3) {
            (cap, value) = (PAYMASTER_GAS, PAYMASTER_GAS + excess);
            op.paymasterAndData = _paymasterAndDataWithGas(value, PAYMASTER_GAS, paymaster.currentDay());
        } else if (field == 4) {
            (cap, value) = (PAYMASTER_GAS, PAYMASTER_GAS + excess);
            op.paymasterAndData = _paymasterAndDataWithGas(PAYMASTER_GAS, value, paymaster.currentDay());
        } else {
            (cap, value) = (FEE, FEE + excess);
            op.gasFees = bytes32((FEE << 128) | value);
        }
        _expectRevertAs(
            address(entryPoint),
            abi.encodeWithSelector(ICityPaymaster.CityPaymasterGasLimitTooHigh.selector, field, value, cap)
        );
        paymaster.validatePaymasterUserOp(op, bytes32(0), 0);
    }

    function test_RevertWhen_ReplayedOnAnotherChain() public {
        PackedUserOperation memory op = _sign(_op(phonePk, _transfer(bob, 1)), phonePk);
        vm.chainId(block.chainid + 1);
        _expectSignatureError();
        _handle(op);
        assertEq(paymaster.operationsOn(address(account), paymaster.currentDay()), 0, "nothing counted");
    }

    function test_RevertWhen_DailyQuotaExhausted() public {
        uint32 day = paymaster.currentDay();
        for (uint256 i = 0; i < 5; ++i) _validate(_op(phonePk, _transfer(bob, 1)));
        _refused(
            _op(phonePk, _transfer(bob, 1)),
            abi.encodeWithSelector(
                ICityPaymaster.CityPaymasterDailyQuotaExhausted.selector,
                address(account),
                day,
                uint32(5)
            )
        );
        // The next Hefei day the account has its quota again.
        vm.warp(block.timestamp + 1 days);
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        op.paymasterAndData = _paymasterAndData(day + 1);
        _validate(op);
        assertEq(paymaster.operationsOn(address(account), day + 1), 1, "new day");
    }

    function test_RevertWhen_DrainingTheBudgetThroughManyNewAccounts() public {
        uint32 day = paymaster.currentDay();
        for (uint256 i = 0; i < 4; ++i) {
            uint256 pk = uint256(keccak256(abi.encode("sybil", i))) % P256_N;
            PackedUserOperation memory op = _op(pk, _transfer(bob, 0));
            _createAccount(pk); // as the EntryPoint does before the paymaster's validation
            if (i < 3) _validate(op);
            else
                _refused(
                    op,
                    abi.encodeWithSelector(ICityPaymaster.CityPaymasterNewAccountsExhausted.selector, day, uint32(3))
                );
        }
        assertEq(paymaster.newAccountsOn(day), 3, "three sponsored");
    }

    function test_NewAccountThroughTheEntryPointCountsOnce() public {
        uint256 pk = uint256(keccak256("newcomer")) % P256_N;
        _handle(_sign(_op(pk, _execute(new Execution[](0))), pk));
        assertEq(paymaster.newAccountsOn(paymaster.currentDay()), 1, "counted");
        assertTrue(factory.isCityAccount(_addressOf(pk)), "deployed");
    }

    function testFuzz_RevertWhen_BudgetExhausted(uint256 budgetLeft) public {
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        uint256 maxCost = _maxCost(op);
        budgetLeft = bound(budgetLeft, 0, maxCost - 1);
        vm.prank(treasurer);
        paymaster.setBudget(budgetLeft);
        _refused(op, abi.encodeWithSelector(ICityPaymaster.CityPaymasterBudgetExhausted.selector, budgetLeft, maxCost));
    }

    function testFuzz_BudgetNeverGoesBelowZero(uint8 operations) public {
        operations = uint8(bound(operations, 1, 5));
        uint256 maxCost = _maxCost(_op(phonePk, _transfer(bob, 1)));
        vm.prank(treasurer);
        paymaster.setBudget(maxCost * 2);
        for (uint256 i = 0; i < operations; ++i) {
            PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
            if (i < 2) _validate(op);
            else _refused(op, abi.encodeWithSelector(ICityPaymaster.CityPaymasterBudgetExhausted.selector, 0, maxCost));
        }
        assertEq(paymaster.budget(), operations >= 2 ? 0 : maxCost, "reserved");
    }

    function test_RevertWhen_DayIsNotToday() public {
        uint32 today = paymaster.currentDay();
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        op.paymasterAndData = _paymasterAndData(today + 1); // spend tomorrow's quota today
        op = _sign(op, phonePk);
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA32 paymaster expired or not due"));
        _handle(op);
        op.paymasterAndData = _paymasterAndData(today - 1); // yesterday's unused quota
        op = _sign(op, phonePk);
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA32 paymaster expired or not due"));
        _handle(op);
    }

    function test_RevertWhen_PaymasterDataMalformed() public {
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        op.paymasterAndData = abi.encodePacked(address(paymaster), uint128(PAYMASTER_GAS), uint128(PAYMASTER_GAS));
        _refused(op, abi.encodeWithSelector(ICityPaymaster.CityPaymasterInvalidData.selector, ""));
    }

    function test_RevertWhen_Paused() public {
        vm.prank(paymasterPauser);
        paymaster.pause();
        _refused(_op(phonePk, _transfer(bob, 1)), abi.encodeWithSelector(Pausable.EnforcedPause.selector));
        vm.prank(admin);
        paymaster.unpause();
        _validate(_op(phonePk, _transfer(bob, 1)));
    }

    function test_RevertWhen_ValidationNotFromEntryPoint() public {
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        _expectRevertAs(bob, abi.encodeWithSelector(Paymaster.PaymasterUnauthorized.selector, bob));
        paymaster.validatePaymasterUserOp(op, bytes32(0), 0);
    }

    function test_RevertWhen_PostOpNotFromEntryPoint() public {
        _expectRevertAs(bob, abi.encodeWithSelector(Paymaster.PaymasterUnauthorized.selector, bob));
        paymaster.postOp(IPaymaster.PostOpMode.opSucceeded, abi.encode(bob, 1 ether), 0, 0);
    }

    // ───────────────────────────── roles ─────────────────────────────

    function test_PolicyOfficerSetsThePolicy() public {
        ICityPaymaster.Policy memory stricter = _defaultPolicy();
        stricter.operationsPerDay = 1;
        vm.expectEmit(true, true, true, true, address(paymaster));
        emit ICityPaymaster.CityPaymasterPolicySet(stricter);
        vm.prank(policyOfficer);
        paymaster.setPolicy(stricter);
        assertEq(paymaster.policy().operationsPerDay, 1, "set");
    }

    function test_TreasurerMovesTheDepositAndStake() public {
        address payable vault = payable(makeAddr("vault"));
        vm.startPrank(treasurer);
        paymaster.withdraw(vault, 1 ether);
        paymaster.addStake{value: 1 ether}(1 days);
        paymaster.unlockStake();
        vm.warp(block.timestamp + 1 days);
        paymaster.withdrawStake(vault);
        vm.stopPrank();
        assertEq(vault.balance, 2 ether, "withdrawn deposit and stake");
        assertEq(entryPoint.balanceOf(address(paymaster)), PAYMASTER_DEPOSIT - 1 ether, "deposit left");
    }

    function test_RevertWhen_SetPolicyWithoutPolicyRole() public {
        ICityPaymaster.Policy memory loose = _defaultPolicy();
        _expectMissingRoleAs(treasurer, paymaster.POLICY_ROLE());
        paymaster.setPolicy(loose);
    }

    function test_RevertWhen_SetBudgetWithoutTreasurerRole() public {
        _expectMissingRoleAs(policyOfficer, paymaster.TREASURER_ROLE());
        paymaster.setBudget(1000 ether);
    }

    function test_RevertWhen_WithdrawWithoutTreasurerRole() public {
        _expectMissingRoleAs(admin, paymaster.TREASURER_ROLE());
        paymaster.withdraw(payable(admin), 1 ether);
    }

    function test_RevertWhen_AddStakeWithoutTreasurerRole() public {
        // Anyone could otherwise lock the stake for decades with a huge unstake delay.
        vm.deal(bob, 1 ether);
        _expectMissingRoleAs(bob, paymaster.TREASURER_ROLE());
        paymaster.addStake{value: 1 wei}(type(uint32).max);
    }

    function test_RevertWhen_UnlockStakeWithoutTreasurerRole() public {
        _expectMissingRoleAs(bob, paymaster.TREASURER_ROLE());
        paymaster.unlockStake();
    }

    function test_RevertWhen_WithdrawStakeWithoutTreasurerRole() public {
        _expectMissingRoleAs(bob, paymaster.TREASURER_ROLE());
        paymaster.withdrawStake(payable(bob));
    }

    function test_RevertWhen_PauseWithoutPauserRole() public {
        _expectMissingRoleAs(treasurer, paymaster.PAUSER_ROLE());
        paymaster.pause();
    }

    function test_RevertWhen_PauserUnpauses() public {
        vm.startPrank(paymasterPauser);
        paymaster.pause();
        vm.expectRevert(_missingRole(paymasterPauser, paymaster.DEFAULT_ADMIN_ROLE()));
        paymaster.unpause();
        vm.stopPrank();
    }

    function test_AnyoneMayTopUpTheDeposit() public {
        vm.deal(bob, 1 ether);
        vm.prank(bob);
        paymaster.deposit{value: 1 ether}();
        assertEq(entryPoint.balanceOf(address(paymaster)), PAYMASTER_DEPOSIT + 1 ether, "deposit");
    }
}
