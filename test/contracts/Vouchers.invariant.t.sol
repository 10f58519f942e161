// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Vouchers invariants: whatever sponsors, residents, guardians, the admin and time do, the escrow
// holds exactly the live campaigns' remaining budgets plus what was sent to it directly and not yet
// rescued, every fen is accounted for, and every redemption moved exactly price - discount from the
// resident, the discount from the budget and the price to the merchant, and every full refund of a
// voucher sale moved exactly the same amounts back (the resident her part, the campaign its
// discount, the merchant paying the price) and gave the resident her voucher back.

import {IVouchers} from "../../contracts/interfaces/IVouchers.sol";
import {VouchersFixture} from "./VouchersFixture.sol";
import {CityYuan} from "../../contracts/CityYuan.sol";
import {Vouchers} from "../../contracts/Vouchers.sol";
import {TestBase} from "./utils/Vm.sol";

/// @dev The handler: creates campaigns (city and merchant sponsors), claims, redeems, stops,
/// reclaims and moves time, with a ghost ledger of every fen that went in and out and a count of
/// redemptions whose money movements were not exactly right. It lives in this file so the test
/// runner knows its artifact (targetSelectors needs it).
contract VouchersHandler is TestBase {
    CityYuan internal immutable _hcy;
    Vouchers internal immutable _vouchers;
    address internal immutable _city;
    address internal immutable _guardian;
    address internal immutable _admin;
    address[] internal _residents;
    address[] internal _merchants; // [0], [1] dining, [2] grocery (also a sponsor of its own shop)

    uint256[] public campaignIds;

    /// @dev Every fen escrowed at creation, paid out as discounts, and returned to sponsors.
    uint256 public ghostFunded;
    uint256 public ghostDiscountsPaid;
    /// @dev Discounts that came back to campaigns with full refunds of voucher sales.
    uint256 public ghostDiscountsRefunded;
    uint256 public ghostReturned;
    /// @dev HCY sent straight to the escrow, and what the admin rescued of it.
    uint256 public ghostDonated;
    uint256 public ghostRescued;
    /// @dev Successful redemptions, and those whose movements were not exactly right.
    uint256 public redemptions;
    uint256 public violations;
    uint256 public claims;
    uint256 public refunds;

    /// @dev Every voucher sale made, to pick refunds from.
    struct Sale {
        address resident;
        address merchant;
        uint256 campaignId;
        bytes32 orderRef;
        uint256 price;
        uint256 discount;
        bool refunded;
    }
    Sale[] internal _sales;

    constructor(
        CityYuan hcy,
        Vouchers vouchers,
        address city,
        address guardian,
        address admin,
        address[] memory residents,
        address[] memory merchants
    ) {
        _hcy = hcy;
        _vouchers = vouchers;
        _city = city;
        _guardian = guardian;
        _admin = admin;
        _residents = residents;
        _merchants = merchants;
    }

    function residentCount() external view returns (uint256) {
        return _residents.length;
    }

    function residentAt(uint256 i) external view returns (address) {
        return _residents[i];
    }

    function campaignCount() external view returns (uint256) {
        return campaignIds.length;
    }

    // ───────────────────────────── actions ─────────────────────────────

    function createCampaign(
        bool byMerchant,
        bool percentage,
        uint256 discount,
        uint256 cap,
        uint256 minSpend,
        uint256 supply,
        uint256 perResident,
        uint256 startDelay,
        uint256 duration,
        uint256 scope
    ) external {
        IVouchers.CampaignTerms memory t;
        t.kind = percentage ? IVouchers.DiscountKind.Percentage : IVouchers.DiscountKind.Fixed;
        t.minSpend = uint64(bound(minSpend, 1, 300_00));
        if (percentage) {
            t.discount = uint64(bound(discount, 1, 10_000));
            t.cap = uint64(bound(cap, 1, 100_00));
        } else {
            t.discount = uint64(bound(discount, 1, t.minSpend));
        }
        t.totalVouchers = uint32(bound(supply, 1, 8));
        t.perResidentLimit = uint16(bound(perResident, 1, 3));
        t.startsAt = uint40(block.timestamp + bound(startDelay, 0, 1 days));
        t.endsAt = uint40(t.startsAt + bound(duration, 1 hours, 3 days));
        address sponsor = byMerchant ? _merchants[2] : _city;
        if (byMerchant) {
            t.merchants = new address[](1);
            t.merchants[0] = _merchants[2];
        } else if (scope % 3 == 0) {
            t.merchants = new address[](2);
            t.merchants[0] = _merchants[0];
            t.merchants[1] = _merchants[2];
        } else {
            t.categoryMask = uint32(bound(scope, 1, 3)); // dining, grocery, or both
        }
        uint256 before = _hcy.balanceOf(address(_vouchers));
        vm.prank(sponsor);
        uint256 id = _vouchers.createCampaign(t);
        campaignIds.push(id);
        ghostFunded += _hcy.balanceOf(address(_vouchers)) - before;
    }

    function claim(uint256 residentSeed, uint256 campaignSeed) external {
        if (campaignIds.length == 0) return;
        address resident = _residents[residentSeed % _residents.length];
        vm.prank(resident);
        _vouchers.claim(campaignIds[campaignSeed % campaignIds.length], new bytes32[](0));
        ++claims;
    }

    function redeem(uint256 residentSeed, uint256 campaignSeed, uint256 merchantSeed, uint256 extra) external {
        if (campaignIds.length == 0) return;
        address resident = _residents[residentSeed % _residents.length];
        uint256 id = campaignIds[campaignSeed % campaignIds.length];
        address merchant = _merchants[merchantSeed % _merchants.length];
        IVouchers.CampaignView memory c = _vouchers.campaign(id);
        uint256 price = uint256(c.minSpend) + bound(extra, 0, 500_00);

        uint256 residentBefore = _hcy.balanceOf(resident);
        uint256 merchantBefore = _hcy.balanceOf(merchant);
        uint256 escrowBefore = _hcy.balanceOf(address(_vouchers));
        bytes32 orderRef = keccak256(abi.encode(redemptions));
        vm.prank(resident);
        (, uint256 discount) = _vouchers.redeem(id, merchant, price, orderRef);
        _sales.push(Sale(resident, merchant, id, orderRef, price, discount, false));

        uint256 expected = c.kind == IVouchers.DiscountKind.Fixed ? c.discount : (price * c.discount) / 10_000;
        if (expected > c.maxDiscount) expected = c.maxDiscount;
        if (
            discount != expected ||
            residentBefore - _hcy.balanceOf(resident) != price - discount ||
            _hcy.balanceOf(merchant) - merchantBefore != price ||
            escrowBefore - _hcy.balanceOf(address(_vouchers)) != discount ||
            c.remainingBudget - _vouchers.campaign(id).remainingBudget != discount
        ) ++violations;
        ++redemptions;
        ghostDiscountsPaid += discount;
    }

    /// @dev The merchant refunds one of its voucher sales in full (whatever the campaign's state).
    function refundSale(uint256 saleSeed) external {
        if (_sales.length == 0) return;
        Sale storage sale = _sales[saleSeed % _sales.length];
        if (sale.refunded) return;
        uint256 id = sale.campaignId;
        uint256 residentBefore = _hcy.balanceOf(sale.resident);
        uint256 merchantBefore = _hcy.balanceOf(sale.merchant);
        uint256 escrowBefore = _hcy.balanceOf(address(_vouchers));
        uint256 budgetBefore = _vouchers.campaign(id).remainingBudget;
        (, uint16 redeemedBefore) = _vouchers.holdingOf(id, sale.resident);
        vm.prank(sale.merchant);
        (uint256 paid, uint256 discount) = _vouchers.refundSale(id, sale.resident, sale.orderRef, sale.price);
        sale.refunded = true;
        (, uint16 redeemedAfter) = _vouchers.holdingOf(id, sale.resident);
        if (
            discount != sale.discount ||
            paid != sale.price - sale.discount ||
            _hcy.balanceOf(sale.resident) - residentBefore != paid ||
            merchantBefore - _hcy.balanceOf(sale.merchant) != sale.price ||
            _hcy.balanceOf(address(_vouchers)) - escrowBefore != discount ||
            _vouchers.campaign(id).remainingBudget - budgetBefore != discount ||
            redeemedBefore - redeemedAfter != 1
        ) ++violations;
        ++refunds;
        ghostDiscountsRefunded += discount;
    }

    function stop(uint256 campaignSeed) external {
        if (campaignIds.length == 0) return;
        uint256 before = _hcy.balanceOf(address(_vouchers));
        vm.prank(_guardian);
        _vouchers.stop(campaignIds[campaignSeed % campaignIds.length], "handler");
        ghostReturned += before - _hcy.balanceOf(address(_vouchers));
    }

    function reclaim(uint256 campaignSeed) external {
        if (campaignIds.length == 0) return;
        uint256 id = campaignIds[campaignSeed % campaignIds.length];
        address sponsor = _vouchers.campaign(id).sponsor;
        uint256 sponsorBefore = _hcy.balanceOf(sponsor);
        vm.prank(sponsor);
        uint256 amount = _vouchers.reclaim(id);
        if (_hcy.balanceOf(sponsor) - sponsorBefore != amount) ++violations;
        ghostReturned += amount;
    }

    /// @dev A resident sends HCY straight to the escrow (not through a campaign).
    function donate(uint256 residentSeed, uint256 amount) external {
        address resident = _residents[residentSeed % _residents.length];
        amount = bound(amount, 1, 5_00);
        vm.prank(resident);
        _hcy.transfer(address(_vouchers), amount);
        ghostDonated += amount;
    }

    /// @dev The admin rescues the excess to a treasury address.
    function rescue() external {
        address treasury = address(0x7EA5);
        uint256 before = _hcy.balanceOf(treasury);
        vm.prank(_admin);
        uint256 amount = _vouchers.rescueExcess(treasury);
        if (_hcy.balanceOf(treasury) - before != amount) ++violations;
        ghostRescued += amount;
    }

    function warp(uint256 seconds_) external {
        vm.warp(block.timestamp + bound(seconds_, 1, 2 days));
    }
}

