// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Invariant: whatever sequence of delayed sends, cancels, releases, family card payments, limit
// changes, stops and new offers, freezes, pauses and time passing, money is always in a balance or
// a pending transfer and is never created or lost: the people's and shops' balances plus what the
// delayed-transfer escrow holds stay what was issued; the escrow holds exactly what is pending; the
// family cards hold nothing; and a card's spending this month is what its payments this month paid.
// A handler drives both contracts; the test checks after each call.

import {CityYuan} from "../../contracts/CityYuan.sol";
import {DelayedTransfers} from "../../contracts/DelayedTransfers.sol";
import {FamilyCards} from "../../contracts/FamilyCards.sol";
import {IDelayedTransfers} from "../../contracts/interfaces/IDelayedTransfers.sol";
import {IFamilyCards} from "../../contracts/interfaces/IFamilyCards.sol";
import {TestBase} from "./utils/Vm.sol";
import {FamilyMoneyFixture} from "./utils/FamilyMoneyFixture.sol";

contract FamilyMoneyHandler is TestBase {
    CityYuan internal immutable _hcy;
    FamilyCards internal immutable _cards;
    DelayedTransfers internal immutable _delayed;
    address[] internal _people;
    address[] internal _shops;

    uint256[] public transferIds;
    mapping(uint256 transferId => bool) public settled;
    uint256[] public cardIds;
    mapping(uint256 cardId => uint256) public paidInMonth;
    mapping(uint256 cardId => uint256) public monthOfPaid;
    uint256 public paidByCards;
    uint256 public calls;

    constructor(
        CityYuan hcy_,
        FamilyCards cards_,
        DelayedTransfers delayed_,
        address[] memory people,
        address[] memory shops
    ) {
        _hcy = hcy_;
        _cards = cards_;
        _delayed = delayed_;
        _people = people;
        _shops = shops;
    }

    function transferCount() external view returns (uint256) {
        return transferIds.length;
    }

    function cardCount() external view returns (uint256) {
        return cardIds.length;
    }

    function send(uint256 fromSeed, uint256 toSeed, uint256 amount, bool long) external {
        ++calls;
        address from = _people[fromSeed % _people.length];
        address to = _people[toSeed % _people.length];
        amount = bound(amount, 1, 300 * 100);
        vm.startPrank(from);
        _hcy.approve(address(_delayed), amount);
        try _delayed.send(to, amount, long ? 24 hours : 2 hours) returns (uint256 transferId) {
            transferIds.push(transferId);
        } catch {}
        vm.stopPrank();
    }

    function cancel(uint256 idSeed) external {
        ++calls;
        if (transferIds.length == 0) return;
        uint256 transferId = transferIds[idSeed % transferIds.length];
        vm.prank(_delayed.transfer(transferId).sender);
        try _delayed.cancel(transferId) {
            settled[transferId] = true;
        } catch {}
    }

    function release(uint256 idSeed) external {
        ++calls;
        if (transferIds.length == 0) return;
        uint256 transferId = transferIds[idSeed % transferIds.length];
        try _delayed.release(transferId) {
            settled[transferId] = true;
        } catch {}
    }

    function offer(uint256 fromSeed, uint256 toSeed, uint256 monthly, uint256 perPayment, uint8 categories) external {
        ++calls;
        address funder = _people[fromSeed % _people.length];
        address holder = _people[toSeed % _people.length];
        IFamilyCards.Limits memory limits = IFamilyCards.Limits({
            monthlyLimit: uint48(bound(monthly, 1, 1_000 * 100)),
            perPaymentLimit: uint32(bound(perPayment, 0, 500 * 100)),
            categories: categories | 1
        });
        vm.startPrank(funder);
        _hcy.approve(address(_cards), _hcy.allowance(funder, address(_cards)) + limits.monthlyLimit);
        try _cards.offer(holder, limits) returns (uint256 cardId) {
            cardIds.push(cardId);
            vm.stopPrank();
            vm.prank(holder);
            _cards.accept(cardId);
        } catch {
            vm.stopPrank();
        }
    }

    function pay(uint256 cardSeed, uint256 shopSeed, uint256 amount) external {
        ++calls;
        if (cardIds.length == 0) return;
        uint256 cardId = cardIds[cardSeed % cardIds.length];
        amount = bound(amount, 1, 600 * 100);
        uint256 month = _cards.hefeiMonth(block.timestamp);
        vm.prank(_cards.card(cardId).holder);
        try _cards.pay(cardId, _shops[shopSeed % _shops.length], amount, keccak256(abi.encode(calls))) {
            if (monthOfPaid[cardId] != month) {
                monthOfPaid[cardId] = month;
                paidInMonth[cardId] = 0;
            }
            paidInMonth[cardId] += amount;
            paidByCards += amount;
        } catch {}
    }

    function changeLimits(uint256 cardSeed, uint256 monthly) external {
        ++calls;
        if (cardIds.length == 0) return;
        uint256 cardId = cardIds[cardSeed % cardIds.length];
        IFamilyCards.CardView memory c = _cards.card(cardId);
        c.limits.monthlyLimit = uint48(bound(monthly, 1, 1_000 * 100));
        vm.prank(c.funder);
        try _cards.changeLimits(cardId, c.limits) {} catch {}
    }

    function stopOrEnd(uint256 cardSeed, bool byHolder) external {
        ++calls;
        if (cardIds.length == 0) return;
        uint256 cardId = cardIds[cardSeed % cardIds.length];
        IFamilyCards.CardView memory c = _cards.card(cardId);
        vm.prank(byHolder ? c.holder : c.funder);
        if (byHolder) {
            try _cards.end(cardId) {} catch {}
        } else {
            try _cards.stop(cardId) {} catch {}
        }
    }

    function toggleFreeze(uint256 seed) external {
        ++calls;
        address account = seed % 3 == 0 ? _shops[seed % _shops.length] : _people[seed % _people.length];
        if (_hcy.isFrozen(account)) _hcy.unfreeze(account, "lifted");
        else _hcy.freeze(account, "court order");
    }

    function togglePause() external {
        ++calls;
        if (_hcy.paused()) _hcy.unpause();
        else _hcy.pause();
    }

    function warp(uint256 seconds_) external {
        ++calls;
        vm.warp(block.timestamp + bound(seconds_, 1, 3 days));
    }
}

