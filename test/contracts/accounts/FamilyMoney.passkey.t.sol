// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Passkey accounts on either side of a family card and a delayed transfer: real user operations
// through the v0.8 EntryPoint, signed by P-256 passkeys as a browser signs them, and sponsored by the
// city paymaster (which lets calls go to FamilyCards and DelayedTransfers): the accounts hold no
// native currency at all.

import {Execution} from "@openzeppelin/contracts/account/utils/draft-ERC7579Utils.sol";
import {PackedUserOperation} from "@openzeppelin/contracts/interfaces/IERC4337.sol";
import {DelayedTransfers} from "../../../contracts/DelayedTransfers.sol";
import {FamilyCards} from "../../../contracts/FamilyCards.sol";
import {IDelayedTransfers} from "../../../contracts/interfaces/IDelayedTransfers.sol";
import {IFamilyCards} from "../../../contracts/interfaces/IFamilyCards.sol";
import {IMerchantRegistry} from "../../../contracts/interfaces/IMerchantRegistry.sol";
import {MerchantRegistry} from "../../../contracts/MerchantRegistry.sol";
import {CityAccountFixture} from "./CityAccountFixture.sol";

contract FamilyMoneyPasskeyTest is CityAccountFixture {
    uint256 internal motherPk = uint256(keccak256("mother phone passkey")) % P256_N;
    MerchantRegistry internal shops;
    FamilyCards internal cards;
    DelayedTransfers internal delayed;

    function setUp() public override {
        super.setUp();
        (shops, cards, delayed) = (registry, familyCards, delayedTransfers);
        vm.startPrank(admin);
        shops.grantRole(shops.REGISTRAR_ROLE(), admin);
        shops.register(merchant, unicode"合家福超市", IMerchantRegistry.Category.Grocery);
        token.setCityEscrow(address(cards), true);
        token.setCityEscrow(address(delayed), true);
        vm.stopPrank();
    }

    /// @dev A signed operation of the passkey `pk`'s account, its gas paid by the city paymaster.
    function _sponsored(uint256 pk, Execution[] memory calls) internal view returns (PackedUserOperation memory) {
        return _sign(_op(pk, _execute(calls)), pk);
    }

    /// @dev Nobody in these tests ever held native currency: the paymaster paid every operation.
    function _assertPaidByTheCity() internal view {
        assertEq(_addressOf(phonePk).balance, 0, "the son's account holds no native currency");
        assertEq(_addressOf(motherPk).balance, 0, "the mother's account holds no native currency");
    }

    function _limits() internal pure returns (IFamilyCards.Limits memory) {
        return IFamilyCards.Limits({monthlyLimit: 50_000, perPaymentLimit: 0, categories: type(uint8).max});
    }

    /// hardhat-config: isolate = true
    function test_PasskeySonFundsPasskeyMotherWhoPaysAShop() public {
        address son = _fundAccountOf(phonePk, 100_000);
        address mother = _addressOf(motherPk);
        Execution[] memory offer = new Execution[](2);
        offer[0] = Execution(address(token), 0, abi.encodeCall(token.approve, (address(cards), 50_000)));
        offer[1] = Execution(address(cards), 0, abi.encodeCall(cards.offer, (mother, _limits())));
        _handle(_sponsored(phonePk, offer));

        Execution[] memory acceptAndPay = new Execution[](2);
        acceptAndPay[0] = Execution(address(cards), 0, abi.encodeCall(cards.accept, (1)));
        acceptAndPay[1] = Execution(address(cards), 0, abi.encodeCall(cards.pay, (1, merchant, 12_345, ORDER_REF)));
        _handle(_sponsored(motherPk, acceptAndPay));

        assertEq(token.balanceOf(merchant), 12_345, "the shop is paid");
        assertEq(token.balanceOf(son), 100_000 - 12_345, "from the son's account");
        assertEq(token.balanceOf(mother), 0, "the mother holds no HCY at all");
        assertEq(cards.card(1).spentThisMonth, 12_345, "counted on the card");
        _assertPaidByTheCity();
    }

    /// hardhat-config: isolate = true
    function test_PlainAddressFundsPasskeyHolder() public {
        address mother = _addressOf(motherPk);
        vm.startPrank(alice);
        token.approve(address(cards), 50_000);
        cards.offer(mother, _limits());
        vm.stopPrank();
        Execution[] memory acceptAndPay = new Execution[](2);
        acceptAndPay[0] = Execution(address(cards), 0, abi.encodeCall(cards.accept, (1)));
        acceptAndPay[1] = Execution(address(cards), 0, abi.encodeCall(cards.pay, (1, merchant, 999, ORDER_REF)));
        _handle(_sponsored(motherPk, acceptAndPay));
        assertEq(token.balanceOf(merchant), 999, "the shop is paid from alice");
        assertEq(token.balanceOf(alice), FUNDING - 999, "alice paid");
        _assertPaidByTheCity();
    }

    /// hardhat-config: isolate = true
    function test_PasskeyFundsPlainHolder() public {
        address son = _fundAccountOf(phonePk, 100_000);
        Execution[] memory offer = new Execution[](2);
        offer[0] = Execution(address(token), 0, abi.encodeCall(token.approve, (address(cards), 50_000)));
        offer[1] = Execution(address(cards), 0, abi.encodeCall(cards.offer, (bob, _limits())));
        _handle(_sponsored(phonePk, offer));
        vm.startPrank(bob);
        cards.accept(1);
        cards.pay(1, merchant, 777, ORDER_REF);
        vm.stopPrank();
        assertEq(token.balanceOf(son), 100_000 - 777, "from the passkey account");
        _assertPaidByTheCity();
    }

    /// hardhat-config: isolate = true
    function test_PasskeySenderTakesDelayedTransferBack() public {
        address sender = _fundAccountOf(phonePk, 100_000);
        Execution[] memory send = new Execution[](2);
        send[0] = Execution(address(token), 0, abi.encodeCall(token.approve, (address(delayed), 30_000)));
        send[1] = Execution(address(delayed), 0, abi.encodeCall(delayed.send, (bob, 30_000, 2 hours)));
        _handle(_sponsored(phonePk, send));
        assertEq(delayed.transfer(1).sender, sender, "sent by the passkey account");
        assertEq(token.balanceOf(sender), 70_000, "waiting in the escrow");
        _handle(_sponsored(phonePk, _call(address(delayed), abi.encodeCall(delayed.cancel, (1)))));
        assertEq(token.balanceOf(sender), 100_000, "taken back with one operation");
        assertTrue(delayed.transfer(1).status == IDelayedTransfers.Status.Cancelled, "cancelled");
        _assertPaidByTheCity();
    }

    /// hardhat-config: isolate = true
    function test_PasskeyReceiverReleasesDelayedTransfer() public {
        address receiver = _addressOf(motherPk);
        vm.startPrank(alice);
        token.approve(address(delayed), 30_000);
        delayed.send(receiver, 30_000, 24 hours);
        vm.stopPrank();
        vm.warp(block.timestamp + 24 hours);
        _handle(_sponsored(motherPk, _call(address(delayed), abi.encodeCall(delayed.release, (1)))));
        assertEq(token.balanceOf(receiver), 30_000, "arrived at the passkey account");
        _assertPaidByTheCity();
    }
}
