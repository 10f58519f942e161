// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Account} from "@openzeppelin/contracts/account/Account.sol";
import {Execution} from "@openzeppelin/contracts/account/utils/draft-ERC7579Utils.sol";
import {IEntryPoint, PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {Clones} from "@openzeppelin/contracts/proxy/Clones.sol";
import {Initializable} from "@openzeppelin/contracts/proxy/utils/Initializable.sol";
import {MultiSignerERC7913} from "@openzeppelin/contracts/utils/cryptography/signers/MultiSignerERC7913.sol";
import {CityAccount} from "../../../contracts/accounts/CityAccount.sol";
import {ICityAccount} from "../../../contracts/interfaces/ICityAccount.sol";
import {ICityAccountFactory} from "../../../contracts/interfaces/ICityAccountFactory.sol";
import {IRedPacket} from "../../../contracts/interfaces/IRedPacket.sol";
import {CityAccountFixture} from "./CityAccountFixture.sol";

/// @notice The passkey account and its factory: addresses known in advance, operations signed by
/// WebAuthn passkeys through the real v0.8 EntryPoint, devices added and removed.
contract CityAccountTest is CityAccountFixture {
    /// @dev The account's own call (through the EntryPoint) adding or removing passkey `pk` must
    /// fail with OpenZeppelin's MultiSignerERC7913 error `selector` naming that passkey's signer.
    function _passkeySignerRefused(CityAccount account, uint256 pk, bool adding, bytes4 selector) internal {
        (bytes32 x, bytes32 y) = _key(pk);
        _expectRevertAs(address(entryPoint), abi.encodeWithSelector(selector, account.passkeySigner(x, y)));
        if (adding) account.addPasskey(x, y);
        else account.removePasskey(x, y);
    }

    // ───────────────────────────── factory ─────────────────────────────

    function test_CreatesAccountAtPredictedAddress() public {
        address predicted = _addressOf(phonePk);
        assertEq(predicted.code.length, 0, "not deployed before");
        (bytes32 qx, bytes32 qy) = _key(phonePk);
        vm.expectEmit(true, false, false, true, address(factory));
        emit ICityAccountFactory.CityAccountCreated(predicted, qx, qy);
        CityAccount account = _createAccount(phonePk);
        assertEq(address(account), predicted, "address");
        assertTrue(account.isPasskey(qx, qy), "first passkey");
        assertEq(account.passkeyCount(), 1, "one passkey");
        assertTrue(factory.isCityAccount(predicted), "recognised as a city account");
        assertEq(predicted.codehash, factory.accountCodeHash(), "the code hash the paymaster keeps");
    }

    function testFuzz_AddressIsKnownBeforeDeploymentAndStable(uint256 pk) public {
        pk = bound(pk, 1, P256_N - 1);
        address predicted = _addressOf(pk);
        assertEq(address(_createAccount(pk)), predicted, "first create");
        assertEq(address(_createAccount(pk)), predicted, "second create returns the same account");
        if (pk != phonePk) assertTrue(predicted != _addressOf(phonePk), "another passkey, another address");
    }

    function test_AddressReceivesHcyBeforeDeployment() public {
        address predicted = _addressOf(phonePk);
        vm.prank(alice);
        token.transfer(predicted, 5_000);
        _handle(_sign(_op(phonePk, _transfer(bob, 2_000)), phonePk));
        assertEq(token.balanceOf(predicted), 3_000, "account balance");
        assertEq(token.balanceOf(bob), FUNDING + 2_000, "bob received");
    }

    function test_IsCityAccountOnlyForClones() public view {
        assertFalse(factory.isCityAccount(alice), "an EOA");
        assertFalse(factory.isCityAccount(address(token)), "another contract");
        assertFalse(factory.isCityAccount(factory.accountImplementation()), "the implementation itself");
    }

    function test_RevertWhen_PasskeyNotOnCurve() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                ICityAccount.CityAccountInvalidPasskey.selector,
                bytes32(uint256(1)),
                bytes32(uint256(2))
            )
        );
        factory.createAccount(bytes32(uint256(1)), bytes32(uint256(2)));
    }

    function test_RevertWhen_InitializedTwice() public {
        CityAccount account = _createAccount(phonePk);
        (bytes32 qx, bytes32 qy) = _key(strangerPk);
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        account.initialize(qx, qy);
    }

    function test_RevertWhen_ImplementationInitialized() public {
        (bytes32 qx, bytes32 qy) = _key(strangerPk);
        CityAccount implementation = CityAccount(payable(factory.accountImplementation()));
        vm.expectRevert(Initializable.InvalidInitialization.selector);
        implementation.initialize(qx, qy);
    }

    function test_UninitialisedCloneValidatesNothing() public {
        CityAccount bare = CityAccount(payable(Clones.clone(factory.accountImplementation())));
        bytes32 message = keccak256("x");
        bytes32 separator = _domainSeparator("Hefei City Account", "1", block.chainid, address(bare));
        bytes32 structHash = keccak256(abi.encode(keccak256("PersonalSign(bytes prefixed)"), message));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", separator, structHash));
        // A genuine assertion of a passkey over the right digest: the clone knows no passkey.
        assertEq(
            bytes32(bare.isValidSignature(message, _signature(phonePk, digest))),
            bytes32(bytes4(0xffffffff)),
            "passkey"
        );
        assertEq(bytes32(bare.isValidSignature(message, "")), bytes32(bytes4(0xffffffff)), "empty");
    }

    function test_ImplementationValidatesNothing() public view {
        CityAccount implementation = CityAccount(payable(factory.accountImplementation()));
        // Its one signer is the point (0, 0): a signature naming it never verifies.
        bytes memory signature = abi.encodePacked(bytes32(0), bytes32(0), _webAuthn(phonePk, keccak256("x"), 0x05));
        assertTrue(implementation.isPasskey(bytes32(0), bytes32(0)), "the locked signer");
        assertEq(
            bytes32(implementation.isValidSignature(keccak256("x"), signature)),
            bytes32(bytes4(0xffffffff)),
            "locked"
        );
    }

    // ───────────────────────────── operations ─────────────────────────────

    function test_ApproveAndCreateRedPacketInOneOperation() public {
        address account = _fundAccountOf(phonePk, 10_000);
        IRedPacket.PacketSpec memory spec = IRedPacket.PacketSpec({
            amount: 8_888,
            shares: 1,
            mode: IRedPacket.Mode.Equal,
            audience: IRedPacket.Audience.Friend,
            audienceKey: bytes32(uint256(uint160(bob))),
            duration: 0,
            greeting: unicode"恭喜发财"
        });
        Execution[] memory calls = new Execution[](2);
        calls[0] = Execution(address(token), 0, abi.encodeCall(token.approve, (address(redPacket), 8_888)));
        calls[1] = Execution(address(redPacket), 0, abi.encodeCall(redPacket.create, (spec)));
        _handle(_sign(_op(phonePk, _execute(calls)), phonePk));
        assertEq(token.balanceOf(account), 1_112, "escrowed");
        assertEq(token.balanceOf(address(redPacket)), 8_888, "in the packet");
    }

    function test_RevertWhen_SignedByStrangerPasskey() public {
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        op.signature = _signature(strangerPk, _hash(op));
        _expectSignatureError();
        _handle(op);
    }

    function testFuzz_RevertWhen_SignedByAnyOtherKey(uint256 pk) public {
        pk = bound(pk, 1, P256_N - 1);
        vm.assume(pk != phonePk);
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        op.signature = _signature(pk, _hash(op));
        _expectSignatureError();
        _handle(op);
    }

    function test_RevertWhen_PasskeyNamedButAssertionByAnotherKey() public {
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        (bytes32 qx, bytes32 qy) = _key(phonePk);
        op.signature = abi.encodePacked(qx, qy, _webAuthn(strangerPk, _hash(op), 0x05));
        _expectSignatureError();
        _handle(op);
    }

    function testFuzz_RevertWhen_SignatureCutShort(uint256 length) public {
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        bytes memory full = _signature(phonePk, _hash(op));
        length = bound(length, 0, full.length - 1);
        bytes memory cut = new bytes(length);
        for (uint256 i = 0; i < length; ++i) cut[i] = full[i];
        op.signature = cut;
        _expectSignatureError();
        _handle(op);
    }

    function test_RevertWhen_AuthenticatorDataLengthBeyondSignature() public {
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        bytes memory signature = _signature(phonePk, _hash(op));
        signature[132] = 0xff; // authenticator data length 0xff25: past the end
        op.signature = signature;
        _expectSignatureError();
        _handle(op);
    }

    function test_RevertWhen_UserNotVerified() public {
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 1));
        op.signature = _signatureWithFlags(phonePk, _hash(op), 0x01); // present, not verified
        _expectSignatureError();
        _handle(op);
    }

    function test_RevertWhen_ReplayedOnAnotherChain() public {
        _fundAccountOf(phonePk, 1_000);
        PackedUserOperation memory op = _sign(_op(phonePk, _transfer(bob, 1)), phonePk);
        vm.chainId(block.chainid + 1);
        _expectSignatureError();
        _handle(op);
    }

    /// @dev Several bundles, each its own transaction (the account validates one operation a transaction).
    /// hardhat-config: isolate = true
    function test_RevertWhen_OperationReplayed() public {
        _fundAccountOf(phonePk, 1_000);
        PackedUserOperation memory op = _sign(_op(phonePk, _transfer(bob, 1)), phonePk);
        _handle(op);
        op.initCode = "";
        op.signature = _signature(phonePk, _hash(op));
        vm.expectRevert(abi.encodeWithSelector(IEntryPoint.FailedOp.selector, 0, "AA25 invalid account nonce"));
        _handle(op);
    }

    function test_RevertWhen_ExecuteCalledByStranger() public {
        CityAccount account = _createAccount(phonePk);
        _expectRevertAs(bob, abi.encodeWithSelector(Account.AccountUnauthorized.selector, bob));
        account.execute(BATCH_MODE, abi.encode(_call(address(token), "")));
    }

    // ───────────────────────────── devices ─────────────────────────────

    /// @dev Several bundles, each its own transaction (the account validates one operation a transaction).
    /// hardhat-config: isolate = true
    function test_AddDeviceSignedByExistingPasskey() public {
        address account = _fundAccountOf(phonePk, 1_000);
        (bytes32 tx_, bytes32 ty) = _key(tabletPk);
        _handle(
            _sign(_op(phonePk, _execute(_call(account, abi.encodeCall(CityAccount.addPasskey, (tx_, ty))))), phonePk)
        );
        assertTrue(CityAccount(payable(account)).isPasskey(tx_, ty), "tablet added");
        assertEq(CityAccount(payable(account)).passkeyCount(), 2, "two devices");
        // The tablet now signs for the same account.
        PackedUserOperation memory op = _op(phonePk, _transfer(bob, 10));
        op.signature = _signature(tabletPk, _hash(op));
        _handle(op);
        assertEq(token.balanceOf(account), 990, "tablet paid");
    }

    /// @dev Several bundles, each its own transaction (the account validates one operation a transaction).
    /// hardhat-config: isolate = true
    function test_RemoveLostDeviceFromAnotherOne() public {
        CityAccount account = _createAccount(phonePk);
        (bytes32 px, bytes32 py) = _key(phonePk);
        (bytes32 tx_, bytes32 ty) = _key(tabletPk);
        vm.prank(address(entryPoint));
        account.addPasskey(tx_, ty);
        // The phone is lost: the tablet removes it.
        PackedUserOperation memory op = _op(
            phonePk,
            _execute(_call(address(account), abi.encodeCall(CityAccount.removePasskey, (px, py))))
        );
        op.signature = _signature(tabletPk, _hash(op));
        _handle(op);
        assertFalse(account.isPasskey(px, py), "phone removed");
        // Whoever holds the lost phone can no longer sign.
        op = _sign(_op(phonePk, _transfer(bob, 1)), phonePk);
        _expectSignatureError();
        _handle(op);
    }

    function test_RevertWhen_RemovingUnknownPasskey() public {
        bytes4 unknown = MultiSignerERC7913.MultiSignerERC7913NonexistentSigner.selector;
        _passkeySignerRefused(_createAccount(phonePk), strangerPk, false, unknown);
    }

    function test_RevertWhen_RemovingLastPasskey() public {
        CityAccount account = _createAccount(phonePk);
        (bytes32 px, bytes32 py) = _key(phonePk);
        _expectRevertAs(
            address(entryPoint),
            abi.encodeWithSelector(ICityAccount.CityAccountLastPasskey.selector, px, py)
        );
        account.removePasskey(px, py);
    }

    function test_RevertWhen_AddingPasskeyTwice() public {
        bytes4 alreadyThere = MultiSignerERC7913.MultiSignerERC7913AlreadyExists.selector;
        _passkeySignerRefused(_createAccount(phonePk), phonePk, true, alreadyThere);
    }

    function test_RevertWhen_AddingPasskeyOffCurve() public {
        CityAccount account = _createAccount(phonePk);
        _expectRevertAs(
            address(entryPoint),
            abi.encodeWithSelector(ICityAccount.CityAccountInvalidPasskey.selector, bytes32(0), bytes32(0))
        );
        account.addPasskey(bytes32(0), bytes32(0));
    }

    function test_RevertWhen_StrangerAddsPasskey() public {
        CityAccount account = _createAccount(phonePk);
        (bytes32 sx, bytes32 sy) = _key(strangerPk);
        _expectRevertAs(bob, abi.encodeWithSelector(Account.AccountUnauthorized.selector, bob));
        account.addPasskey(sx, sy);
    }

    function test_RevertWhen_StrangerRemovesPasskey() public {
        CityAccount account = _createAccount(phonePk);
        (bytes32 px, bytes32 py) = _key(phonePk);
        _expectRevertAs(bob, abi.encodeWithSelector(Account.AccountUnauthorized.selector, bob));
        account.removePasskey(px, py);
    }

    // ───────────────────────────── ERC-1271 (Sign-In with Ethereum) ─────────────────────────────

    function test_ValidatesPersonalSignThroughErc7739() public {
        CityAccount account = _createAccount(phonePk);
        bytes32 message = keccak256("\x19Ethereum Signed Message:\n5hello");
        bytes32 separator = _domainSeparator("Hefei City Account", "1", block.chainid, address(account));
        bytes32 structHash = keccak256(abi.encode(keccak256("PersonalSign(bytes prefixed)"), message));
        bytes32 digest = keccak256(abi.encodePacked("\x19\x01", separator, structHash));
        bytes memory signature = _signature(phonePk, digest);
        assertEq(bytes32(account.isValidSignature(message, signature)), bytes32(bytes4(0x1626ba7e)), "valid");
        // The same signature is worthless for another account of the same passkey holder...
        CityAccount other = _createAccount(tabletPk);
        vm.prank(address(entryPoint));
        (bytes32 px, bytes32 py) = _key(phonePk);
        other.addPasskey(px, py);
        assertEq(bytes32(other.isValidSignature(message, signature)), bytes32(bytes4(0xffffffff)), "other account");
        // ...and on another chain.
        vm.chainId(block.chainid + 1);
        assertEq(bytes32(account.isValidSignature(message, signature)), bytes32(bytes4(0xffffffff)), "other chain");
    }
}
