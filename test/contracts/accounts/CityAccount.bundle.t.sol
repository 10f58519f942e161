// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IEntryPoint, PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {CityAccount} from "../../../contracts/accounts/CityAccount.sol";
import {ICityAccount} from "../../../contracts/interfaces/ICityAccount.sol";
import {CityAccountFixture} from "./CityAccountFixture.sol";

/// @notice A removed passkey's operation bundled with its removal. The EntryPoint validates every
/// operation of a bundle before it executes any, so without a rule an operation signed by the lost
/// phone, placed right after the removal that the resident signs on her tablet, would pass
/// validation with the phone still a signer and then run after the phone is gone. `handleOps` is
/// open to anyone, so a thief can build that bundle himself whatever public bundlers do. The account
/// validates one operation per transaction: the thief's operation is refused with
/// `CityAccountOneOperationPerTransaction`, and once the removal has landed on its own the phone
/// signs nothing (AA24).
///
/// Tests marked `isolate` run every top-level call as its own transaction, as a chain does; the
/// others run the whole test as one transaction on purpose.
contract CityAccountBundleTest is CityAccountFixture {
    address internal thief = makeAddr("thief");

    /// @dev Her account with two devices, holding `amount`: the phone (about to be lost) and the tablet.
    function _accountWithPhoneAndTablet(uint256 amount) internal returns (CityAccount account) {
        _fundAccountOf(phonePk, amount);
        account = _createAccount(phonePk);
        (bytes32 tx_, bytes32 ty) = _key(tabletPk);
        vm.prank(address(entryPoint));
        account.addPasskey(tx_, ty);
    }

    /// @dev The tablet's operation removing the phone (nonce: the account's next).
    function _removalOfPhone(CityAccount account) internal view returns (PackedUserOperation memory op) {
        (bytes32 px, bytes32 py) = _key(phonePk);
        op = _op(phonePk, _execute(_call(address(account), abi.encodeCall(CityAccount.removePasskey, (px, py)))));
        op.signature = _signature(tabletPk, _hash(op));
    }

    /// @dev The thief's operation, signed by the lost phone, taking `amount` with nonce `nonce`.
    function _theft(uint256 nonce, uint256 amount) internal view returns (PackedUserOperation memory op) {
        op = _op(phonePk, _transfer(thief, amount));
        op.nonce = nonce;
        op = _sponsor(op); // the city signs the operation as it now is
        op.signature = _signature(phonePk, _hash(op));
    }

    function _bundle(PackedUserOperation memory first, PackedUserOperation memory second) internal {
        PackedUserOperation[] memory ops = new PackedUserOperation[](2);
        (ops[0], ops[1]) = (first, second);
        vm.prank(bundler);
        entryPoint.handleOps(ops, bundler);
    }

    /// @dev The next handleOps must fail on operation `index`, refused by the account for being its
    /// second operation in the transaction.
    function _expectSecondOperationRefused(uint256 index, uint256 nonce) internal {
        vm.expectRevert(
            abi.encodeWithSelector(
                IEntryPoint.FailedOpWithRevert.selector,
                index,
                "AA23 reverted",
                abi.encodeWithSelector(ICityAccount.CityAccountOneOperationPerTransaction.selector, nonce)
            )
        );
    }

    /// hardhat-config: isolate = true
    function test_RevertWhen_RemovedPasskeyBundledWithItsRemoval() public {
        CityAccount account = _accountWithPhoneAndTablet(10_000);
        PackedUserOperation memory removal = _removalOfPhone(account);
        PackedUserOperation memory theft = _theft(removal.nonce + 1, 10_000);

        _expectSecondOperationRefused(1, theft.nonce);
        _bundle(removal, theft);
        (bytes32 px, bytes32 py) = _key(phonePk);
        assertTrue(account.isPasskey(px, py), "the whole bundle reverted: the phone is still there");

        // The bundler sends the removal on its own; the thief's operation, now validated against
        // the passkeys after the removal, is refused as the phone's signature.
        _handle(removal);
        assertFalse(account.isPasskey(px, py), "phone removed");
        _expectSignatureError();
        _handle(theft);
        assertEq(token.balanceOf(address(account)), 10_000, "nothing taken");
        assertEq(token.balanceOf(thief), 0, "thief got nothing");
    }

    /// @dev One transaction (not isolated) calling handleOps twice: the removal lands, and the
    /// thief's second bundle in the same transaction is refused before his signature is even read.
    function test_RevertWhen_RemovedPasskeySignsInALaterBundleOfTheSameTransaction() public {
        CityAccount account = _accountWithPhoneAndTablet(10_000);
        PackedUserOperation memory removal = _removalOfPhone(account);
        PackedUserOperation memory theft = _theft(removal.nonce + 1, 10_000);
        _handle(removal);
        _expectSecondOperationRefused(0, theft.nonce);
        _handle(theft);
        assertEq(token.balanceOf(thief), 0, "thief got nothing");
    }

    /// @dev The thief puts his operation first: it is checked against the passkeys as they are (the
    /// phone is still hers until the removal lands), and the removal behind it is the one refused.
    /// Nothing moves; the removal then lands alone and the phone is out.
    /// hardhat-config: isolate = true
    function test_RevertWhen_TheftPlacedBeforeTheRemovalInOneBundle() public {
        CityAccount account = _accountWithPhoneAndTablet(10_000);
        PackedUserOperation memory removal = _removalOfPhone(account);
        PackedUserOperation memory theft = _theft(removal.nonce, 10_000);
        // Both carry the same nonce: the thief's, first, takes it; the removal is refused as the
        // account's second operation before the EntryPoint even looks at its nonce.
        _expectSecondOperationRefused(1, removal.nonce);
        _bundle(theft, removal);
        assertEq(token.balanceOf(thief), 0, "the bundle reverted as a whole");
        _handle(removal);
        (bytes32 px, bytes32 py) = _key(phonePk);
        assertFalse(account.isPasskey(px, py), "phone removed");
    }

    /// @dev The price of the rule: two honest operations of one account never share a bundle.
    /// Bundlers already send one operation per sender a bundle (Alto's default
    /// `--enforce-unique-senders-per-bundle`); a bundle that ignores it reverts with no money moved.
    /// hardhat-config: isolate = true
    function testFuzz_RevertWhen_TwoOperationsOfOneAccountInOneBundle(uint16 first, uint16 second) public {
        _fundAccountOf(phonePk, uint256(first) + second);
        PackedUserOperation memory a = _sign(_op(phonePk, _transfer(bob, first)), phonePk);
        PackedUserOperation memory b = _op(phonePk, _transfer(bob, second));
        b.initCode = "";
        b.nonce = a.nonce + 1;
        b = _sponsor(b); // the city signs the operation as it now is
        b.signature = _signature(phonePk, _hash(b));
        _expectSecondOperationRefused(1, b.nonce);
        _bundle(a, b);
        assertEq(token.balanceOf(bob), FUNDING, "nothing paid");
        // Each in its own transaction, both land.
        _handle(a);
        _handle(b);
        assertEq(token.balanceOf(bob), FUNDING + first + second, "both paid");
    }

    /// @dev The flag is the account's own: operations of different accounts share a bundle.
    /// hardhat-config: isolate = true
    function test_OperationsOfTwoAccountsShareABundle() public {
        _fundAccountOf(phonePk, 1_000);
        _fundAccountOf(strangerPk, 1_000);
        _bundle(
            _sign(_op(phonePk, _transfer(bob, 300)), phonePk),
            _sign(_op(strangerPk, _transfer(bob, 400)), strangerPk)
        );
        assertEq(token.balanceOf(bob), FUNDING + 700, "both paid");
        assertEq(token.balanceOf(_addressOf(phonePk)), 700, "her account");
        assertEq(token.balanceOf(_addressOf(strangerPk)), 600, "the other account");
    }
}