/// @dev What forge-std's StdInvariant reads to restrict the fuzzer to chosen functions.
struct FuzzSelector {
    address addr;
    bytes4[] selectors;
}

contract VouchersInvariantTest is VouchersFixture {
    VouchersHandler internal handler;

    function setUp() public override {
        super.setUp();
        address[] memory residents = new address[](3);
        (residents[0], residents[1], residents[2]) = (alice, bob, carol);
        address[] memory merchants = new address[](3);
        (merchants[0], merchants[1], merchants[2]) = (noodleShop, hotpot, grocer);
        handler = new VouchersHandler(hcy, vouchers, city, guardian, address(this), residents, merchants);
        // Standing allowances so the handler's calls are about the escrow, not about permits
        // (permits are fuzzed in Vouchers.redeem.t.sol).
        for (uint256 i; i < residents.length; ++i) {
            vm.prank(residents[i]);
            hcy.approve(address(vouchers), type(uint256).max);
        }
        vm.prank(city);
        hcy.approve(address(vouchers), type(uint256).max);
        // Merchants refund voucher sales from a standing allowance too.
        for (uint256 i; i < merchants.length; ++i) {
            vm.prank(merchants[i]);
            hcy.approve(address(vouchers), type(uint256).max);
        }
    }

    function targetContracts() public view returns (address[] memory targets) {
        targets = new address[](1);
        targets[0] = address(handler);
    }

    function targetSelectors() public view returns (FuzzSelector[] memory selectors) {
        bytes4[] memory fns = new bytes4[](7);
        fns[0] = VouchersHandler.createCampaign.selector;
        fns[1] = VouchersHandler.claim.selector;
        fns[2] = VouchersHandler.claim.selector; // claims and redemptions weigh double
        fns[3] = VouchersHandler.redeem.selector;
        fns[4] = VouchersHandler.redeem.selector;
        fns[5] = VouchersHandler.stop.selector;
        fns[6] = VouchersHandler.warp.selector;
        bytes4[] memory all = new bytes4[](11);
        for (uint256 i; i < fns.length; ++i) {
            all[i] = fns[i];
        }
        all[7] = VouchersHandler.reclaim.selector;
        all[8] = VouchersHandler.donate.selector;
        all[9] = VouchersHandler.rescue.selector;
        all[10] = VouchersHandler.refundSale.selector;
        selectors = new FuzzSelector[](1);
        selectors[0] = FuzzSelector({addr: address(handler), selectors: all});
    }

    function invariant_EscrowHoldsLiveBudgets() public view {
        uint256 owed;
        for (uint256 id = 1; id <= vouchers.campaignCount(); ++id) {
            owed += vouchers.campaign(id).remainingBudget;
        }
        uint256 excess = handler.ghostDonated() - handler.ghostRescued();
        assertEq(vouchers.totalOwed(), owed, "totalOwed == sum of remaining budgets");
        assertEq(vouchers.excess(), excess, "excess == sent straight in - rescued");
        assertEq(hcy.balanceOf(address(vouchers)), owed + excess, "escrow balance == owed + unrescued excess");
    }

    function invariant_EveryFenAccountedFor() public view {
        assertEq(
            handler.ghostFunded() + handler.ghostDonated() + handler.ghostDiscountsRefunded(),
            handler.ghostDiscountsPaid() +
                handler.ghostReturned() +
                handler.ghostRescued() +
                hcy.balanceOf(address(vouchers)),
            "funded + sent in + discounts refunded == discounts paid + returned to sponsors + rescued + still escrowed"
        );
    }

    function invariant_RedemptionsMoveExactAmounts() public view {
        assertEq(handler.violations(), 0, "a redemption or reclaim moved the wrong amounts");
    }

    function invariant_ClaimsAndBudgetsWithinLimits() public view {
        for (uint256 id = 1; id <= vouchers.campaignCount(); ++id) {
            IVouchers.CampaignView memory c = vouchers.campaign(id);
            assertLe(c.claimed, c.totalVouchers, "claimed <= supply");
            assertLe(c.remainingBudget, c.budget, "budget never grows");
            // Spent budget is at most one maxDiscount per redeemed voucher.
            uint256 redeemedHere;
            for (uint256 i; i < handler.residentCount(); ++i) {
                (uint16 claimed, uint16 redeemed) = vouchers.holdingOf(id, handler.residentAt(i));
                assertLe(redeemed, claimed, "redeemed <= claimed");
                assertLe(claimed, c.perResidentLimit, "claimed <= per-resident limit");
                redeemedHere += redeemed;
            }
            if (c.status == IVouchers.CampaignStatus.Settled) {
                assertEq(c.remainingBudget, 0, "settled holds 0");
            } else {
                // Nothing returned yet: what left the budget went out as discounts, at most one
                // maxDiscount per redeemed voucher.
                assertLe(c.budget - c.remainingBudget, redeemedHere * c.maxDiscount, "spent <= redeemed x max");
            }
        }
    }

    /// @dev The handler is not vacuous: a fixed sequence through it creates, claims, redeems,
    /// stops and reclaims, and the invariants hold after each step.
    function test_HandlerSequenceExercisesEveryAction() public {
        handler.createCampaign(false, false, 20_00, 0, 100_00, 5, 2, 0, 1 days, 1); // city, dining
        handler.createCampaign(true, true, 1500, 30_00, 50_00, 3, 1, 0, 2 days, 0); // grocer's own
        handler.claim(0, 0);
        handler.claim(1, 1);
        handler.redeem(0, 0, 0, 28_00); // alice at the noodle shop
        handler.redeem(1, 1, 2, 150_00); // bob at the grocer
        assertEq(handler.redemptions(), 2, "two redemptions");
        handler.refundSale(1); // the grocer refunds bob's sale in full
        assertEq(handler.refunds(), 1, "one refund");
        handler.refundSale(1); // already refunded: nothing happens
        assertEq(handler.refunds(), 1, "still one refund");
        handler.redeem(1, 1, 2, 60_00); // bob uses the voucher he got back
        assertEq(handler.redemptions(), 3, "the returned voucher was used again");
        handler.donate(2, 3_00); // carol sends 3 yuan straight to the escrow
        invariant_EscrowHoldsLiveBudgets();
        handler.rescue();
        assertEq(handler.ghostRescued(), 3_00, "rescued the donation");
        handler.stop(1);
        handler.warp(1 days);
        handler.reclaim(0);
        assertEq(hcy.balanceOf(address(vouchers)), 0, "everything settled");
        invariant_EscrowHoldsLiveBudgets();
        invariant_EveryFenAccountedFor();
        invariant_RedemptionsMoveExactAmounts();
        invariant_ClaimsAndBudgetsWithinLimits();
    }
}
