// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// 亲属卡: a son's card for his mother. She pays registered shops from his account within the
// card's monthly (Hefei calendar month), per-payment and category limits; he changes or stops it,
// she declines or ends it; freezes of either side (and of the shop) and the pause stop it; every
// refusal with its exact error.

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ICityYuan} from "../../contracts/interfaces/ICityYuan.sol";
import {IFamilyCards} from "../../contracts/interfaces/IFamilyCards.sol";
import {IMerchantRegistry} from "../../contracts/interfaces/IMerchantRegistry.sol";
import {FamilyMoneyFixture} from "./utils/FamilyMoneyFixture.sol";

contract FamilyCardsTest is FamilyMoneyFixture {
    uint8 internal constant DINING_ONLY = uint8(1 << uint8(IMerchantRegistry.Category.Dining));

    // ───────────────────────────── paying ─────────────────────────────

    function test_HolderPaysShopFromFundersAccount() public {
        uint256 cardId = _activeCard(500 * YUAN);
        bytes32 paymentId = hcy.paymentIdOf(son, noodleShop, ORDER_REF);
        vm.expectEmit(true, true, true, true, address(cards));
        emit IFamilyCards.FamilyCardPaid(paymentId, cardId, son, noodleShop, mother, 2_350, ORDER_REF);
        vm.prank(mother);
        bytes32 returned = cards.pay(cardId, noodleShop, 2_350, ORDER_REF);
        assertEq(returned, paymentId, "the CityYuan payment id");
        assertEq(hcy.balanceOf(son), 10_000 * YUAN - 2_350, "paid from the son's account");
        assertEq(hcy.balanceOf(mother), 100 * YUAN, "not from hers");
        assertEq(hcy.balanceOf(noodleShop), 2_350, "the shop is paid");
        assertEq(hcy.balanceOf(address(cards)), 0, "the card holds nothing");
        assertEq(hcy.allowance(son, address(cards)), 500 * YUAN - 2_350, "the allowance is spent");
        assertEq(hcy.refundable(paymentId), 2_350, "refundable as the son's payment");
        IFamilyCards.CardView memory c = cards.card(cardId);
        assertEq(c.spentThisMonth, 2_350, "spent this month");
        assertEq(c.leftThisMonth, 500 * YUAN - 2_350, "left this month");
    }

    function test_ShopRefundGoesBackToFunder() public {
        uint256 cardId = _activeCard(500 * YUAN);
        vm.prank(mother);
        cards.pay(cardId, noodleShop, 2_350, ORDER_REF);
        vm.prank(noodleShop);
        hcy.refund(son, ORDER_REF, 2_350);
        assertEq(hcy.balanceOf(son), 10_000 * YUAN, "the money is back with the son");
        assertEq(hcy.balanceOf(noodleShop), 0, "the shop gave it back");
    }

    function test_PassesEveryCheckAtTheLimits() public {
        uint256 cardId = _activeCardWith(_limits(300 * YUAN, 100 * YUAN, DINING_ONLY), 300 * YUAN);
        vm.startPrank(mother);
        cards.pay(cardId, noodleShop, 100 * YUAN, keccak256("o1"));
        cards.pay(cardId, noodleShop, 100 * YUAN, keccak256("o2"));
        cards.pay(cardId, noodleShop, 100 * YUAN, keccak256("o3"));
        vm.stopPrank();
        assertEq(cards.card(cardId).leftThisMonth, 0, "the month is spent");
        assertEq(hcy.balanceOf(noodleShop), 300 * YUAN, "three payments");
    }

    // ───────────────────────────── limits ─────────────────────────────

    function test_RevertWhen_PaymentAboveMonthlyLimit() public {
        uint256 cardId = _activeCard(10_000 * YUAN);
        vm.prank(mother);
        cards.pay(cardId, grocer, 450 * YUAN, ORDER_REF);
        _expectRevertAs(
            mother,
            abi.encodeWithSelector(
                IFamilyCards.FamilyCardsMonthlyLimitExceeded.selector,
                cardId,
                50 * YUAN,
                50 * YUAN + 1
            )
        );
        cards.pay(cardId, grocer, 50 * YUAN + 1, keccak256("o2"));
    }

    function test_MonthlyLimitStartsAgainAtHefeiMidnightOnTheFirst() public {
        uint256 cardId = _activeCard(10_000 * YUAN);
        vm.warp(FEB_1_HEFEI - 1); // 2027-01-31 23:59:59 in Hefei
        vm.prank(mother);
        cards.pay(cardId, grocer, 500 * YUAN, ORDER_REF);
        _expectRevertAs(
            mother,
            abi.encodeWithSelector(IFamilyCards.FamilyCardsMonthlyLimitExceeded.selector, cardId, 0, 1)
        );
        cards.pay(cardId, grocer, 1, keccak256("o2"));
        vm.warp(FEB_1_HEFEI); // 00:00 on 1 February in Hefei, still 31 January in UTC
        assertEq(cards.card(cardId).leftThisMonth, 500 * YUAN, "a new month");
        vm.prank(mother);
        cards.pay(cardId, grocer, 500 * YUAN, keccak256("o3"));
        assertEq(hcy.balanceOf(grocer), 1_000 * YUAN, "both months paid");
    }

    function test_HefeiMonthAtTheBoundaries() public view {
        assertEq(cards.hefeiMonth(FEB_1_HEFEI - 1), 2027 * 12 + 0, "January 31, 23:59:59 Hefei");
        assertEq(cards.hefeiMonth(FEB_1_HEFEI), 2027 * 12 + 1, "February 1, 00:00 Hefei");
        assertEq(cards.hefeiMonth(1_835_452_799), 2028 * 12 + 1, "leap day 2028-02-29 23:59:59 Hefei");
        assertEq(cards.hefeiMonth(1_835_452_800), 2028 * 12 + 2, "2028-03-01 00:00 Hefei");
        assertEq(cards.hefeiMonth(1_830_268_799), 2027 * 12 + 11, "2027-12-31 23:59:59 Hefei");
        assertEq(cards.hefeiMonth(1_830_268_800), 2028 * 12 + 0, "2028-01-01 00:00 Hefei");
        assertEq(cards.hefeiMonth(0), 1970 * 12 + 0, "the epoch, 08:00 in Hefei");
    }

    /// @dev The month never goes back and moves by one at a time, and only at a Hefei midnight.
    function testFuzz_HefeiMonthStepsOnceAtMidnight(uint256 timestamp) public view {
        timestamp = bound(timestamp, 0, type(uint48).max);
        uint256 month = cards.hefeiMonth(timestamp);
        uint256 next = cards.hefeiMonth(timestamp + 1);
        assertLe(month, next, "never back");
        assertLe(next, month + 1, "one month at a time");
        if (next != month) assertEq((timestamp + 1 + 8 hours) % 1 days, 0, "only at a Hefei midnight");
        assertGe(cards.hefeiMonth(timestamp + 32 days), month + 1, "a new month within 32 days");
    }

    function test_RevertWhen_PaymentAbovePerPaymentLimit() public {
        uint256 cardId = _activeCardWith(_limits(500 * YUAN, 100 * YUAN, cards.ALL_CATEGORIES()), 500 * YUAN);
        _expectRevertAs(
            mother,
            abi.encodeWithSelector(
                IFamilyCards.FamilyCardsPerPaymentLimitExceeded.selector,
                cardId,
                100 * YUAN,
                100 * YUAN + 1
            )
        );
        cards.pay(cardId, grocer, 100 * YUAN + 1, ORDER_REF);
    }

    function test_RevertWhen_ShopCategoryNotOnCard() public {
        uint256 cardId = _activeCardWith(_limits(500 * YUAN, 0, DINING_ONLY), 500 * YUAN);
        _expectRevertAs(
            mother,
            abi.encodeWithSelector(
                IFamilyCards.FamilyCardsCategoryNotAllowed.selector,
                cardId,
                grocer,
                IMerchantRegistry.Category.Grocery
            )
        );
        cards.pay(cardId, grocer, 1_000, ORDER_REF);
    }

    function test_FunderLowersLimitAtOnce() public {
        uint256 cardId = _activeCard(500 * YUAN);
        vm.prank(mother);
        cards.pay(cardId, grocer, 200 * YUAN, ORDER_REF);
        IFamilyCards.Limits memory lower = _limits(150 * YUAN, 0, cards.ALL_CATEGORIES());
        vm.expectEmit(true, true, true, true, address(cards));
        emit IFamilyCards.FamilyCardLimitsChanged(cardId, son, mother, lower);
        vm.prank(son);
        cards.changeLimits(cardId, lower);
        assertEq(cards.card(cardId).leftThisMonth, 0, "below what was spent: nothing left");
        _expectRevertAs(
            mother,
            abi.encodeWithSelector(IFamilyCards.FamilyCardsMonthlyLimitExceeded.selector, cardId, 0, 1)
        );
        cards.pay(cardId, grocer, 1, keccak256("o2"));
    }

    function test_RevertWhen_AllowanceBelowPayment() public {
        uint256 cardId = _activeCard(10 * YUAN);
        _expectRevertAs(
            mother,
            abi.encodeWithSelector(
                IERC20Errors.ERC20InsufficientAllowance.selector,
                address(cards),
                10 * YUAN,
                10 * YUAN + 1
            )
        );
        cards.pay(cardId, grocer, 10 * YUAN + 1, ORDER_REF);
        assertEq(cards.card(cardId).spentThisMonth, 0, "nothing counted");
    }

    function test_FunderTakingAllowanceBackStopsEveryCard() public {
        uint256 cardId = _activeCard(500 * YUAN);
        vm.prank(son);
        hcy.approve(address(cards), 0);
        _expectRevertAs(
            mother,
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, address(cards), 0, 1)
        );
        cards.pay(cardId, grocer, 1, ORDER_REF);
    }

    function test_RevertWhen_FunderBalanceBelowPayment() public {
        uint256 cardId = _activeCard(500 * YUAN);
        vm.prank(son);
        hcy.transfer(daughter, 10_000 * YUAN - 5);
        _expectRevertAs(mother, _insufficientBalance(son, 5, 6));
        cards.pay(cardId, grocer, 6, ORDER_REF);
    }

    function test_RevertWhen_LimitsInvalid() public {
        IFamilyCards.Limits memory noMonthly = _limits(0, 0, cards.ALL_CATEGORIES());
        IFamilyCards.Limits memory noShops = _limits(500 * YUAN, 0, 0);
        _expectRevertAs(son, abi.encodeWithSelector(IFamilyCards.FamilyCardsInvalidLimits.selector, noMonthly));
        cards.offer(mother, noMonthly);
        _expectRevertAs(son, abi.encodeWithSelector(IFamilyCards.FamilyCardsInvalidLimits.selector, noShops));
        cards.offer(mother, noShops);
        uint256 cardId = _activeCard(500 * YUAN);
        _expectRevertAs(son, abi.encodeWithSelector(IFamilyCards.FamilyCardsInvalidLimits.selector, noMonthly));
        cards.changeLimits(cardId, noMonthly);
    }

    // ───────────────────────────── who may pay whom ─────────────────────────────

    function test_RevertWhen_PayeeIsNotAShop() public {
        uint256 cardId = _activeCard(500 * YUAN);
        _expectRevertAs(mother, abi.encodeWithSelector(IFamilyCards.FamilyCardsNotShop.selector, stranger));
        cards.pay(cardId, stranger, 1_000, ORDER_REF);
        registry.deactivate(grocer);
        _expectRevertAs(mother, abi.encodeWithSelector(IFamilyCards.FamilyCardsNotShop.selector, grocer));
        cards.pay(cardId, grocer, 1_000, ORDER_REF);
    }

    function test_RevertWhen_HolderPaysHerOwnShop() public {
        registry.register(mother, unicode"王阿姨小卖部", IMerchantRegistry.Category.Retail);
        uint256 cardId = _activeCard(500 * YUAN);
        _expectRevertAs(mother, abi.encodeWithSelector(IFamilyCards.FamilyCardsSelfPayment.selector, cardId));
        cards.pay(cardId, mother, 1_000, ORDER_REF);
    }

    function test_RevertWhen_SomeoneElsePaysWithCard() public {
        uint256 cardId = _activeCard(500 * YUAN);
        _expectRevertAs(son, abi.encodeWithSelector(IFamilyCards.FamilyCardsNotHolder.selector, cardId, son));
        cards.pay(cardId, grocer, 1_000, ORDER_REF);
        _expectRevertAs(stranger, abi.encodeWithSelector(IFamilyCards.FamilyCardsNotHolder.selector, cardId, stranger));
        cards.pay(cardId, grocer, 1_000, ORDER_REF);
    }

    function test_RevertWhen_ZeroAmountOrNoOrder() public {
        uint256 cardId = _activeCard(500 * YUAN);
        _expectRevertAs(mother, IFamilyCards.FamilyCardsZeroAmount.selector);
        cards.pay(cardId, grocer, 0, ORDER_REF);
        _expectRevertAs(mother, IFamilyCards.FamilyCardsMissingReference.selector);
        cards.pay(cardId, grocer, 1_000, bytes32(0));
    }

    function test_RevertWhen_CardUnknown() public {
        bytes memory unknown = abi.encodeWithSelector(IFamilyCards.FamilyCardsUnknownCard.selector, 7);
        _expectRevertAs(mother, unknown);
        cards.pay(7, grocer, 1_000, ORDER_REF);
        _expectRevertAs(mother, unknown);
        cards.accept(7);
        _expectRevertAs(mother, unknown);
        cards.decline(7);
        _expectRevertAs(mother, unknown);
        cards.end(7);
        _expectRevertAs(son, unknown);
        cards.stop(7);
        IFamilyCards.Limits memory limits = _limits(1, 0, 1);
        _expectRevertAs(son, unknown);
        cards.changeLimits(7, limits);
        vm.expectRevert(unknown);
        cards.card(7);
    }

    function test_RevertWhen_OfferedToInvalidHolder() public {
        IFamilyCards.Limits memory limits = _limits(500 * YUAN, 0, cards.ALL_CATEGORIES());
        address[4] memory invalid = [address(0), son, address(cards), address(hcy)];
        for (uint256 i; i < invalid.length; ++i) {
            _expectRevertAs(son, abi.encodeWithSelector(IFamilyCards.FamilyCardsInvalidHolder.selector, invalid[i]));
            cards.offer(invalid[i], limits);
        }
    }

    // ───────────────────────────── offer, accept, decline, end, stop ─────────────────────────────

    function test_OfferWaitsForHolderToAccept() public {
        IFamilyCards.Limits memory limits = _limits(500 * YUAN, 0, cards.ALL_CATEGORIES());
        vm.startPrank(son);
        hcy.approve(address(cards), 500 * YUAN);
        vm.expectEmit(true, true, true, true, address(cards));
        emit IFamilyCards.FamilyCardOffered(1, son, mother, limits);
        uint256 cardId = cards.offer(mother, limits);
        vm.stopPrank();
        _expectRevertAs(
            mother,
            abi.encodeWithSelector(IFamilyCards.FamilyCardsWrongStatus.selector, cardId, IFamilyCards.Status.Offered)
        );
        cards.pay(cardId, grocer, 1_000, ORDER_REF);
        _expectRevertAs(son, abi.encodeWithSelector(IFamilyCards.FamilyCardsNotHolder.selector, cardId, son));
        cards.accept(cardId);
        vm.expectEmit(true, true, true, true, address(cards));
        emit IFamilyCards.FamilyCardAccepted(cardId, son, mother);
        vm.prank(mother);
        cards.accept(cardId);
        _expectRevertAs(
            mother,
            abi.encodeWithSelector(IFamilyCards.FamilyCardsWrongStatus.selector, cardId, IFamilyCards.Status.Active)
        );
        cards.accept(cardId);
        assertEq(cards.cardCount(), 1, "one card");
    }

    function test_HolderDeclinesOffer() public {
        IFamilyCards.Limits memory limits = _limits(500 * YUAN, 0, cards.ALL_CATEGORIES());
        vm.prank(son);
        uint256 cardId = cards.offer(mother, limits);
        _expectRevertAs(stranger, abi.encodeWithSelector(IFamilyCards.FamilyCardsNotHolder.selector, cardId, stranger));
        cards.decline(cardId);
        vm.expectEmit(true, true, true, true, address(cards));
        emit IFamilyCards.FamilyCardClosed(cardId, son, mother, IFamilyCards.Status.Declined, mother);
        vm.prank(mother);
        cards.decline(cardId);
        bytes memory declined = abi.encodeWithSelector(
            IFamilyCards.FamilyCardsWrongStatus.selector,
            cardId,
            IFamilyCards.Status.Declined
        );
        _expectRevertAs(mother, declined);
        cards.accept(cardId);
        _expectRevertAs(son, declined);
        cards.stop(cardId);
    }

    function test_HolderEndsCard() public {
        uint256 cardId = _activeCard(500 * YUAN);
        _expectRevertAs(
            mother,
            abi.encodeWithSelector(IFamilyCards.FamilyCardsWrongStatus.selector, cardId, IFamilyCards.Status.Active)
        );
        cards.decline(cardId);
        _expectRevertAs(son, abi.encodeWithSelector(IFamilyCards.FamilyCardsNotHolder.selector, cardId, son));
        cards.end(cardId);
        vm.expectEmit(true, true, true, true, address(cards));
        emit IFamilyCards.FamilyCardClosed(cardId, son, mother, IFamilyCards.Status.Ended, mother);
        vm.prank(mother);
        cards.end(cardId);
        _expectRevertAs(
            mother,
            abi.encodeWithSelector(IFamilyCards.FamilyCardsWrongStatus.selector, cardId, IFamilyCards.Status.Ended)
        );
        cards.pay(cardId, grocer, 1_000, ORDER_REF);
    }

    function test_RevertWhen_EndingAnOfferNotAccepted() public {
        IFamilyCards.Limits memory limits = _limits(500 * YUAN, 0, cards.ALL_CATEGORIES());
        vm.prank(son);
        uint256 cardId = cards.offer(mother, limits);
        _expectRevertAs(
            mother,
            abi.encodeWithSelector(IFamilyCards.FamilyCardsWrongStatus.selector, cardId, IFamilyCards.Status.Offered)
        );
        cards.end(cardId);
    }

    function test_FunderStopsCardAtOnce() public {
        uint256 cardId = _activeCard(500 * YUAN);
        _expectRevertAs(mother, abi.encodeWithSelector(IFamilyCards.FamilyCardsNotFunder.selector, cardId, mother));
        cards.stop(cardId);
        IFamilyCards.Limits memory higher = _limits(5_000 * YUAN, 0, cards.ALL_CATEGORIES());
        _expectRevertAs(mother, abi.encodeWithSelector(IFamilyCards.FamilyCardsNotFunder.selector, cardId, mother));
        cards.changeLimits(cardId, higher);
        vm.expectEmit(true, true, true, true, address(cards));
        emit IFamilyCards.FamilyCardClosed(cardId, son, mother, IFamilyCards.Status.Stopped, son);
        vm.prank(son);
        cards.stop(cardId);
        bytes memory stopped = abi.encodeWithSelector(
            IFamilyCards.FamilyCardsWrongStatus.selector,
            cardId,
            IFamilyCards.Status.Stopped
        );
        _expectRevertAs(mother, stopped);
        cards.pay(cardId, grocer, 1_000, ORDER_REF);
        _expectRevertAs(son, stopped);
        cards.stop(cardId);
        _expectRevertAs(son, stopped);
        cards.changeLimits(cardId, higher);
        _expectRevertAs(mother, stopped);
        cards.end(cardId);
        assertEq(hcy.balanceOf(son), 10_000 * YUAN, "nothing left his account");
    }

    // ───────────────────────────── freezes and pause ─────────────────────────────

    function test_RevertWhen_HolderFrozen() public {
        uint256 cardId = _activeCard(500 * YUAN);
        _freeze(mother);
        _expectRevertAs(mother, abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, mother));
        cards.pay(cardId, grocer, 1_000, ORDER_REF);
        _unfreeze(mother);
        vm.prank(mother);
        cards.pay(cardId, grocer, 1_000, ORDER_REF);
        assertEq(hcy.balanceOf(grocer), 1_000, "paid after the unfreeze");
    }

    function test_RevertWhen_FunderFrozen() public {
        uint256 cardId = _activeCard(500 * YUAN);
        _freeze(son);
        _expectRevertAs(mother, abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, son));
        cards.pay(cardId, grocer, 1_000, ORDER_REF);
        assertEq(cards.card(cardId).spentThisMonth, 0, "nothing counted");
        // He can still stop the card while frozen: stopping moves no money.
        vm.prank(son);
        cards.stop(cardId);
    }

    function test_RevertWhen_ShopFrozen() public {
        uint256 cardId = _activeCard(500 * YUAN);
        _freeze(grocer);
        _expectRevertAs(mother, abi.encodeWithSelector(ICityYuan.CityYuanAccountFrozen.selector, grocer));
        cards.pay(cardId, grocer, 1_000, ORDER_REF);
    }

    function test_RevertWhen_Paused() public {
        uint256 cardId = _activeCard(500 * YUAN);
        hcy.pause();
        _expectRevertAs(mother, Pausable.EnforcedPause.selector);
        cards.pay(cardId, grocer, 1_000, ORDER_REF);
        hcy.unpause();
        vm.prank(mother);
        cards.pay(cardId, grocer, 1_000, ORDER_REF);
        assertEq(cards.card(cardId).spentThisMonth, 1_000, "only the payment after the unpause counts");
    }

    function test_RevertWhen_NotRegisteredAsCityEscrow() public {
        uint256 cardId = _activeCard(500 * YUAN);
        hcy.setCityEscrow(address(cards), false);
        _expectRevertAs(mother, abi.encodeWithSelector(ICityYuan.CityYuanNotCityEscrow.selector, address(cards)));
        cards.pay(cardId, grocer, 1_000, ORDER_REF);
    }

    // ───────────────────────────── fuzz ─────────────────────────────

    /// @dev Whatever the payments, the month's spending never passes the limit, every fen the shops
    /// receive left the son's account, and the mother's own money never moves.
    function testFuzz_SpendingStaysWithinLimitsAndMoneyOnlyMoves(
        uint256 monthly,
        uint256 perPayment,
        uint256[6] memory amounts
    ) public {
        monthly = bound(monthly, 1, 2_000 * YUAN);
        perPayment = bound(perPayment, 0, 1_000 * YUAN);
        uint256 cardId = _activeCardWith(_limits(monthly, perPayment, cards.ALL_CATEGORIES()), 10_000 * YUAN);
        uint256 paid;
        for (uint256 i; i < amounts.length; ++i) {
            uint256 amount = bound(amounts[i], 1, 1_500 * YUAN);
            vm.prank(mother);
            try cards.pay(cardId, i % 2 == 0 ? grocer : noodleShop, amount, keccak256(abi.encode(i))) {
                paid += amount;
                assertTrue(perPayment == 0 || amount <= perPayment, "within the per-payment limit");
            } catch {}
        }
        assertLe(paid, monthly, "within the monthly limit");
        assertEq(cards.card(cardId).spentThisMonth, paid, "the card counts what was paid");
        assertEq(hcy.balanceOf(son), 10_000 * YUAN - paid, "paid from the son");
        assertEq(hcy.balanceOf(grocer) + hcy.balanceOf(noodleShop), paid, "to the shops");
        assertEq(hcy.balanceOf(mother), 100 * YUAN, "the mother's money never moves");
    }
}