contract FamilyMoneyInvariantTest is FamilyMoneyFixture {
    struct FuzzSelector {
        address addr;
        bytes4[] selectors;
    }

    FamilyMoneyHandler internal handler;
    address[] internal people;
    address[] internal shops;
    uint256 internal issued;

    function setUp() public override {
        super.setUp();
        people = [son, mother, daughter, stranger];
        shops = [noodleShop, grocer];
        handler = new FamilyMoneyHandler(hcy, cards, delayed, people, shops);
        hcy.grantRole(hcy.COMPLIANCE_ROLE(), address(handler));
        hcy.grantRole(hcy.PAUSER_ROLE(), address(handler));
        issued = hcy.totalSupply();
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory targets) {
        bytes4[] memory selectors = new bytes4[](10);
        selectors[0] = FamilyMoneyHandler.send.selector;
        selectors[1] = FamilyMoneyHandler.cancel.selector;
        selectors[2] = FamilyMoneyHandler.release.selector;
        selectors[3] = FamilyMoneyHandler.offer.selector;
        selectors[4] = FamilyMoneyHandler.pay.selector;
        selectors[5] = FamilyMoneyHandler.changeLimits.selector;
        selectors[6] = FamilyMoneyHandler.stopOrEnd.selector;
        selectors[7] = FamilyMoneyHandler.toggleFreeze.selector;
        selectors[8] = FamilyMoneyHandler.togglePause.selector;
        selectors[9] = FamilyMoneyHandler.warp.selector;
        targets = new FuzzSelector[](1);
        targets[0] = FuzzSelector({addr: address(handler), selectors: selectors});
    }

    function invariant_MoneyIsInABalanceOrAPendingTransfer() public view {
        uint256 held;
        for (uint256 i; i < people.length; ++i) held += hcy.balanceOf(people[i]);
        for (uint256 i; i < shops.length; ++i) held += hcy.balanceOf(shops[i]);
        uint256 pending;
        uint256 count = handler.transferCount();
        for (uint256 i; i < count; ++i) {
            uint256 transferId = handler.transferIds(i);
            IDelayedTransfers.TransferView memory t = delayed.transfer(transferId);
            bool isPending = t.status == IDelayedTransfers.Status.Pending;
            assertTrue(isPending != handler.settled(transferId), "settled once, by a cancel or a release");
            if (isPending) pending += t.amount;
        }
        assertEq(delayed.totalPending(), pending, "the escrow's own count of what is pending");
        assertEq(hcy.balanceOf(address(delayed)), pending, "the escrow holds exactly what is pending");
        assertEq(hcy.balanceOf(address(cards)), 0, "the family cards hold nothing");
        assertEq(held + pending, issued, "never created or lost");
        assertEq(hcy.totalSupply(), issued, "nothing issued or burned");
    }

    function invariant_CardSpendingIsWhatItsPaymentsPaid() public view {
        uint256 month = cards.hefeiMonth(block.timestamp);
        uint256 count = handler.cardCount();
        for (uint256 i; i < count; ++i) {
            uint256 cardId = handler.cardIds(i);
            uint256 paid = handler.monthOfPaid(cardId) == month ? handler.paidInMonth(cardId) : 0;
            assertEq(cards.card(cardId).spentThisMonth, paid, "spent this month == paid this month");
        }
        uint256 shopsHold = hcy.balanceOf(noodleShop) + hcy.balanceOf(grocer);
        assertEq(shopsHold, handler.paidByCards(), "shops received only card payments, all of them");
    }
}
