// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// CityYuan payments and refunds: `pay` moves tokens and records the order as refundable; repeated
// payments for the same order add up; only the payee refunds, to the payer, at most what is still
// refundable, and partial refunds add up to the payment.

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {CityYuanFixture} from "./utils/CityYuanFixture.sol";

contract CityYuanPayTest is CityYuanFixture {
    function _pay(address payer, address payee, uint256 amount, bytes32 orderRef) internal returns (bytes32) {
        vm.prank(payer);
        return token.pay(payee, amount, orderRef);
    }

    // ───────────────────────────── pay ─────────────────────────────

    function testFuzz_PayMovesTokensAndRecordsTheOrder(address payee, uint256 amount, bytes32 orderRef) public {
        vm.assume(payee != address(0) && payee != alice && orderRef != bytes32(0));
        amount = bound(amount, 1, FUNDING);
        bytes32 paymentId = keccak256(abi.encode(alice, payee, orderRef));
        uint256 payeeBefore = token.balanceOf(payee);

        // What a merchant reads from the receipt: the ERC-20 Transfer, then the payment.
        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Transfer(alice, payee, amount);
        vm.expectEmit(true, true, true, true, address(token));
        emit ICityYuan.PaymentMade(paymentId, alice, payee, amount, orderRef);
        bytes32 returned = _pay(alice, payee, amount, orderRef);

        assertEq(returned, paymentId, "returned id");
        assertEq(token.paymentIdOf(alice, payee, orderRef), paymentId, "paymentIdOf");
        assertEq(token.refundable(paymentId), amount, "refundable");
        assertEq(token.balanceOf(alice), FUNDING - amount, "payer");
        assertEq(token.balanceOf(payee), payeeBefore + amount, "payee");
    }

    function testFuzz_RepeatedPaymentsForAnOrderAddUp(uint256[3] memory amounts) public {
        uint256 total;
        bytes32 paymentId;
        for (uint256 i = 0; i < amounts.length; i++) {
            uint256 amount = bound(amounts[i], 1, FUNDING / 3);
            paymentId = _pay(alice, merchant, amount, ORDER_REF);
            total += amount;
        }
        assertEq(token.refundable(paymentId), total, "refundable adds up");
        assertEq(token.balanceOf(merchant), total, "merchant");
    }

    /// @dev Payer, payee and order together name a payment: the same order number at another
    /// merchant or from another payer is another payment.
    function testFuzz_PaymentIdsAreKeptApart(uint256 amount) public {
        amount = bound(amount, 1, FUNDING / 2);
        bytes32 aliceToMerchant = _pay(alice, merchant, amount, ORDER_REF);
        bytes32 bobToMerchant = _pay(bob, merchant, 1, ORDER_REF);
        bytes32 aliceToCarol = _pay(alice, carol, 2, ORDER_REF);
        assertTrue(aliceToMerchant != bobToMerchant && aliceToMerchant != aliceToCarol, "distinct ids");
        assertEq(token.refundable(aliceToMerchant), amount, "alice to merchant");
        assertEq(token.refundable(bobToMerchant), 1, "bob to merchant");
        assertEq(token.refundable(aliceToCarol), 2, "alice to carol");
    }

    function test_RevertWhen_PayHasNoOrderReference() public {
        vm.expectRevert(ICityYuan.CityYuanMissingReference.selector);
        _pay(alice, merchant, 1, bytes32(0));
    }

    function test_RevertWhen_PayAmountIsZero() public {
        vm.expectRevert(ICityYuan.CityYuanZeroAmount.selector);
        _pay(alice, merchant, 0, ORDER_REF);
    }

    function test_RevertWhen_PayToZeroAddress() public {
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        _pay(alice, address(0), 1, ORDER_REF);
    }

    function testFuzz_RevertWhen_PayExceedsBalance(uint256 amount) public {
        amount = bound(amount, FUNDING + 1, type(uint256).max);
        vm.expectRevert(_insufficientBalance(alice, FUNDING, amount));
        _pay(alice, merchant, amount, ORDER_REF);
    }

    // ───────────────────────────── refund ─────────────────────────────

    function testFuzz_PartialRefundsAddUpToThePayment(uint256 paid, uint256 first) public {
        paid = bound(paid, 2, FUNDING);
        first = bound(first, 1, paid - 1);
        bytes32 paymentId = _pay(alice, merchant, paid, ORDER_REF);

        vm.expectEmit(true, true, false, true, address(token));
        emit IERC20.Transfer(merchant, alice, first);
        vm.expectEmit(true, true, true, true, address(token));
        emit ICityYuan.PaymentRefunded(paymentId, merchant, alice, first);
        vm.prank(merchant);
        token.refund(alice, ORDER_REF, first);
        assertEq(token.refundable(paymentId), paid - first, "left after the first refund");

        vm.prank(merchant);
        token.refund(alice, ORDER_REF, paid - first);
        assertEq(token.refundable(paymentId), 0, "fully refunded");
        assertEq(token.balanceOf(alice), FUNDING, "payer made whole");
        assertEq(token.balanceOf(merchant), 0, "merchant");

        _expectRevertAs(
            merchant,
            abi.encodeWithSelector(ICityYuan.CityYuanRefundExceedsPayment.selector, paymentId, 0, 1)
        );
        token.refund(alice, ORDER_REF, 1);
    }

    function testFuzz_RevertWhen_RefundExceedsWhatIsLeft(uint256 paid, uint256 refunded, uint256 requested) public {
        paid = bound(paid, 1, FUNDING);
        refunded = bound(refunded, 0, paid - 1);
        requested = bound(requested, paid - refunded + 1, type(uint256).max);
        bytes32 paymentId = _pay(alice, merchant, paid, ORDER_REF);
        // The merchant holds other money too: the limit is the payment, not the merchant's balance.
        _fund(merchant, FUNDING);
        if (refunded > 0) {
            vm.prank(merchant);
            token.refund(alice, ORDER_REF, refunded);
        }
        _expectRevertAs(
            merchant,
            abi.encodeWithSelector(
                ICityYuan.CityYuanRefundExceedsPayment.selector,
                paymentId,
                paid - refunded,
                requested
            )
        );
        token.refund(alice, ORDER_REF, requested);
    }

    /// @dev Someone who is not the payee looks up their own payment id, under which nothing was paid.
    function testFuzz_RevertWhen_RefundBySomeoneOtherThanThePayee(address stranger, uint256 amount) public {
        vm.assume(stranger != merchant);
        amount = bound(amount, 1, FUNDING);
        _pay(alice, merchant, amount, ORDER_REF);
        bytes32 strangersId = keccak256(abi.encode(alice, stranger, ORDER_REF));
        _expectRevertAs(
            stranger,
            abi.encodeWithSelector(ICityYuan.CityYuanRefundExceedsPayment.selector, strangersId, 0, amount)
        );
        token.refund(alice, ORDER_REF, amount);
    }

    function test_RevertWhen_RefundAmountIsZero() public {
        _pay(alice, merchant, 1, ORDER_REF);
        _expectRevertAs(merchant, ICityYuan.CityYuanZeroAmount.selector);
        token.refund(alice, ORDER_REF, 0);
    }

    /// @dev A payee who has spent the money cannot refund it; the refundable amount stays.
    function testFuzz_RevertWhen_PayeeNoLongerHoldsTheMoney(uint256 amount) public {
        amount = bound(amount, 1, FUNDING);
        bytes32 paymentId = _pay(alice, merchant, amount, ORDER_REF);
        vm.prank(merchant);
        token.transfer(carol, amount);
        _expectRevertAs(merchant, _insufficientBalance(merchant, 0, amount));
        token.refund(alice, ORDER_REF, amount);
        assertEq(token.refundable(paymentId), amount, "still refundable");
    }

    function testFuzz_PaymentIdOf(address payer, address payee, bytes32 orderRef) public view {
        assertEq(token.paymentIdOf(payer, payee, orderRef), keccak256(abi.encode(payer, payee, orderRef)), "id");
    }
}
