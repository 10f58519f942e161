// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Paymaster} from "@openzeppelin/contracts/account/paymaster/Paymaster.sol";
import {ERC4337Utils} from "@openzeppelin/contracts/account/utils/ERC4337Utils.sol";
import {Execution} from "@openzeppelin/contracts/account/utils/draft-ERC7579Utils.sol";
import {IEntryPoint, IPaymaster, PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {CityAccount} from "../../../contracts/accounts/CityAccount.sol";
import {CityPaymaster} from "../../../contracts/accounts/CityPaymaster.sol";
import {ICityPaymaster} from "../../../contracts/interfaces/ICityPaymaster.sol";
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

    function test_SponsorsHcyTransferTheCitySigned() public {
        uint256 depositBefore = entryPoint.balanceOf(address(paymaster));
        _handle(_sign(_op(phonePk, _transfer(bob, 1_000)), phonePk));
        assertEq(token.balanceOf(bob), FUNDING + 1_000, "paid");
        assertGe(depositBefore - entryPoint.balanceOf(address(paymaster)), 1, "the paymaster paid the gas");
        assertEq(address(account).balance, 0, "the resident paid nothing");
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
        assertEq(context.length, 0, "no context: no postOp");
        (address aggregator, uint48 validAfter, uint48 validUntil) = _parse(validationData);
        assertEq(aggregator, address(0), "signature accepted");
        assertEq(validAfter, _windowStart(), "from the signed start");
        assertEq(validUntil, _windowStart() + SPONSORSHIP_LIFETIME, "to the signed end");
    }

    function test_SponsorsFamilyCardsDelayedTransfersAndRecoveryCalls() public {
        Execution[] memory calls = new Execution[](3);
        calls[0] = Execution(address(familyCards), 0, abi.encodeWithSignature("cardCount()"));
        calls[1] = Execution(address(delayedTransfers), 0, abi.encodeWithSignature("totalPending()"));
        calls[2] = Execution(address(recovery), 0, abi.encodeWithSignature("cancelRecoveries()"));
        (, uint256 validationData) = _validate(_op(phonePk, _execute(calls)));
        (address aggregator, , ) = _parse(validationData);
        assertEq(aggregator, address(0), "signature accepted");
    }

    function test_SponsoredContractsAreTheCityContracts() public view {
        ICityPaymaster.CityContracts memory targets = paymaster.sponsoredContracts();
        assertTrue(targets.cityYuan == address(token), "cityYuan");
        assertTrue(targets.redPacket == address(redPacket), "redPacket");
        assertTrue(targets.vouchers == address(vouchers), "vouchers");
        assertTrue(targets.familyCards == address(familyCards), "familyCards");
        assertTrue(targets.delayedTransfers == address(delayedTransfers), "delayedTransfers");
        assertTrue(targets.recovery == address(recovery), "recovery");
    }

    function test_SponsorsANewAccountFromTheCityFactory() public {
        uint256 pk = uint256(keccak256("newcomer")) % P256_N;
        _handle(_sign(_op(pk, _execute(new Execution[](0))), pk));
        assertTrue(factory.isCityAccount(_addressOf(pk)), "deployed");
    }

    function testFuzz_WindowIsReturnedExactlyAsSigned(uint48 validAfter, uint48 validUntil) public {
        validUntil = uint48(bound(validUntil, 1, ERC4337Utils.BLOCK_RANGE_FLAG - 1));
        validAfter = uint48(bound(validAfter, 0, validUntil - 1));
        PackedUserOperation memory op = _sponsorBy(_op(phonePk, _transfer(bob, 1)), sponsorPk, validAfter, validUntil);
        (address aggregator, uint48 returnedAfter, uint48 returnedUntil) = _parse(_validateData(op));
        assertEq(aggregator, address(0), "signature accepted");
        assertEq(returnedAfter, validAfter, "start, not wrapped");
        assertEq(returnedUntil, validUntil, "end, not wrapped");
    }

    // ───────────────────────────── the old quota tricks ─────────────────────────────

    function test_RevertWhen_PaymasterDataNamesAnAliasDay() public {
        // The old paymasterData: a 4-byte day, which a uint48 cast used to wrap into "today".
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        bytes memory aliasDay = abi.encodePacked(uint32(type(uint32).max));
        op.paymasterAndData = abi.encodePacked(address(paymaster), uint128(PAYMASTER_GAS), uint128(0), aliasDay);
        _refused(op, abi.encodeWithSelector(ICityPaymaster.CityPaymasterInvalidData.selector, aliasDay));
    }

    /// hardhat-config: isolate = true
    function test_RevertWhen_OneSponsorshipIsUsedForASecondOperation() public {
        PackedUserOperation memory first = _sign(_op(phonePk, _transfer(bob, 1)), phonePk);
        _handle(first);
        PackedUserOperation memory second = _op(phonePk, _transfer(bob, 1));
        second.paymasterAndData = first.paymasterAndData; // the next nonce, the same city signature
        second = _sign(second, phonePk);
        _expectPaymasterSignatureError();
        _handle(second);
        assertEq(token.balanceOf(bob), FUNDING + 1, "only the signed operation ran");
    }

    function test_RevertWhen_AccountMadeThroughTheFactoryIsUnsigned() public {
        // An account created by calling the factory directly has no initCode to count: it still
        // needs the city's signature for every operation.
        CityAccount direct = _createAccount(strangerPk);
        PackedUserOperation memory op = _op(strangerPk, _transfer(bob, 0));
        assertEq(op.initCode.length, 0, "already deployed");
        op.paymasterAndData = _paymasterAndData(
            PAYMASTER_GAS,
            PAYMASTER_GAS,
            _windowStart(),
            _windowStart() + 60,
            new bytes(65)
        );
        op = _sign(op, strangerPk);
        _expectPaymasterSignatureError();
        _handle(op);
        assertTrue(factory.isCityAccount(address(direct)), "a city account, and still not sponsored");
    }

    function test_ManyNewAccountsDoNotLockOutANewcomer() public {
        // No city-wide counter: one person making accounts cannot use up anyone else's first payment.
        for (uint256 i = 0; i < 20; ++i) {
            uint256 sybil = uint256(keccak256(abi.encode("sybil", i))) % P256_N;
            PackedUserOperation memory op = _op(sybil, _transfer(bob, 0));
            _createAccount(sybil); // as the EntryPoint does before the paymaster's validation
            (address aggregator, , ) = _parse(_validateData(op));
            assertEq(aggregator, address(0), "signed, so sponsored");
        }
        uint256 newcomer = uint256(keccak256("real newcomer")) % P256_N;
        _fundAccountOf(newcomer, 10);
        _handle(_sign(_op(newcomer, _transfer(bob, 10)), newcomer));
        assertEq(token.balanceOf(bob), FUNDING + 10, "the newcomer paid");
    }

    function testFuzz_RevertWhen_InitCodeNamesAForeignFactory(address foreign) public {
        vm.assume(foreign != address(factory));
        (bytes32 qx, bytes32 qy) = _key(strangerPk);
        PackedUserOperation memory op = _op(strangerPk, _transfer(bob, 0));
        op.initCode = abi.encodePacked(foreign, abi.encodeCall(factory.createAccount, (qx, qy)));
        op = _sponsor(op); // even signed: the chain refuses another factory
        _refused(op, abi.encodeWithSelector(ICityPaymaster.CityPaymasterForeignFactory.selector, foreign));
    }

    function test_RevertWhen_InitCodeIsTooShortToNameAFactory() public {
        PackedUserOperation memory op = _op(strangerPk, _transfer(bob, 0));
        op.initCode = hex"4337";
        _refused(op, abi.encodeWithSelector(ICityPaymaster.CityPaymasterForeignFactory.selector, address(0)));
    }

    function test_NoPostOpSoNothingToStarve() public {
        // Sponsored with no post-op gas at all: there is no postOp and no reservation to keep.
        uint48 now_ = _windowStart();
        PackedUserOperation memory op = _sponsorWithGas(
            _op(phonePk, _transfer(bob, 5)),
            sponsorPk,
            now_,
            now_ + 60,
            PAYMASTER_GAS,
            0
        );
        (bytes memory context, ) = _validate(op);
        assertEq(context.length, 0, "empty context");
        _handle(_sign(op, phonePk));
        assertEq(token.balanceOf(bob), FUNDING + 5, "paid");
    }

    function test_SponsorsInTheFirstSecondOfAHefeiDay() public {
        vm.warp(1_799_942_400); // 2027-01-15 00:00:00 in Hefei (2027-01-14 16:00 UTC)
        _handle(_sign(_op(phonePk, _transfer(bob, 1)), phonePk));
        assertEq(token.balanceOf(bob), FUNDING + 1, "paid at midnight");
    }

    // ───────────────────────────── the city signature ─────────────────────────────

    function test_RevertWhen_SignedByAnotherKey() public {
        uint48 now_ = _windowStart();
        PackedUserOperation memory op = _sponsorBy(_op(phonePk, _transfer(bob, 1)), 0xbad, now_, now_ + 60);
        op = _sign(op, phonePk);
        _expectPaymasterSignatureError();
        _handle(op);
    }

    function test_RevertWhen_SignatureIsMalleated() public {
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        bytes memory data = op.paymasterAndData;
        // The same signature with s' = n - s and v flipped: ECDSA accepts only the low-s form.
        uint256 n = 0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141;
        uint256 sOffset = 52 + 12 + 32;
        bytes32 s_;
        assembly {
            s_ := mload(add(add(data, 0x20), sOffset))
        }
        bytes32 high = bytes32(n - uint256(s_));
        for (uint256 i = 0; i < 32; ++i) data[sOffset + i] = high[i];
        data[sOffset + 32] = data[sOffset + 32] == bytes1(uint8(27)) ? bytes1(uint8(28)) : bytes1(uint8(27));
        op.paymasterAndData = data;
        op = _sign(op, phonePk);
        _expectPaymasterSignatureError();
        _handle(op);
    }

    function test_RevertWhen_ReplayedOnAnotherChain() public {
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        vm.chainId(block.chainid + 1);
        (address aggregator, , ) = _parse(_validateData(op));
        assertEq(aggregator, address(1), "signature refused on another chain");
    }

    function test_RevertWhen_ReplayedForAnotherSender() public {
        CityAccount other = _createAccount(strangerPk);
        vm.prank(alice);
        token.transfer(address(other), 100);
        PackedUserOperation memory mine = _op(phonePk, _transfer(bob, 1));
        PackedUserOperation memory theirs = _op(strangerPk, _transfer(bob, 1));
        theirs.paymasterAndData = mine.paymasterAndData;
        PackedUserOperation memory op = _sign(theirs, strangerPk);
        _expectPaymasterSignatureError();
        _handle(op);
    }

    function test_RevertWhen_ReplayedOnAnotherPaymaster() public {
        CityPaymaster twin = new CityPaymaster(
            entryPoint,
            factory,
            _sponsoredContracts(),
            _defaultPolicy(),
            vm.addr(sponsorPk), // the same key
            admin,
            ADMIN_DELAY
        );
        twin.deposit{value: 1 ether}();
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        bytes memory data = op.paymasterAndData;
        for (uint256 i = 0; i < 20; ++i) data[i] = bytes20(address(twin))[i];
        op.paymasterAndData = data;
        op = _sign(op, phonePk);
        _expectPaymasterSignatureError();
        _handle(op);
    }

    function testFuzz_RevertWhen_ASignedFieldChanges(uint8 field, uint256 delta) public {
        field = uint8(bound(field, 0, 7));
        delta = bound(delta, 1, 500);
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        if (field == 0) op.nonce += delta;
        else if (field == 1) op.callData = _transfer(bob, 1 + delta);
        else if (field == 2) op.accountGasLimits = bytes32(uint256(op.accountGasLimits) - delta);
        else if (field == 3) op.preVerificationGas -= delta;
        else if (field == 4)
            op.gasFees = bytes32(uint256(op.gasFees) - delta);
            // The paymaster's own gas limits and the window sit in paymasterAndData.
        else if (field == 5) _overwrite(op.paymasterAndData, 20, abi.encodePacked(uint128(PAYMASTER_GAS - delta)));
        else if (field == 6) _overwrite(op.paymasterAndData, 36, abi.encodePacked(uint128(PAYMASTER_GAS - delta)));
        else
            _overwrite(
                op.paymasterAndData,
                58,
                abi.encodePacked(_windowStart() + SPONSORSHIP_LIFETIME - uint48(delta))
            );
        (address aggregator, , ) = _parse(_validateData(op));
        assertEq(aggregator, address(1), "signature refused");
    }

    function testFuzz_RandomPaymasterDataNeverValidates(bytes calldata data) public {
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        op.paymasterAndData = abi.encodePacked(address(paymaster), uint128(PAYMASTER_GAS), uint128(0), data);
        vm.prank(address(entryPoint));
        try paymaster.validatePaymasterUserOp(op, bytes32(0), _maxCost(op)) returns (bytes memory, uint256 vd) {
            (address aggregator, , ) = _parse(vd);
            assertEq(aggregator, address(1), "never accepted");
        } catch {
            // Refused outright (malformed data or window): also not sponsored.
        }
    }

    function test_AdminRotatesTheSignerKey() public {
        uint256 nextPk = uint256(keccak256("next city service key"));
        vm.startPrank(admin);
        paymaster.grantRole(paymaster.SPONSOR_SIGNER_ROLE(), vm.addr(nextPk));
        paymaster.revokeRole(paymaster.SPONSOR_SIGNER_ROLE(), vm.addr(sponsorPk));
        vm.stopPrank();
        uint48 now_ = _windowStart();
        (address oldKey, , ) = _parse(_validateData(_op(phonePk, _transfer(bob, 1))));
        assertEq(oldKey, address(1), "the revoked key no longer sponsors");
        PackedUserOperation memory op = _sponsorBy(_op(phonePk, _transfer(bob, 1)), nextPk, now_, now_ + 60);
        _handle(_sign(op, phonePk));
        assertEq(token.balanceOf(bob), FUNDING + 1, "the new key sponsors");
    }

    function test_RevertWhen_SignerGrantedByAnyoneButTheAdmin() public {
        bytes32 role = paymaster.SPONSOR_SIGNER_ROLE();
        address signer = vm.addr(sponsorPk);
        vm.expectRevert(_missingRole(signer, paymaster.DEFAULT_ADMIN_ROLE()));
        vm.prank(signer);
        paymaster.grantRole(role, bob);
    }

    function test_SignerKeyCanDoNothingElse() public {
        address signer = vm.addr(sponsorPk);
        vm.startPrank(signer);
        vm.expectRevert(_missingRole(signer, paymaster.TREASURER_ROLE()));
        paymaster.withdraw(payable(signer), 1);
        vm.expectRevert(_missingRole(signer, paymaster.POLICY_ROLE()));
        paymaster.setPolicy(_defaultPolicy());
        vm.expectRevert(_missingRole(signer, paymaster.PAUSER_ROLE()));
        paymaster.pause();
        vm.stopPrank();
    }

    // ───────────────────────────── the window ─────────────────────────────

    function test_RevertWhen_Expired() public {
        PackedUserOperation memory op = _sign(_op(phonePk, _transfer(bob, 1)), phonePk);
        vm.warp(block.timestamp + SPONSORSHIP_LIFETIME + 1);
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA32 paymaster expired or not due"));
        _handle(op);
    }

    function test_RevertWhen_NotYetValid() public {
        uint48 later = uint48(block.timestamp + 1 hours);
        PackedUserOperation memory op = _sponsorBy(_op(phonePk, _transfer(bob, 1)), sponsorPk, later, later + 60);
        op = _sign(op, phonePk);
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA32 paymaster expired or not due"));
        _handle(op);
    }

    function testFuzz_RevertWhen_WindowIsOpenEmptyReversedOrInBlocks(uint48 a, uint48 b, uint8 kind) public {
        kind = uint8(bound(kind, 0, 3));
        uint48 validAfter;
        uint48 validUntil;
        if (kind == 0)
            (validAfter, validUntil) = (a, 0); // open-ended
        else if (kind == 1)
            (validAfter, validUntil) = (a, a); // empty
        else if (kind == 2)
            (validAfter, validUntil) = (a > b ? a : b, a > b ? b : a); // reversed (or empty)
        else (validAfter, validUntil) = (a | ERC4337Utils.BLOCK_RANGE_FLAG, b | ERC4337Utils.BLOCK_RANGE_FLAG);
        vm.assume(kind != 3 || validAfter < validUntil);
        PackedUserOperation memory op = _sponsorBy(_op(phonePk, _transfer(bob, 1)), sponsorPk, validAfter, validUntil);
        _refused(
            op,
            abi.encodeWithSelector(ICityPaymaster.CityPaymasterInvalidWindow.selector, validAfter, validUntil)
        );
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
        vm.assume(target != address(familyCards) && target != address(delayedTransfers) && target != address(recovery));
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
            op.paymasterAndData = _paymasterAndData(value, PAYMASTER_GAS, 0, 1, new bytes(65));
        } else if (field == 4) {
            (cap, value) = (PAYMASTER_GAS, PAYMASTER_GAS + excess);
            op.paymasterAndData = _paymasterAndData(PAYMASTER_GAS, value, 0, 1, new bytes(65));
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

    function test_RevertWhen_PaymasterDataMalformed() public {
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        op.paymasterAndData = abi.encodePacked(address(paymaster), uint128(PAYMASTER_GAS), uint128(PAYMASTER_GAS));
        _refused(op, abi.encodeWithSelector(ICityPaymaster.CityPaymasterInvalidData.selector, ""));
        bytes memory noSignature = abi.encodePacked(uint48(block.timestamp), uint48(block.timestamp + 60));
        op.paymasterAndData = abi.encodePacked(address(paymaster), uint128(PAYMASTER_GAS), uint128(0), noSignature);
        _refused(op, abi.encodeWithSelector(ICityPaymaster.CityPaymasterInvalidData.selector, noSignature));
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
        paymaster.postOp(IPaymaster.PostOpMode.opSucceeded, "", 0, 0);
    }

    // ───────────────────────────── roles ─────────────────────────────

    function test_PolicyOfficerSetsThePolicy() public {
        ICityPaymaster.Policy memory stricter = _defaultPolicy();
        stricter.maxCallGas = 100_000;
        vm.expectEmit(true, true, true, true, address(paymaster));
        emit ICityPaymaster.CityPaymasterPolicySet(stricter);
        vm.prank(policyOfficer);
        paymaster.setPolicy(stricter);
        assertEq(paymaster.policy().maxCallGas, 100_000, "set");
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

    function test_RevertWhen_PausedTwice() public {
        vm.startPrank(paymasterPauser);
        paymaster.pause();
        vm.expectRevert(abi.encodeWithSelector(ICityPaymaster.EnforcedPause.selector));
        paymaster.pause();
        vm.stopPrank();
        assertTrue(paymaster.paused(), "still paused");
    }

    function test_RevertWhen_UnpausedWhileNotPaused() public {
        vm.expectRevert(abi.encodeWithSelector(ICityPaymaster.ExpectedPause.selector));
        vm.prank(admin);
        paymaster.unpause();
        assertFalse(paymaster.paused(), "not paused");
    }

    function test_PauseEmitsOpenZeppelinsEvents() public {
        vm.expectEmit(true, true, true, true, address(paymaster));
        emit Pausable.Paused(paymasterPauser);
        vm.prank(paymasterPauser);
        paymaster.pause();
        vm.expectEmit(true, true, true, true, address(paymaster));
        emit Pausable.Unpaused(admin);
        vm.prank(admin);
        paymaster.unpause();
    }

    /// The pause flag shares the policy's storage word: setting one leaves the other as it was.
    function test_PolicyAndPauseFlagDoNotOverwriteEachOther() public {
        ICityPaymaster.Policy memory stricter = _defaultPolicy();
        stricter.maxCallGas = 100_000;
        stricter.maxFeePerGas = type(uint120).max;
        vm.prank(paymasterPauser);
        paymaster.pause();
        vm.prank(policyOfficer);
        paymaster.setPolicy(stricter);
        assertTrue(paymaster.paused(), "a new policy keeps the pause");
        _refused(_op(phonePk, _transfer(bob, 1)), abi.encodeWithSelector(ICityPaymaster.EnforcedPause.selector));
        vm.prank(admin);
        paymaster.unpause();
        ICityPaymaster.Policy memory kept = paymaster.policy();
        assertEq(kept.maxCallGas, 100_000, "resuming keeps the call gas cap");
        assertEq(kept.maxVerificationGas, stricter.maxVerificationGas, "verification gas cap");
        assertEq(kept.maxPreVerificationGas, stricter.maxPreVerificationGas, "pre-verification gas cap");
        assertEq(kept.maxPaymasterGas, stricter.maxPaymasterGas, "paymaster gas cap");
        assertEq(kept.maxFeePerGas, type(uint120).max, "fee cap");
    }

    function test_RevertWhen_FeeCapDoesNotFitTheStorageWord() public {
        ICityPaymaster.Policy memory huge = _defaultPolicy();
        huge.maxFeePerGas = uint128(type(uint120).max) + 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                ICityPaymaster.CityPaymasterGasLimitTooHigh.selector,
                uint8(5),
                uint256(huge.maxFeePerGas),
                uint256(type(uint120).max)
            )
        );
        vm.prank(policyOfficer);
        paymaster.setPolicy(huge);
        assertEq(paymaster.policy().maxFeePerGas, _defaultPolicy().maxFeePerGas, "the old cap stays");
    }

    function test_AnyoneMayTopUpTheDeposit() public {
        vm.deal(bob, 1 ether);
        vm.prank(bob);
        paymaster.deposit{value: 1 ether}();
        assertEq(entryPoint.balanceOf(address(paymaster)), PAYMASTER_DEPOSIT + 1 ether, "deposit");
    }

    // ───────────────────────────── helpers ─────────────────────────────

    /// @dev The next handled operation must fail the paymaster's signature check (AA34).
    function _expectPaymasterSignatureError() internal {
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA34 signature error"));
    }

    function _overwrite(bytes memory data, uint256 at, bytes memory with_) internal pure {
        for (uint256 i = 0; i < with_.length; ++i) data[at + i] = with_[i];
    }

    function _validateData(PackedUserOperation memory op) internal returns (uint256 validationData) {
        (, validationData) = _validate(op);
    }

    function _parse(uint256 validationData) internal pure returns (address aggregator, uint48 after_, uint48 until) {
        (aggregator, after_, until, ) = ERC4337Utils.parseValidationData(validationData);
    }
}
